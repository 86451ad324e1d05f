import { strict as assert } from "node:assert";
import { readRoster, RosterError } from "../../workshop/roster";
import { documentedDefaults, QUOTAS, type QuotaSource } from "../../workshop/quotas";
import { NOW } from "../support";

const BASE = { event: "immersion-day", endsAt: "2026-11-28T18:00:00Z" };
const HEADER = "team,email,phone,profile,account\n";

async function problems(csv: string, quotas: QuotaSource = documentedDefaults): Promise<string[]> {
  try {
    await readRoster(csv, BASE, quotas, NOW);
  } catch (e) {
    assert.ok(e instanceof RosterError, String(e));
    return e.problems.map((p) => `${p.line}:${p.field}: ${p.problem}`);
  }
  return [];
}

describe("workshop roster", () => {
  it("reads a good roster, phone, profile and account optional", async () => {
    const rows = await readRoster(`${HEADER}t1,a@example.com,,,\nt2,b@example.com,+15555550100,acct-b,123456789012\n`, BASE, documentedDefaults, NOW);
    assert.deepEqual(rows, [
      { line: 2, team: "t1", email: "a@example.com" },
      { line: 3, team: "t2", email: "b@example.com", phone: "+15555550100", profile: "acct-b", account: "123456789012" },
    ]);
  });

  it("names a duplicate team with both lines", async () => {
    assert.deepEqual(await problems(`${HEADER}t1,a@example.com,,,\nt1,b@example.com,,,\n`), ['3:team: "t1" is already on line 2']);
  });

  it("refuses a malformed team name as the stack would", async () => {
    const p = await problems(`${HEADER}Team_One,a@example.com,,,\n`);
    assert.equal(p.length, 1);
    assert.match(p[0]!, /^2:team: /);
  });

  it("refuses an invalid e-mail", async () => {
    const p = await problems(`${HEADER}t1,not-an-email,,,\n`);
    assert.match(p.join(), /^2:email: /);
  });

  it("refuses a phone number that is not E.164", async () => {
    const p = await problems(`${HEADER}t1,a@example.com,555-0100,,\n`);
    assert.match(p.join(), /^2:phone: /);
  });

  it("refuses an account that is not 12 digits", async () => {
    assert.deepEqual(await problems(`${HEADER}t1,a@example.com,,,12345\n`), ['2:account: "12345" is not a 12-digit AWS account ID']);
  });

  it("refuses unknown and missing columns, and an empty roster", async () => {
    assert.deepEqual(await problems("team,mail\nt1,a@example.com\n"), ["1:email: column is missing", "1:mail: unknown column"]);
    assert.deepEqual(await problems("team,email\n"), ["0:file: no teams"]);
  });

  it("refuses more teams than the account's quotas hold, per account", async () => {
    // Service Quotas answering with a raised shard quota of 10 for one profile, defaults elsewhere.
    const source: QuotaSource = {
      limit: (q, profile) => Promise.resolve(q.id === "kinesis-shards" && profile === "small" ? { value: 10, from: "Service Quotas" } : documentedDefaults.limit(q, profile)),
    };
    const rows = Array.from({ length: 6 }, (_, i) => `s${i},s${i}@example.com,,small,`).join("\n");
    const p = await problems(`${HEADER}${rows}\nbig1,b@example.com,,,\n`, source);
    assert.deepEqual(p, ["0:kinesis-shards: 6 teams in small need 12 Kinesis shards (us-east-1) (2 each); the account allows 10 (Service Quotas)"]);
  });

  it("with 201 teams in one account, names the IAM role quota from the documented default", async () => {
    const rows = Array.from({ length: 201 }, (_, i) => `t${i},t${i}@example.com,,,`).join("\n");
    const p = await problems(`${HEADER}${rows}\n`);
    const roles = QUOTAS.find((q) => q.id === "iam-roles")!;
    assert.ok(p.some((x) => x.startsWith("0:iam-roles: 201 teams need 1005 IAM roles") && x.includes(roles.source)), p.join("\n"));
  });

  it("reports a duplicate team, an invalid e-mail and an invalid phone all at once", async () => {
    const p = await problems(`${HEADER}t1,a@example.com,,,\nt1,b@example.com,,,\nt3,nope,,,\nt4,d@example.com,12345,,\n`);
    assert.equal(p.length, 3, p.join("\n"));
    assert.match(p[0]!, /^3:team: "t1" is already on line 2/);
    assert.match(p[1]!, /^4:email: /);
    assert.match(p[2]!, /^5:phone: /);
  });
});
