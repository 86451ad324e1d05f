// `npm run workshop -- update` on the real engine (issue 22 item 3): three teams provisioned on the
// fake AWS account, then a rebuilt JAR whose SQL changed and a new threshold in the event profile
// rolled out, canary first; a second run changes nothing; and a canary that fails (its application
// was deleted by hand) stops the rollout with the other teams untouched, in the account and in
// their stacks' stored config. The canary is checked with `--check running`: the fake account's
// DescribeApplication (offline/fakeAws/taggingApi.ts); no Flink job runs here to be smoked.

import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import * as YAML from "yaml";
import type { EngineSandbox } from "../../offline/engine/sandbox";
import type { RecordedResource } from "../../offline/fakeAws/core";
import { teamStackName } from "../../infra/naming";
import { JAR_PATH, ROOT } from "../../paths";
import { pulumiOk, workshopSandbox, type WorkshopSandbox } from "../support/engine";

const TEAMS = ["alpha", "bravo", "charlie"];
const APP = "aws:kinesisanalyticsv2/application:Application";

/** A copy of the built JAR whose SQL differs by one expression: what rebuilding after editing sql/ deploys. */
function changedSqlJar(): string {
  const dir = mkdtempSync(join(tmpdir(), "rollout-jar-"));
  const jar = join(dir, "clickstream-analytics-changed.jar");
  copyFileSync(JAR_PATH, jar);
  const sql = readFileSync(join(ROOT, "sql", "anomaly-detection.sql"), "utf8");
  const changed = sql.replace("* 100.000 AS CTR", "* 100.0 AS CTR");
  assert.notEqual(changed, sql, "the SQL still has the expression this test changes");
  mkdirSync(join(dir, "sql"));
  writeFileSync(join(dir, "sql", "anomaly-detection.sql"), changed);
  execFileSync("jar", ["uf", jar, "-C", dir, "sql/anomaly-detection.sql"]);
  return jar;
}

describe("workshop update on the real engine", function () {
  this.timeout(3_600_000);
  let w: WorkshopSandbox;
  let sb: EngineSandbox;
  let event: string;
  let jar: string;
  const ok = (args: string[]) => pulumiOk(sb, args);
  const app = (team: string): RecordedResource => {
    const found = sb.account().resources.find((r) => r.type === APP && r.stack === teamStackName(event, team));
    assert.ok(found, `${team} has an application`);
    return found;
  };
  const appInputs = (team: string) => {
    const c = app(team).inputs.applicationConfiguration as {
      applicationCodeConfiguration: { codeContent: { s3ContentLocation: { fileKey: string } } };
      environmentProperties: { propertyGroups: { propertyGroupId: string; propertyMap: Record<string, string> }[] };
    };
    return {
      fileKey: c.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey,
      threshold: c.environmentProperties.propertyGroups.find((g) => g.propertyGroupId === "Detection")!.propertyMap["anomaly.threshold"],
    };
  };
  /** The threshold in the team stack's settings file: what a later `extend` or bare `pulumi up` would deploy. */
  const storedThreshold = (team: string) =>
    (YAML.parse(readFileSync(join(sb.project, `Pulumi.${teamStackName(event, team)}.yaml`), "utf8")) as { config: Record<string, unknown> })
      .config["clickstream-lab:anomalyThreshold"];

  before(async () => {
    w = await workshopSandbox({
      main: "test/engine/rolloutProgram.ts",
      roster: ["team,email", ...TEAMS.map((t) => `${t},${t}@example.com`)],
      apis: ["AWS_ENDPOINT_URL_KINESIS_ANALYTICS_V2"],
    });
    ({ sb, event } = w);
    const r = await w.workshop(["provision", "--roster", w.roster, "--concurrency", "3", "--quotas", "documented", "--skip-preflight"]);
    assert.equal(r.code, 0, `provision:\n${r.stdout}\n${r.stderr}`);
    jar = changedSqlJar();
  });
  after(async () => {
    await w?.close();
  });

  it("rolls a changed SQL and a changed threshold out to every team, the canary first and checked", async () => {
    const before = Object.fromEntries(TEAMS.map((t) => [t, appInputs(t)]));
    await ok(["config", "set", "--stack", "workshop", "anomalyThreshold", "3.1"]);
    const r = await w.workshop(["update", "--canary", "bravo", "--concurrency", "2", "--check", "running", "--check-timeout", "120"], {
      ROLLOUT_JAR: jar,
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stdout,
      /^Preview of 3 teams with the policy pack:\n {2}3 teams: Application code, properties; /m,
      "one group: every team changes alike",
    );
    assert.match(r.stdout, /Canary bravo: check passed: RUNNING/);
    assert.match(r.stdout, /update: 3 teams: 3 updated, 0 checked, 0 failed, 0 untouched/);
    const canary = r.stderr.indexOf("update: canary 0/1, in flight: bravo");
    const checking = r.stderr.indexOf("update: checking canary");
    const rest = r.stderr.indexOf("update: updating");
    assert.ok(canary >= 0 && canary < checking && checking < rest, `canary, its check, then the rest:\n${r.stderr}`);
    for (const t of TEAMS) {
      const now = appInputs(t);
      assert.notEqual(now.fileKey, before[t]!.fileKey, `${t} runs the new JAR`);
      assert.equal(now.fileKey, appInputs("bravo").fileKey, "every team runs the same new JAR");
      assert.equal(now.threshold, "3.1", `${t} has the new threshold`);
      assert.equal(app(t).state.status, "RUNNING");
    }
  });

  it("a second run previews every team as unchanged and updates nothing", async () => {
    const before = JSON.stringify(sb.account().resources);
    const r = await w.workshop(["update", "--check", "running"], { ROLLOUT_JAR: jar });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^ {2}3 teams: no change$/m);
    assert.match(r.stdout, /Nothing to change/);
    assert.equal(JSON.stringify(sb.account().resources), before);
  });

  it("a canary that fails stops the rollout: the other teams stay as they were, in the account and in their stack config", async () => {
    await ok(["config", "set", "--stack", "workshop", "anomalyThreshold", "3.2"]);
    // alpha's application was deleted by hand in the console: its update will fail.
    const file = JSON.parse(readFileSync(sb.accountFile, "utf8")) as { resources: RecordedResource[] };
    file.resources = file.resources.filter((x) => !(x.type === APP && x.stack === teamStackName(event, "alpha")));
    writeFileSync(sb.accountFile, JSON.stringify(file));
    const r = await w.workshop(["update", "--canary", "alpha", "--check", "running", "--attempts", "1"], { ROLLOUT_JAR: jar });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Stopped at alpha: its update failed: .*does not exist/);
    assert.match(r.stdout, /untouched \(not started, as they were\): bravo, charlie/);
    assert.match(r.stdout, /Resume, once the cause is fixed: npm run workshop -- .* update --check running --attempts 1/);
    for (const t of ["bravo", "charlie"]) {
      assert.equal(appInputs(t).threshold, "3.1", `${t}'s application was not updated`);
      assert.equal(storedThreshold(t), "3.1", `${t}'s stack config was not rewritten by its preview`);
    }
  });
});
