// The roster's account check against a real STS endpoint: moto's server on 127.0.0.1. The default
// credentials reach moto's account 123456789012; a profile holding credentials from AssumeRole
// into 111111111111 reaches that account, as a second account of an event would.

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startMoto, type LocalAws } from "../../offline/moto";
import { documentedDefaults, stsAccounts, type QuotaSource } from "../../workshop/quotas";
import { readRoster, RosterError } from "../../workshop/roster";
import { NOW } from "../support";

const BASE = { event: "immersion-day", endsAt: "2026-11-28T18:00:00Z" };
const HEADER = "team,email,phone,profile,account\n";
const ENV = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_PROFILE",
] as const;

describe("workshop roster accounts, against moto's STS", function () {
  this.timeout(60_000);
  let moto: LocalAws;
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};

  before(async () => {
    moto = await startMoto();
    for (const k of ENV) saved[k] = process.env[k];
    process.env.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    process.env.AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const sts = new STSClient({ region: "us-east-1", endpoint: moto.endpoint });
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/event-account-2", RoleSessionName: "roster" }),
    );
    sts.destroy();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-aws-"));
    fs.writeFileSync(
      path.join(dir, "credentials"),
      [
        "[first]",
        `aws_access_key_id = ${process.env.AWS_ACCESS_KEY_ID}`,
        `aws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}`,
        "[second]",
        `aws_access_key_id = ${c!.AccessKeyId!}`,
        `aws_secret_access_key = ${c!.SecretAccessKey!}`,
        `aws_session_token = ${c!.SessionToken!}`,
      ].join("\n") + "\n",
    );
    fs.writeFileSync(path.join(dir, "config"), "[profile first]\nregion = us-east-1\n[profile second]\nregion = us-east-1\n");
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "credentials");
    process.env.AWS_CONFIG_FILE = path.join(dir, "config");
  });

  after(async () => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await moto?.stop();
  });

  it("asks STS which account each profile reaches", async () => {
    const accounts = stsAccounts("us-east-1", moto.endpoint);
    assert.equal(await accounts.accountOf(undefined), "123456789012");
    assert.equal(await accounts.accountOf("first"), "123456789012");
    assert.equal(await accounts.accountOf("second"), "111111111111");
  });

  it("refuses a row whose account column is not its profile's account, and a profile that does not exist", async () => {
    const csv = `${HEADER}t1,a@example.com,,first,123456789012\nt2,b@example.com,,second,123456789012\nt3,c@example.com,,nobody,\n`;
    try {
      await readRoster(csv, BASE, documentedDefaults, NOW, { accounts: stsAccounts("us-east-1", moto.endpoint) });
      assert.fail("accepted");
    } catch (e) {
      assert.ok(e instanceof RosterError, String(e));
      const p = e.problems.map((x) => `${x.line}:${x.field}: ${x.problem}`);
      assert.equal(p.length, 2, p.join("\n"));
      assert.equal(p[0], '3:account: "123456789012" is not the AWS account behind profile second (111111111111)');
      assert.match(p[1]!, /^4:profile: cannot tell which AWS account is behind profile nobody \(STS GetCallerIdentity: /);
    }
  });

  it("counts the default credentials and profile first as the one account they are", async () => {
    const source: QuotaSource = {
      limit: (q) => Promise.resolve(q.id === "cognito-user-pools" ? { value: 1, from: "Service Quotas" } : { value: 10_000, from: "test" }),
    };
    const csv = `${HEADER}t1,a@example.com,,first,\nt2,b@example.com,,,123456789012\nt3,c@example.com,,second,\n`;
    try {
      await readRoster(csv, BASE, source, NOW, { accounts: stsAccounts("us-east-1", moto.endpoint) });
      assert.fail("accepted");
    } catch (e) {
      assert.ok(e instanceof RosterError, String(e));
      // Grouped by profile or column as written, each of the three would be alone in its "account".
      assert.deepEqual(
        e.problems.map((x) => x.problem),
        ["2 teams in 123456789012 need 2 Cognito user pools (1 each); the account allows 1 (Service Quotas)"],
      );
    }
  });
});
