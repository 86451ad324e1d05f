import { strict as assert } from "node:assert";
import { readRoster, RosterError } from "../../workshop/roster";
import { documentedDefaults, QUOTAS, type AccountSource, type QuotaSource } from "../../workshop/quotas";
import { NOW } from "../support";

const BASE = { event: "immersion-day", endsAt: "2026-11-28T18:00:00Z" };
const HEADER = "team,email,phone,profile,account\n";

async function problems(csv: string | Uint8Array, quotas: QuotaSource = documentedDefaults, accounts?: AccountSource): Promise<string[]> {
  try {
    await readRoster(csv, BASE, quotas, NOW, accounts ? { accounts } : {});
  } catch (e) {
    assert.ok(e instanceof RosterError, String(e));
    return e.problems.map((p) => `${p.line}:${p.field}: ${p.problem}`);
  }
  return [];
}

describe("workshop roster", () => {
  it("reads a good roster, phone, profile and account optional", async () => {
    const rows = await readRoster(
      `${HEADER}t1,a@example.com,,,\nt2,b@example.com,+15555550100,acct-b,123456789012\n`,
      BASE,
      documentedDefaults,
      NOW,
    );
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
    assert.deepEqual(await problems("team,mail\nt1,a@example.com\n"), [
      "1:email: column is missing (the header, read as text with the comma as delimiter, has: team, mail)",
      "1:mail: unknown column (read as text with the comma as delimiter)",
    ]);
    assert.deepEqual(await problems("team,email\n"), ["0:file: no teams"]);
  });

  it("refuses more teams than the account's quotas hold, per account", async () => {
    // Service Quotas answering with a raised shard quota of 10 for one profile, defaults elsewhere.
    const source: QuotaSource = {
      limit: (q, profile) =>
        Promise.resolve(
          q.id === "kinesis-shards" && profile === "small" ? { value: 10, from: "Service Quotas" } : documentedDefaults.limit(q, profile),
        ),
    };
    const rows = Array.from({ length: 6 }, (_, i) => `s${i},s${i}@example.com,,small,`).join("\n");
    const p = await problems(`${HEADER}${rows}\nbig1,b@example.com,,,\n`, source);
    assert.deepEqual(p, [
      "0:kinesis-shards: 6 teams in small need 12 Kinesis shards (us-east-1) (2 each); the account allows 10 (Service Quotas)",
    ]);
  });

  it("with 201 teams in one account, names the IAM role quota from the documented default", async () => {
    const rows = Array.from({ length: 201 }, (_, i) => `t${i},t${i}@example.com,,,`).join("\n");
    const p = await problems(`${HEADER}${rows}\n`);
    const roles = QUOTAS.find((q) => q.id === "iam-roles")!;
    assert.ok(
      p.some((x) => x.startsWith(`0:iam-roles: 201 teams need ${201 * roles.perTeam} IAM roles`) && x.includes(roles.source)),
      p.join("\n"),
    );
  });

  it("reports a duplicate team, an invalid e-mail and an invalid phone all at once", async () => {
    const p = await problems(`${HEADER}t1,a@example.com,,,\nt1,b@example.com,,,\nt3,nope,,,\nt4,d@example.com,12345,,\n`);
    assert.equal(p.length, 3, p.join("\n"));
    assert.match(p[0]!, /^3:team: "t1" is already on line 2/);
    assert.match(p[1]!, /^4:email: /);
    assert.match(p[2]!, /^5:phone: /);
  });

  describe("as the file is (issue 14, input 8)", () => {
    it("reports the line a row is on, after blank lines, # lines and a multi-line quoted field", async () => {
      const csv = `${HEADER}\n# morning group\n"t1","a@example.com","+15555550123",,\n"t2","Line one\nline two",,,\n\nt3,not-an-email,,,\n`;
      // t1 on line 4, t2 on lines 5-6, t3 on line 8.
      const p = await problems(csv);
      assert.equal(p.length, 2, p.join("\n"));
      assert.match(p[0]!, /^5:email: /);
      assert.match(p[1]!, /^8:email: /);
    });
    it("names the line of the first row after comments in the rows it returns", async () => {
      const rows = await readRoster(`# event roster\n\n${HEADER}t1,a@example.com,,,\n`, BASE, documentedDefaults, NOW);
      assert.equal(rows[0]!.line, 4);
    });
    it("refuses a header that names a column twice", async () => {
      assert.deepEqual(await problems("team,email,team\nt1,a@example.com,t2\n"), ["1:team: column appears twice in the header"]);
    });
    it("keeps a # inside a field: +15555550123#ext9 is read whole (and refused as not E.164)", async () => {
      const p = await problems(`${HEADER}t1,a@example.com,+15555550123#ext9,,\n`);
      assert.equal(p.length, 1, p.join("\n"));
      assert.match(p[0]!, /^2:phone: "\+15555550123#ext9" is not an E\.164 phone number/);
    });
    it("reads a semicolon-separated file", async () => {
      const rows = await readRoster("team;email;phone\nt1;a@example.com;+15555550123\n", BASE, documentedDefaults, NOW);
      assert.deepEqual(rows, [{ line: 2, team: "t1", email: "a@example.com", phone: "+15555550123" }]);
    });
    it("names the delimiter it read with when the header is wrong", async () => {
      const p = await problems("team|mail\nt1|a@example.com\n");
      assert.match(p[0]!, /column is missing \(the header, read as text with the vertical bar as delimiter, has: team, mail\)/);
    });
    it("reads UTF-16 with a byte-order mark, as Excel's Unicode text saves it, and UTF-8 with one", async () => {
      const text = "team\temail\nt1\ta@example.com\n";
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
      assert.deepEqual(await readRoster(utf16, BASE, documentedDefaults, NOW), [{ line: 2, team: "t1", email: "a@example.com" }]);
      const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("team,email\nt1,a@example.com\n")]);
      assert.deepEqual(await readRoster(utf8, BASE, documentedDefaults, NOW), [{ line: 2, team: "t1", email: "a@example.com" }]);
    });
    it("refuses a Windows-1252 file, naming the encoding and the line", async () => {
      const latin1 = Buffer.from("team,email\nt1,ren\xe9@example.com\n", "latin1");
      assert.deepEqual(await problems(latin1), [
        "2:file: is not UTF-8 or UTF-16: byte 0xE9 at offset 17 (a Windows-1252 or Latin-1 file, as older spreadsheets save)",
      ]);
    });
    it("reports a problem of the event profile once, not once per row", async () => {
      try {
        await readRoster(`${HEADER}t1,a@example.com,,,\nt2,b@example.com,,,\n`, { event: "immersion-day" }, documentedDefaults, NOW);
        assert.fail("accepted");
      } catch (e) {
        assert.ok(e instanceof RosterError);
        assert.deepEqual(
          e.problems.map((p) => `${p.line}:${p.field}`),
          ["0:endsAt"],
        );
        assert.match(e.problems[0]!.fix, /^pulumi config set --stack workshop endsAt /);
      }
    });
  });

  describe("accounts (issue 14, input 8)", () => {
    const accounts = (map: Record<string, string>): AccountSource => ({
      accountOf: (profile) =>
        profile === "broken"
          ? Promise.reject(new Error("Could not load credentials"))
          : Promise.resolve(map[profile ?? ""] ?? "111111111111"),
    });
    it("refuses an account column that is not the account the profile reaches", async () => {
      const p = await problems(
        `${HEADER}t1,a@example.com,,second,111111111111\n`,
        documentedDefaults,
        accounts({ second: "222222222222" }),
      );
      assert.deepEqual(p, ['2:account: "111111111111" is not the AWS account behind profile second (222222222222)']);
    });
    it("names a profile whose credentials do not work", async () => {
      const p = await problems(`${HEADER}t1,a@example.com,,broken,\n`, documentedDefaults, accounts({}));
      assert.match(
        p.join(),
        /^2:profile: cannot tell which AWS account is behind profile broken \(STS GetCallerIdentity: Could not load credentials\)/,
      );
    });
    it("counts one account once for quotas, however its rows name it", async () => {
      const source: QuotaSource = {
        limit: (q) =>
          Promise.resolve(q.id === "flink-applications" ? { value: 3, from: "Service Quotas" } : { value: 10_000, from: "test" }),
      };
      // Two teams by profile, two by the default credentials with the account written out: one account.
      const csv = `${HEADER}t1,a@example.com,,p1,\nt2,b@example.com,,p1,\nt3,c@example.com,,,111111111111\nt4,d@example.com,,,111111111111\n`;
      const p = await problems(csv, source, accounts({ p1: "111111111111", "": "111111111111" }));
      assert.deepEqual(p, [
        "0:flink-applications: 4 teams in 111111111111 need 4 Managed Flink applications (1 each); the account allows 3 (Service Quotas)",
      ]);
      const rows = await readRoster(csv, BASE, documentedDefaults, NOW, { accounts: accounts({ p1: "111111111111", "": "111111111111" }) });
      assert.deepEqual(
        rows.map((r) => r.accountId),
        ["111111111111", "111111111111", "111111111111", "111111111111"],
      );
    });
  });
});
