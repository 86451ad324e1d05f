// --policy-pack-config is checked once, before any team (issue #26, kind 2): it exists, is JSON,
// names only the pack's policies (closest match for a typo), and each value passes that policy's
// configSchema; the limits it sets are the ones the roster is then checked against.

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RUN_LIMITS } from "../../infra/config";
import { POLICIES } from "../../policy/policies";
import { documentedDefaults } from "../../workshop/quotas";
import { PackConfigError, readPackConfig } from "../../workshop/packConfig";
import { readRoster, RosterError } from "../../workshop/roster";
import { register } from "tsx/esm/api";
import { main } from "../../cli/workshop";
import { runInProcess } from "../support/cli";

const dir = mkdtempSync(join(tmpdir(), "pack-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const problemsOf = (path: string): string[] => {
  try {
    readPackConfig(path, POLICIES);
  } catch (e) {
    assert.ok(e instanceof PackConfigError, String(e));
    assert.match(e.message, new RegExp(`^--policy-pack-config ${path} has \\d+ problems?; no team was touched\\.`));
    return [...e.problems];
  }
  assert.fail(`${path} was accepted`);
};

describe("--policy-pack-config", function () {
  this.timeout(120_000);

  it("refuses a missing file, a folder, broken JSON and a non-object (the reported input: a missing file)", () => {
    assert.deepEqual(problemsOf(join(dir, "nope.json")), ["no such file"]);
    assert.deepEqual(problemsOf(dir), ["is not a file"]);
    assert.match(problemsOf(file("broken.json", '{"log-retention": {'))[0]!, /^is not JSON: /);
    assert.match(problemsOf(file("list.json", "[]"))[0]!, /must be a JSON object by policy name/);
  });

  it('names a misspelt policy with the closest one (the reported input: it surfaced as invalid enforcement level "")', () => {
    const [p] = problemsOf(file("typo.json", JSON.stringify({ "sns-email-or-local-smss": { smsCountryCodes: [] } })));
    assert.match(p!, /^"sns-email-or-local-smss" is not a policy of the pack; did you mean "sns-email-or-local-sms"\?/);
    const [q] = problemsOf(file("far.json", JSON.stringify({ "no-such-thing": "advisory" })));
    assert.match(q!, /^"no-such-thing" is not a policy of the pack \(policies: lab-resource-types-only, /);
  });

  it("checks every value against its policy's configSchema and the enforcement levels, all problems at once", () => {
    const problems = problemsOf(
      file(
        "values.json",
        JSON.stringify({
          "team-hourly-budget": { maxUsdPerHour: "1" },
          "log-retention": { maxRetentionDays: 0 },
          "sns-email-or-local-sms": { smsCountryCodes: "1" },
          "flink-one-kpu": { maxKpu: 2 },
          "lambda-small": { maxMemoryMb: 1.5 },
          "kinesis-provisioned-small": "mandatroy",
          "us-east-1-only": { enforcementLevel: "" },
        }),
      ),
    );
    assert.deepEqual(problems, [
      '"team-hourly-budget".maxUsdPerHour: "1" is not a number',
      '"log-retention".maxRetentionDays: 0 is below the minimum 1',
      '"sns-email-or-local-sms".smsCountryCodes: "1" is not an array',
      '"flink-one-kpu": "maxKpu" is not a setting of this policy; did you mean "maxKpus"? (settings: maxKpus, runtimes, enforcementLevel)',
      '"lambda-small".maxMemoryMb: 1.5 is not an integer',
      '"kinesis-provisioned-small": enforcement level "mandatroy" is not one of advisory, mandatory, remediate, disabled',
      '"us-east-1-only": enforcement level "" is not one of advisory, mandatory, remediate, disabled',
    ]);
  });

  it("accepts a good file and gives the run's limits", () => {
    const limits = readPackConfig(
      file(
        "good.json",
        JSON.stringify({
          all: "mandatory",
          "sns-email-or-local-sms": { smsCountryCodes: ["1", "44"] },
          "log-retention": { enforcementLevel: "advisory", maxRetentionDays: 7 },
          "expires-at-real-date": { maxEventDays: 3 },
        }),
      ),
      POLICIES,
    );
    assert.deepEqual(limits, { ...DEFAULT_RUN_LIMITS, smsCountryCodes: ["1", "44"], maxRetentionDays: 7, maxEventDays: 3 });
  });

  it("the roster is checked with the run's limits, not the defaults", async () => {
    const endsAt = new Date(Date.now() + 5 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const base = { endsAt };
    const roster = "team,email,phone\nt1,a@example.com,+15555550123\nt2,b@example.com,+447700900123\n";
    await assert.rejects(
      readRoster(roster, base, documentedDefaults),
      (e: unknown) => e instanceof RosterError && /line 3, phone/.test(e.message),
    );
    const wider = { ...DEFAULT_RUN_LIMITS, smsCountryCodes: ["1", "44"] };
    assert.equal((await readRoster(roster, base, documentedDefaults, new Date(), { limits: wider })).length, 2);
    const none = { ...DEFAULT_RUN_LIMITS, smsCountryCodes: [] };
    await assert.rejects(
      readRoster(roster, base, documentedDefaults, new Date(), { limits: none }),
      /line 2, phone: .*\n[\s\S]*line 3, phone/,
    );
    const shorter = { ...DEFAULT_RUN_LIMITS, maxEventDays: 3 };
    await assert.rejects(
      readRoster("team,email\nt1,a@example.com\n", base, documentedDefaults, new Date(), { limits: shorter }),
      /more than 3 days ahead/,
    );
  });

  it("provision refuses a missing --policy-pack-config before any team, exit 2", async () => {
    // provision imports our pack's policies with import(), which tsx's ESM loader resolves (mocha
    // registers only its CommonJS one): registered for this run only.
    const unregister = register();
    const r = await runInProcess("cli/workshop.ts", main, [
      "--policy-pack-config",
      join(dir, "missing.json"),
      "provision",
      "--roster",
      join(dir, "r.csv"),
      "--validate-only",
    ]).finally(unregister);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--policy-pack-config .*missing\.json has 1 problem; no team was touched\.\n {2}- no such file/);
  });
});
