// Preflight's judgement (issue 23), on facts from a fake account probe: each failure the issue
// names is found, per account, with its rows and its fix; and `provision` refuses before any stack
// is touched. The same checks through the real probe, against moto and the stand-in:
// accountProbe.integration.test.ts.

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/workshop";
import { defaultDeps, type Deps } from "../../cli/workshop/common";
import type { AccountProbe, Identity, LambdaConcurrency, SmsFacts } from "../../workshop/accountProbe";
import { runPreflight, smsCountry, usdPerText, type PreflightReport } from "../../workshop/preflight";
import { documentedDefaults } from "../../workshop/quotas";
import type { RosterRow } from "../../workshop/rosterRow";
import { NOW } from "../support";

/** A fake account per profile: what each would answer. */
interface FakeAccountFacts {
  identity: Identity | Error;
  region?: string;
  lambda?: LambdaConcurrency;
  sms?: SmsFacts;
}

function probe(accounts: Record<string, FakeAccountFacts>, asked: string[] = []): AccountProbe {
  const of = (p: string | undefined) => {
    asked.push(p ?? "");
    const a = accounts[p ?? ""];
    if (!a) throw new Error(`no fake account for profile ${p}`);
    return a;
  };
  return {
    identity: (p) => {
      const a = of(p);
      return a.identity instanceof Error ? Promise.reject(a.identity) : Promise.resolve(a.identity);
    },
    regionOptIn: (p) => Promise.resolve(of(p).region ?? "opt-in-not-required"),
    lambdaConcurrency: (p) => Promise.resolve(of(p).lambda ?? { limit: 1000, unreserved: 1000 }),
    sms: (p, phones) => {
      const s = of(p).sms ?? { inSandbox: false, sandboxNumbers: [], originationNumbers: [], optedOut: [] };
      return Promise.resolve({ ...s, optedOut: s.optedOut.filter((x) => phones.includes(x)) });
    },
  };
}

const NEW_ACCOUNT_SMS: SmsFacts = { inSandbox: true, sandboxNumbers: [], originationNumbers: [], optedOut: [] };
const rows = (n: number, f: (i: number) => Partial<RosterRow> = () => ({})): RosterRow[] =>
  Array.from({ length: n }, (_, i) => ({
    line: i + 2,
    team: `t${String(i + 1).padStart(2, "0")}`,
    email: `t${i + 1}@example.com`,
    ...f(i),
  }));
const run = (r: readonly RosterRow[], p: AccountProbe, extra: Partial<Parameters<typeof runPreflight>[2]> = {}) =>
  runPreflight(r, { probe: p, quotas: documentedDefaults }, { region: "us-east-1", concurrency: 4, now: NOW, ...extra });
const check = (report: PreflightReport, account: string | undefined, name: string) =>
  report.accounts.find((a) => a.account === account)?.checks.find((c) => c.check === name);

describe("workshop preflight (issue 23)", () => {
  it("the issue's roster: 40 teams in two accounts, 12 US phones in a new account", async () => {
    const roster = rows(40, (i) => ({
      ...(i >= 20 ? { profile: "second" } : {}),
      ...(i >= 20 && i < 32 ? { phone: `+1555555${String(i).padStart(4, "0")}` } : {}),
    }));
    const report = await run(
      roster,
      probe({
        "": { identity: { account: "111111111111", arn: "arn:aws:iam::111111111111:user/instructor" } },
        second: {
          identity: { account: "222222222222", arn: "arn:aws:sts::222222222222:assumed-role/Admin/i" },
          lambda: { limit: 10, unreserved: 10 },
          sms: NEW_ACCOUNT_SMS,
        },
      }),
    );
    assert.equal(report.verdict, "fail");
    assert.deepEqual(
      report.accounts.map((a) => [a.account, a.teams.length]),
      [
        ["111111111111", 20],
        ["222222222222", 20],
      ],
    );
    assert.ok(
      report.accounts[0]!.checks.every((c) => c.verdict === "ok"),
      JSON.stringify(report.accounts[0]!.checks.filter((c) => c.verdict !== "ok")),
    );
    const verified = check(report, "222222222222", "sms-verified")!;
    assert.equal(verified.verdict, "fail");
    assert.deepEqual(
      verified.rows!.map((r) => r.line),
      Array.from({ length: 12 }, (_, i) => 22 + i),
    );
    assert.match(verified.fix!, /create-sms-sandbox-phone-number/);
    assert.equal(check(report, "222222222222", "sms-sandbox-size")!.verdict, "fail", "12 phones, the sandbox holds 10");
    assert.equal(check(report, "222222222222", "sms-origination")!.verdict, "fail");
    assert.match(check(report, "222222222222", "sms-origination")!.fix!, /toll-free number, 10DLC campaign or short code/);
    const spend = check(report, "222222222222", "sms-spend-limit")!;
    assert.equal(spend.verdict, "warn", "not set: the new account's $1 maximum applies, 12 x 10 texts are $1.20");
    assert.match(spend.found, /12 phone\(s\) x 10 texts, about \$1\.20/);
    const lambda = check(report, "222222222222", "lambda-concurrency")!;
    assert.equal(lambda.verdict, "fail");
    assert.match(lambda.found, /20 alert function\(s\) need 20 concurrent executions at the burst; the account has 10 unreserved of 10/);
    for (const c of report.accounts.flatMap((a) => a.checks)) {
      assert.match(c.source, /^https:\/\/(docs\.)?aws\.amazon\.com\//, `${c.check} names its AWS page`);
      if (c.verdict !== "ok") assert.ok(c.fix && !c.fix.includes("\n"), `${c.check} has a one-line fix`);
    }
    assert.deepEqual(
      report.accounts[1]!.quotas.map((q) => `${q.id} ${q.used}/${q.allowed}`),
      ["flink-applications 20/50", "kinesis-shards 40/500", "cognito-user-pools 20/1000", "iam-roles 120/1000", "s3-buckets 60/10000"],
    );
  });

  it("groups by the account STS returns: two profiles of one account are one account", async () => {
    const report = await run(
      rows(4, (i) => ({ profile: i < 2 ? "a" : "b" })),
      probe({
        a: { identity: { account: "111111111111", arn: "arn:a" } },
        b: { identity: { account: "111111111111", arn: "arn:b" } },
      }),
    );
    assert.equal(report.accounts.length, 1);
    assert.deepEqual(report.accounts[0]!.profiles, ["a", "b"]);
    assert.equal(report.accounts[0]!.checks.filter((c) => c.check === "credentials").length, 2, "each profile's credentials judged");
  });

  it("credentials that do not work are one ✗ per profile, whatever its number of rows; its account is not asked further", async () => {
    const asked: string[] = [];
    const report = await run(
      rows(40, () => ({ profile: "gone" })),
      probe({ gone: { identity: new Error("profile gone is in neither ~/.aws/config nor ~/.aws/credentials") } }, asked),
    );
    assert.equal(report.accounts.length, 1);
    const [c] = report.accounts[0]!.checks;
    assert.equal(report.accounts[0]!.checks.length, 1);
    assert.equal(c!.verdict, "fail");
    assert.match(c!.found, /^profile gone: no usable credentials: profile gone is in neither/);
    assert.equal(c!.rows!.length, 40);
    assert.deepEqual(asked, ["gone"]);
  });

  it("credentials that end before provision would: ✗; with little to spare: warning", async () => {
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    // 16 teams at concurrency 4 and 15 minutes a stack: about an hour.
    const report = await run(
      rows(16, (i) => ({ profile: ["short", "tight", "long", "keys"][i % 4]! })),
      probe({
        short: { identity: { account: "111111111111", arn: "arn:short", expiresAt: at(45), renew: "aws sso login --profile short" } },
        tight: { identity: { account: "222222222222", arn: "arn:tight", expiresAt: at(90) } },
        long: { identity: { account: "333333333333", arn: "arn:long", expiresAt: at(600) } },
        keys: { identity: { account: "444444444444", arn: "arn:keys" } },
      }),
    );
    assert.equal(report.provisionMinutes, 60);
    const verdicts = report.accounts.map((a) => a.checks.find((c) => c.check === "credentials")!.verdict);
    assert.deepEqual(verdicts, ["fail", "warn", "ok", "ok"]);
    assert.match(check(report, "111111111111", "credentials")!.found, /expire at 12:45 UTC \(in 45 min\), provision needs about 60 min/);
    assert.match(check(report, "111111111111", "credentials")!.fix!, /^aws sso login --profile short right before provision/);
    // A profile whose kind the probe could not tell gets no command that may be the wrong one.
    assert.match(check(report, "222222222222", "credentials")!.fix!, /^renew profile tight's session right before provision/);
  });

  it("a Region not enabled, quotas exceeded, a phone that opted out, an account column that is not the profile's", async () => {
    const report = await run(
      rows(60, (i) => ({ ...(i === 0 ? { phone: "+447700900123", account: "999999999999" } : {}) })),
      probe({
        "": {
          identity: { account: "111111111111", arn: "arn:x" },
          region: "not-opted-in",
          sms: { inSandbox: false, sandboxNumbers: [], originationNumbers: [], monthlySpendLimitUsd: 100, optedOut: ["+447700900123"] },
        },
      }),
    );
    assert.equal(check(report, "111111111111", "region")!.verdict, "fail");
    assert.equal(check(report, "111111111111", "quota:flink-applications")!.verdict, "fail", "60 applications, 50 allowed");
    assert.equal(check(report, "111111111111", "sms-opted-out")!.verdict, "fail");
    assert.deepEqual(check(report, "111111111111", "sms-opted-out")!.rows, [{ line: 2, team: "t01", phone: "+447700900123" }]);
    assert.equal(check(report, "111111111111", "sms-origination"), undefined, "a UK number needs no US origination identity");
    assert.equal(check(report, "111111111111", "sms-spend-limit")!.verdict, "ok");
    assert.equal(check(report, "111111111111", "account-column")!.verdict, "fail");
  });

  it("an account out of the sandbox with a US toll-free number and a spend limit that covers the event passes SMS", async () => {
    const report = await run(
      rows(3, (i) => ({ phone: `+1555555010${i}` })),
      probe({
        "": {
          identity: { account: "111111111111", arn: "arn:x" },
          sms: {
            inSandbox: false,
            sandboxNumbers: [],
            originationNumbers: [{ phone: "+18885550100", country: "US", status: "ACTIVE", capabilities: ["SMS", "VOICE"] }],
            monthlySpendLimitUsd: 1,
            optedOut: [],
          },
        },
      }),
    );
    assert.equal(report.verdict, "ok", JSON.stringify(report, null, 1));
  });

  // "Using the Amazon SNS SMS sandbox": up to 10 verified destination numbers in all, and a number
  // can be deleted only 24 hours after its verification. Numbers verified before the event hold
  // slots the roster's phones then cannot have.
  it("counts the sandbox's other verified numbers against its 10: 8 roster phones beside 4 verified others is ✗", async () => {
    const others = ["+447700900001", "+447700900002", "+447700900003", "+12065550150"];
    const report = await run(
      rows(8, (i) => ({ phone: `+1206555${String(160 + i).padStart(4, "0")}` })),
      probe({
        "": {
          identity: { account: "111111111111", arn: "arn:x" },
          sms: {
            ...NEW_ACCOUNT_SMS,
            sandboxNumbers: [...others.map((phone) => ({ phone, status: "Verified" })), { phone: "+12065550151", status: "Pending" }],
          },
        },
      }),
    );
    const size = check(report, "111111111111", "sms-sandbox-size")!;
    assert.equal(size.verdict, "fail");
    assert.equal(
      size.found,
      `8 different roster phones and 4 other verified number(s) already in the sandbox (${others.join(", ")}); it holds at most 10 verified numbers`,
    );
    assert.match(size.fix!, /aws sns delete-sms-sandbox-phone-number --phone-number <phone> \(24 h after its verification\)/);
  });

  // A +1 number is not a US number: the NANP's +1 is shared by the US, Canada and the Caribbean
  // (the area code decides). A Canadian phone needs no US origination identity and is not priced
  // as a US text; libphonenumber-js decides the country.
  it("a Canadian +1 phone is not a US number: no US-origination ✗ for it, nor a US price; a US phone in the same account still ✗", async () => {
    const vancouver = "+16045550123";
    const seattle = "+12065550123";
    const report = await run(
      [
        { line: 2, team: "ca", email: "ca@example.com", phone: vancouver },
        { line: 3, team: "us", email: "us@example.com", phone: seattle },
      ],
      probe({
        "": {
          identity: { account: "111111111111", arn: "arn:x" },
          sms: { inSandbox: false, sandboxNumbers: [], originationNumbers: [], monthlySpendLimitUsd: 100, optedOut: [] },
        },
      }),
    );
    const origination = check(report, "111111111111", "sms-origination")!;
    assert.equal(origination.verdict, "fail");
    assert.deepEqual(origination.rows, [{ line: 3, team: "us", phone: seattle }], "only the US row");
    assert.match(origination.found, /^1 US phone\(s\) and no active US origination identity/);
    const canadaOnly = await run(
      [{ line: 2, team: "ca", email: "ca@example.com", phone: vancouver }],
      probe({
        "": {
          identity: { account: "111111111111", arn: "arn:x" },
          sms: { inSandbox: false, sandboxNumbers: [], originationNumbers: [], monthlySpendLimitUsd: 100, optedOut: [] },
        },
      }),
    );
    assert.equal(check(canadaOnly, "111111111111", "sms-origination"), undefined, "no US phone, no US-origination check");
    assert.equal(usdPerText(seattle), 0.01);
    assert.equal(usdPerText(vancouver), 0.1, "a Canadian text is priced at the non-US bound, not as a US one");
    assert.equal(smsCountry(vancouver), "CA");
    assert.equal(smsCountry("+14165550123"), "CA", "Toronto");
    assert.equal(smsCountry(seattle), "US");
    assert.equal(smsCountry("+18095550123"), "DO", "the Dominican Republic is +1 too");
  });

  it("--no-sms skips the SMS checks and asks nothing about SMS", async () => {
    const p = probe({ "": { identity: { account: "111111111111", arn: "arn:x" }, sms: NEW_ACCOUNT_SMS } });
    let smsAsked = false;
    const report = await run(
      rows(12, (i) => ({ phone: `+1555555${String(i).padStart(4, "0")}` })),
      {
        ...p,
        sms: (...a) => ((smsAsked = true), p.sms(...a)),
      },
      { noSms: true },
    );
    assert.equal(report.verdict, "ok");
    assert.equal(smsAsked, false);
  });

  it("warns when the shell's keys sit beside roster profiles", async () => {
    const report = await run(
      rows(1, () => ({ profile: "a" })),
      probe({ a: { identity: { account: "111111111111", arn: "arn:a" } } }),
      {
        env: { AWS_ACCESS_KEY_ID: "AKIA" },
      },
    );
    assert.equal(report.general[0]!.check, "environment-keys");
    assert.equal(report.verdict, "warn");
  });

  describe("the command", () => {
    const dir = mkdtempSync(join(tmpdir(), "preflight-"));
    const roster = join(dir, "teams.csv");
    writeFileSync(
      roster,
      "team,email,phone\n" + Array.from({ length: 3 }, (_, i) => `t${i + 1},t${i + 1}@example.com,+1555555010${i}`).join("\n") + "\n",
    );
    const project = mkdtempSync(join(tmpdir(), "preflight-project-"));
    writeFileSync(join(project, "Pulumi.yaml"), "name: clickstream-lab\nruntime: nodejs\n");
    writeFileSync(
      join(project, "Pulumi.workshop.yaml"),
      `config:\n  clickstream-lab:event: immersion-day\n  clickstream-lab:endsAt: "${new Date(NOW.getTime() + 6 * 3600_000).toISOString()}"\n`,
    );
    function cli(args: string[]): Promise<{ code: number; out: string; err: string; workspaceUsed: boolean }> {
      let out = "";
      let err = "";
      let code = 0;
      let workspaceUsed = false;
      const deps: Deps = {
        ...defaultDeps,
        now: () => NOW,
        out: (t) => void (out += t),
        err: (t) => void (err += t),
        fail: (c) => void (code = c),
        workspace: () => {
          workspaceUsed = true;
          throw new Error("no stack may be touched");
        },
        preflight: () => ({
          probe: probe({ "": { identity: { account: "111111111111", arn: "arn:x" }, sms: NEW_ACCOUNT_SMS } }),
          quotas: documentedDefaults,
        }),
      };
      const saved = process.exitCode;
      const done = (rc: number) => {
        process.exitCode = saved;
        return { code: code || rc, out, err, workspaceUsed };
      };
      return main(
        ["node", "workshop", "--project", project, "--state", join(dir, "state.json"), "--logs", join(dir, "logs"), ...args],
        deps,
      ).then(done, (e: unknown) => ((err += String(e)), done(99)));
    }

    it("prints one verdict per check with its fix and page, and exits 1 on a ✗", async () => {
      const r = await cli(["preflight", "--roster", roster, "--quotas", "documented"]);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /^Account 111111111111 \(default credentials\): 3 team\(s\)$/m);
      assert.match(r.out, /^ {2}✗ sms-verified {9}3 roster phone\(s\) are not verified destinations/m);
      assert.match(r.out, /^ {6}line 2 t1 \+15555550100$/m);
      assert.match(r.out, /^ {6}\(https:\/\/docs\.aws\.amazon\.com\/sns\/latest\/dg\/sns-sms-sandbox-verifying-phone-numbers\.html\)$/m);
      assert.match(r.out, /^ {2}quotas: Managed Flink applications 3\/50, Kinesis shards \(us-east-1\) 6\/500,/m);
    });

    it("--json prints the same report as data", async () => {
      const r = await cli(["preflight", "--roster", roster, "--quotas", "documented", "--json"]);
      const report = JSON.parse(r.out) as PreflightReport;
      assert.equal(report.verdict, "fail");
      assert.equal(report.accounts[0]!.account, "111111111111");
      assert.equal(r.code, 1);
    });

    it("provision refuses a sandboxed account with unverified phones before any stack is touched, naming --skip-preflight", async () => {
      const r = await cli(["provision", "--roster", roster, "--quotas", "documented"]);
      assert.equal(r.code, 1);
      assert.equal(r.workspaceUsed, false);
      assert.match(r.err, /provision refused: preflight found the ✗ above, and no stack was touched\..*--skip-preflight/);
      assert.match(r.out, /✗ sms-verified/);
    });

    it("provision --no-sms passes the same account (the phones are left out of the stacks)", async () => {
      const r = await cli(["provision", "--roster", roster, "--quotas", "documented", "--no-sms"]);
      assert.equal(r.workspaceUsed, true, r.err);
    });
  });
});
