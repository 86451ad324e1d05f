// Preflight with the real account probe (workshop/accountProbe.ts, the AWS SDK) against moto's
// server on 127.0.0.1 and the stand-in in front of it (offline/awsStandIn.ts, with the SMS and
// Lambda account answers moto 5.2 lacks from offline/accountStandIn.ts). Each failure issue 23
// names is found through `npm run workshop -- --endpoint <stand-in> preflight`, with its fix line;
// provision refuses before any stack; a throttled SNS read is retried or reported in one line.
// The judgement itself, on a fake probe: preflight.test.ts.

import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateSMSSandboxPhoneNumberCommand,
  SetSMSAttributesCommand,
  SNSClient,
  VerifySMSSandboxPhoneNumberCommand,
} from "@aws-sdk/client-sns";
import { AccountStandIn } from "../../offline/accountStandIn";
import { AwsStandIn } from "../../offline/awsStandIn";
import { startMoto, type LocalAws } from "../../offline/moto";
import { awsAccountProbe } from "../../workshop/accountProbe";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";
import { runPreflight, type PreflightReport } from "../../workshop/preflight";
import { documentedDefaults } from "../../workshop/quotas";
import { workshopInProcess, type WorkshopRun } from "../support/workshopCli";

const MOTO_ACCOUNT = "123456789012";
const KEYS = { accessKeyId: "testing", secretAccessKey: "testing" };
/** Seattle numbers (area code 206: US); none ends in 99, which moto holds as opted out. */
const US = Array.from({ length: 12 }, (_, i) => `+1206555${String(110 + i).padStart(4, "0")}`);
const VANCOUVER = "+16045550123";

describe("preflight against moto and the stand-in (workshop/accountProbe.ts)", function () {
  this.timeout(120_000);
  let moto: LocalAws;
  let aws: AwsStandIn;
  let account: AccountStandIn;
  let sns: SNSClient;
  const dir = mkdtempSync(join(tmpdir(), "account-probe-"));
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };

  before(async () => {
    moto = await startMoto();
    aws = await AwsStandIn.start(moto.endpoint, { transitionMs: 0 });
    account = AccountStandIn.install(aws);
    sns = new SNSClient({ region: "us-east-1", endpoint: aws.endpoint, credentials: KEYS });
    awsProfiles(dir);
  });
  after(async () => {
    process.env.AWS_CONFIG_FILE = saved.config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
    if (saved.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    sns?.destroy();
    await aws?.stop();
    await moto?.stop();
  });

  /** A new account's SMS set-up: in the sandbox, nothing verified, no origination number; Lambda at 1,000. */
  function newAccount(): void {
    account.inSandbox = true;
    account.sandboxNumbers.clear();
    account.originationNumbers.length = 0;
    account.lambdaConcurrency = 1000;
    account.lambdaReserved = 0;
  }

  it("reads every fact through the SDK, following NextToken past the first page", async () => {
    newAccount();
    account.addSandboxNumber(US[0]!, "Verified");
    account.addSandboxNumber(US[1]!, "Verified");
    account.addSandboxNumber(US[2]!);
    account.addSandboxNumber("+447700900001", "Verified");
    account.originationNumbers.push(
      { phone: "+18885550100", iso2CountryCode: "US", status: "PENDING", capabilities: ["SMS", "VOICE"] },
      { phone: "+18885550101", iso2CountryCode: "US", status: "ACTIVE", capabilities: ["VOICE"] },
      { phone: "+18665550102", iso2CountryCode: "CA", status: "ACTIVE", capabilities: ["SMS"] },
      { phone: "+18885550103", iso2CountryCode: "US", status: "ACTIVE", capabilities: ["SMS", "MMS"], routeType: "Transactional" },
    );
    account.lambdaConcurrency = 10;
    account.lambdaReserved = 2;
    await sns.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: "3" } }));
    const before = { sandbox: aws.calls("ListSMSSandboxPhoneNumbers").length, origination: aws.calls("ListOriginationNumbers").length };

    const probe = awsAccountProbe("us-east-1", aws.endpoint);
    assert.deepEqual(await probe.identity("event"), { account: MOTO_ACCOUNT, arn: `arn:aws:sts::${MOTO_ACCOUNT}:user/moto` });
    assert.equal(await probe.regionOptIn("event", "us-east-1"), "opt-in-not-required");
    assert.equal(await probe.regionOptIn("event", "ap-east-1"), "not-opted-in", "an opt-in Region a new account has not enabled");
    assert.deepEqual(await probe.lambdaConcurrency("event"), { limit: 10, unreserved: 8 });
    const sms = await probe.sms("event", [US[0]!, "+12065550199"]);
    assert.equal(sms.inSandbox, true);
    assert.deepEqual(sms.sandboxNumbers, [
      { phone: US[0], status: "Verified" },
      { phone: US[1], status: "Verified" },
      { phone: US[2], status: "Pending" },
      { phone: "+447700900001", status: "Verified" },
    ]);
    assert.deepEqual(
      sms.originationNumbers.map((n) => [n.phone, n.country, n.status, n.capabilities.join("+")]),
      [
        ["+18885550100", "US", "PENDING", "SMS+VOICE"],
        ["+18885550101", "US", "ACTIVE", "VOICE"],
        ["+18665550102", "CA", "ACTIVE", "SMS"],
        ["+18885550103", "US", "ACTIVE", "SMS+MMS"],
      ],
    );
    assert.equal(sms.monthlySpendLimitUsd, 3);
    assert.deepEqual(sms.optedOut, ["+12065550199"], "moto's opt-out rule: a number ending in 99");
    // Four numbers in pages of three: a second page each, asked with the first page's NextToken.
    const sandboxCalls = aws.calls("ListSMSSandboxPhoneNumbers").slice(before.sandbox);
    assert.deepEqual(
      sandboxCalls.map((r) => r.input.NextToken ?? null),
      [null, "standin-page-3"],
    );
    assert.equal(aws.calls("ListOriginationNumbers").length - before.origination, 2);
  });

  it("the stand-in's SNS list calls refuse a NextToken they never gave and a MaxResults out of range, as the API does", async () => {
    const { ListSMSSandboxPhoneNumbersCommand, ListOriginationNumbersCommand } = await import("@aws-sdk/client-sns");
    await assert.rejects(sns.send(new ListSMSSandboxPhoneNumbersCommand({ NextToken: "forged" })), { name: "InvalidParameterException" });
    await assert.rejects(sns.send(new ListOriginationNumbersCommand({ MaxResults: 31 })), { name: "InvalidParameterException" });
    const one = await sns.send(new ListOriginationNumbersCommand({ MaxResults: 1 }));
    assert.equal(one.PhoneNumbers!.length, 1);
    assert.ok(one.NextToken);
  });

  describe("the command, through --endpoint", () => {
    const project = eventProject(dir);
    const roster = (name: string, rows: readonly string[]) => {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, "team,email,phone,profile\n" + rows.join("\n") + "\n");
      return file;
    };
    /** Twelve teams through profile `event`, each with a US phone. */
    const twelve = roster(
      "twelve",
      US.map((p, i) => `t${String(i + 1).padStart(2, "0")},t${i + 1}@example.com,${p},event`),
    );

    function workshop(args: string[], ws?: MemoryWorkspace): Promise<WorkshopRun> {
      const state = join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
      return workshopInProcess(
        ["--project", project, "--state", state, "--logs", join(dir, "logs"), "--endpoint", aws.endpoint, ...args],
        {
          workspace: () => {
            if (!ws) throw new Error("preflight may not touch a stack");
            return ws;
          },
          now: () => new Date(),
        },
        (e) => (e instanceof Error ? (e.stack ?? e.message) : String(e)),
      );
    }
    const preflight = (file: string, ...more: string[]) => workshop(["preflight", "--roster", file, "--quotas", "documented", ...more]);

    it("a new account: unverified phones (rows named), more than 10, no US origination identity, spend limit, Lambda concurrency", async () => {
      newAccount();
      account.addSandboxNumber(US[0]!, "Verified");
      account.addSandboxNumber(US[1]!, "Verified");
      account.addSandboxNumber(US[2]!); // Pending: added, code never entered
      account.originationNumbers.push({ phone: "+18885550100", iso2CountryCode: "US", status: "PENDING", capabilities: ["SMS"] });
      account.lambdaConcurrency = 10;
      await sns.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: "1" } }));

      const r = await preflight(twelve);
      assert.equal(r.code, 1, r.out + r.err);
      assert.equal(r.err, "", "nothing on stderr: no stack trace");
      const out = r.out;
      assert.match(out, new RegExp(`^Account ${MOTO_ACCOUNT} \\(profile event\\): 12 team\\(s\\)$`, "m"));
      assert.match(out, /^ {2}✓ credentials +profile event: arn:aws:sts::123456789012:user\/moto; long-lived keys, no expiry$/m);
      assert.match(out, /^ {2}! sms-sandbox +the account is in the SMS sandbox/m);
      // Row by row: the Pending one and the nine never added; not the two verified.
      assert.match(out, /^ {2}✗ sms-verified +10 roster phone\(s\) are not verified destinations: no text will reach them$/m);
      assert.deepEqual(
        rowsOf(out, "sms-verified"),
        US.slice(2).map((p, i) => `line ${i + 4} t${String(i + 3).padStart(2, "0")} ${p}`),
      );
      assert.match(
        out,
        /^ {6}fix: per row: aws sns create-sms-sandbox-phone-number --phone-number <phone>, then verify-sms-sandbox-phone-number/m,
      );
      assert.match(out, /^ {2}✗ sms-sandbox-size +12 different phones; the sandbox holds at most 10 verified numbers$/m);
      assert.match(out, /^ {2}✗ sms-origination +12 US phone\(s\) and no active US origination identity: carriers drop the texts$/m);
      assert.match(out, /^ {6}fix: register a toll-free number, 10DLC campaign or short code in AWS End User Messaging SMS/m);
      assert.match(
        out,
        /^ {2}✗ sms-spend-limit +MonthlySpendLimit is \$1\.00; the event may send 12 phone\(s\) x 10 texts, about \$1\.20/m,
      );
      assert.match(out, /^ {6}fix: aws sns set-sms-attributes --attributes MonthlySpendLimit=3 /m);
      assert.match(
        out,
        /^ {2}✗ lambda-concurrency +12 alert function\(s\) need 12 concurrent executions at the burst; the account has 10 unreserved of 10$/m,
      );
      assert.match(out, /^ {6}fix: request "Concurrent executions" of at least 112 in Service Quotas \(Lambda\)/m);
      assert.match(out, /^ {2}✓ region +us-east-1 is enabled \(opt-in-not-required\)$/m);
      assert.match(out, /^✗ 5 to fix, 1 warning\(s\), /m);
    });

    it("the sandbox fix line works: a phone created and verified with its code is ✓ at the next preflight", async () => {
      newAccount();
      await sns.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: "100" } }));
      account.originationNumbers.push({ phone: "+18885550103", iso2CountryCode: "US", status: "ACTIVE", capabilities: ["SMS"] });
      const one = roster("one", [`solo,solo@example.com,${US[5]},event`]);
      assert.match((await preflight(one)).out, /✗ sms-verified +1 roster phone/);
      await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: US[5]! }));
      assert.match((await preflight(one)).out, /✗ sms-verified +1 roster phone/, "Pending until the code is entered");
      await assert.rejects(sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: US[5]!, OneTimePassword: "00000" })), {
        name: "VerificationException",
      });
      const { otp } = account.sandboxNumbers.get(US[5]!)!;
      await sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: US[5]!, OneTimePassword: otp }));
      const r = await preflight(one);
      assert.match(r.out, /✓ sms-verified +all 1 phone\(s\) are verified sandbox destinations/);
      assert.match(r.out, /✓ sms-origination +1 US phone\(s\); the account sends from \+18885550103/);
      assert.equal(r.code, 0, r.out);
    });

    it("numbers verified for something else hold sandbox slots: 8 roster phones beside 4 of them is ✗", async () => {
      newAccount();
      const others = ["+447700900001", "+447700900002", "+447700900003", "+12065550150"];
      for (const p of others) account.addSandboxNumber(p, "Verified");
      const r = await preflight(
        roster(
          "eight",
          US.slice(0, 8).map((p, i) => `t${i + 1},t${i + 1}@example.com,${p},event`),
        ),
      );
      assert.match(
        r.out,
        /^ {2}✗ sms-sandbox-size +8 different roster phones and 4 other verified number\(s\) already in the sandbox \(\+447700900001, \+447700900002, \+447700900003, \+12065550150\); it holds at most 10 verified numbers$/m,
      );
      assert.match(r.out, /^ {6}fix: leave the sandbox \(production access\), free slots with aws sns delete-sms-sandbox-phone-number/m);
    });

    it("a Canadian phone is not held to the US origination rule; the US phone beside it is", async () => {
      newAccount();
      account.inSandbox = false;
      account.originationNumbers.push({ phone: "+18665550102", iso2CountryCode: "CA", status: "ACTIVE", capabilities: ["SMS"] });
      await sns.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: "100" } }));
      const r = await preflight(roster("north", [`ca,ca@example.com,${VANCOUVER},event`, `us,us@example.com,${US[0]},event`]));
      assert.match(r.out, /^ {2}✗ sms-origination +1 US phone\(s\) and no active US origination identity/m);
      assert.deepEqual(rowsOf(r.out, "sms-origination"), [`line 3 us ${US[0]}`], "the US row only, not the Canadian one");
      const canadian = await preflight(roster("canada", [`ca,ca@example.com,${VANCOUVER},event`]));
      assert.doesNotMatch(canadian.out, /sms-origination/);
      assert.equal(canadian.code, 0, canadian.out);
    });

    it("credentials that end before provision would, and expired ones, each one ✗ naming the profile", async () => {
      newAccount();
      const r = await preflight(
        roster("creds", [...Array.from({ length: 8 }, (_, i) => `s${i + 1},s${i + 1}@example.com,,short`), "old,old@example.com,,expired"]),
      );
      assert.equal(r.code, 1);
      // 9 teams at --concurrency 4, 15 minutes a stack: 45 minutes; the short session lasts 20.
      assert.match(
        r.out,
        /^ {2}✗ credentials +profile short: arn:aws:sts::123456789012:user\/moto; expire at \d\d:\d\d UTC \(in 20 min\), provision needs about 45 min$/m,
      );
      // short is a credential_process profile: its fix is to run that process again, not `aws sso login`.
      assert.match(r.out, /^ {6}fix: run `[^`]+` again \(profile short's credential_process\) right before provision/m);
      // The SDK's chain answers an expired credential_process session with its general message;
      // the profile's kind (credential_process) names the likely cause and the process to re-run.
      assert.match(
        r.out,
        /^ {2}✗ credentials +profile expired: no usable credentials: Could not load credentials from any providers: profile expired gets its credentials from credential_process \(\S+expired-credentials\.js\), whose session has likely expired or which failed: run it again/m,
      );
      assert.deepEqual(rowsOf(r.out, "credentials"), ["line 10 old"], "one ✗ for the expired profile, its row named");
      assert.match(
        r.out,
        /^ {6}fix: make `aws sts get-caller-identity --profile expired` work \(the cause above says how\), then run preflight again$/m,
      );
      assert.equal(r.err, "");
    });

    it("provision refuses a sandboxed account with unverified phones before any stack is created, naming --skip-preflight", async () => {
      newAccount();
      await sns.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: "100" } }));
      const ws = new MemoryWorkspace();
      const r = await workshop(["provision", "--roster", twelve, "--quotas", "documented"], ws);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /✗ sms-verified +12 roster phone\(s\) are not verified destinations/);
      assert.match(r.err, /provision refused: preflight found the ✗ above, and no stack was touched\. .*--skip-preflight/);
      assert.equal(ws.stacks.size, 0);
      assert.deepEqual(ws.calls, []);
    });

    it("SNS throttling a list call: retried by the SDK when it passes, one clear line when it persists, never a stack trace", async () => {
      newAccount();
      for (const p of US.slice(0, 4)) account.addSandboxNumber(p, "Verified");
      const four = roster(
        "four",
        US.slice(0, 4).map((p, i) => `t${i + 1},t${i + 1}@example.com,${p},event`),
      );
      const throttled = { type: "Throttled", message: "Rate exceeded", status: 429 };
      const calls = () => aws.calls("ListSMSSandboxPhoneNumbers").length;

      let before = calls();
      aws.failNext("ListSMSSandboxPhoneNumbers", throttled);
      const passed = await preflight(four);
      assert.match(passed.out, /✓ sms-verified +all 4 phone\(s\) are verified sandbox destinations/);
      assert.equal(calls() - before, 3, "two pages and one retry of the throttled call");

      before = calls();
      aws.failNext("ListSMSSandboxPhoneNumbers", { ...throttled, times: 20 });
      const refused = await preflight(four);
      aws.clearFailures("ListSMSSandboxPhoneNumbers");
      assert.equal(calls() - before, 3, "the SDK's three attempts, then the report");
      assert.match(
        refused.out,
        /^ {2}! sms-sandbox +the account's SMS set-up could not be read \(ThrottledException: Rate exceeded\): 4 phone\(s\) may never get a text$/m,
      );
      assert.match(
        refused.out,
        /^ {6}fix: AWS throttled the reads of this account: run preflight again in a minute \(nothing was changed\)$/m,
      );
      assert.equal(refused.err, "");
      assert.doesNotMatch(refused.out, /\n\s+at /, "no stack trace");
    });
  });

  it("a Region the account has not enabled is ✗ with the command that enables it (moto: ap-east-1 is not-opted-in)", async () => {
    // The lab's program runs in us-east-1 only (infra/config.ts), which needs no opt-in; the check
    // is proven here on a Region that does, through the same probe.
    newAccount();
    const report: PreflightReport = await runPreflight(
      [{ line: 2, team: "t1", email: "t1@example.com", profile: "event" }],
      { probe: awsAccountProbe("ap-east-1", aws.endpoint), quotas: documentedDefaults },
      { region: "ap-east-1", concurrency: 4, now: new Date() },
    );
    const region = report.accounts[0]!.checks.find((c) => c.check === "region")!;
    assert.equal(region.verdict, "fail");
    assert.equal(region.found, "ap-east-1 is not enabled in this account (not-opted-in)");
    assert.equal(region.fix, "enable it: aws account enable-region --region-name ap-east-1 (takes minutes to hours)");
  });
});

/** The row lines ("line N team phone") printed under the first check named `check`. */
function rowsOf(out: string, check: string): string[] {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^ {2}[✓!✗] ${check} `).test(l));
  assert.ok(at >= 0, `no ${check} line in:\n${out}`);
  const rows: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^ {6}(line \d+ .*)$/.exec(l);
    if (!m) break;
    rows.push(m[1]!);
  }
  return rows;
}

/**
 * AWS CLI files for the test's profiles (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): `event`
 * with long-lived keys; `short` and `expired` through credential_process, which reports when its
 * session ends ("Sourcing credentials with an external process", AWS SDKs and Tools reference).
 */
function awsProfiles(dir: string): void {
  // The session's end is computed when the SDK runs the process, as a real one's is.
  const processProfile = (name: string, expiresInMinutes: number) => {
    const script = join(dir, `${name}-credentials.js`);
    const session = { Version: 1, AccessKeyId: "testing", SecretAccessKey: "testing", SessionToken: "session" };
    writeFileSync(
      script,
      `#!${process.execPath}\nconst s = ${JSON.stringify(session)};\n` +
        `s.Expiration = new Date(Date.now() + ${expiresInMinutes * 60_000}).toISOString();\nconsole.log(JSON.stringify(s));\n`,
    );
    chmodSync(script, 0o755);
    return `[profile ${name}]\nregion = us-east-1\ncredential_process = ${script}\n`;
  };
  const config = join(dir, "config");
  const credentials = join(dir, "credentials");
  writeFileSync(config, `[profile event]\nregion = us-east-1\n${processProfile("short", 20)}${processProfile("expired", -5)}`);
  writeFileSync(credentials, "[event]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
  process.env.AWS_CONFIG_FILE = config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
}

/** A Pulumi project folder with the event profile (Pulumi.workshop.yaml) the workshop commands read. */
function eventProject(dir: string): string {
  const project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(join(project, "Pulumi.yaml"), "name: clickstream-lab\nruntime: nodejs\n");
  writeFileSync(
    join(project, "Pulumi.workshop.yaml"),
    `config:\n  clickstream-lab:event: immersion-day\n  clickstream-lab:endsAt: "${new Date(Date.now() + 30 * 3600_000).toISOString()}"\n`,
  );
  return project;
}
