// `npm run workshop -- update` when the canary's Managed Flink application is busy, on the real
// engine against the fake AWS account: two teams provisioned, then the canary's application put in
// UPDATING (an earlier update still in flight) before a new threshold is rolled out.
// UpdateApplication answers ResourceInUseException until the application is READY or RUNNING
// (API reference, UpdateApplication), and so does the fake account (offline/fakeAws/flinkLife.ts;
// the test sets the status as the service's own transition would, FakeAccount.setApplicationStatus,
// in the account file the provider plugin reads). What an instructor needs: the CLI waits within
// its bound (--busy-wait) saying why, or stops with a line naming the busy application and what to
// do; no other team is touched before the canary is through; every team stays up; a later update
// resumes.

import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as YAML from "yaml";
import { changeAccount } from "../../offline/fakeAws/accountFile";
import { FLINK_APPLICATION, type RecordedResource } from "../../offline/fakeAws/core";
import { teamNames, teamStackName } from "../../infra/naming";
import { pulumiOk, workshopSandbox, type WorkshopSandbox } from "../support/engine";

const TEAMS = ["alpha", "bravo"];
/** How the CLI says a team waits for a resource busy changing state (workshop/orchestrator.ts retryOptions). */
const WAITING = "waiting for a resource to finish changing state: ";
/** No line of a Node.js stack trace ("    at fn (file.ts:12:3)") reaches the instructor. */
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe("workshop update with a busy canary, on the real engine", function () {
  this.timeout(3_600_000);
  let w: WorkshopSandbox;
  const appName = (team: string) => teamNames(w.event, team).analyticsApp;
  const app = (team: string): RecordedResource => {
    const found = w.sb.account().resources.find((r) => r.type === FLINK_APPLICATION && r.stack === teamStackName(w.event, team));
    assert.ok(found, `${team} has an application`);
    return found;
  };
  /** The threshold the team's application runs with, as the account holds it. */
  const threshold = (team: string) =>
    (
      app(team).inputs.applicationConfiguration as {
        environmentProperties: { propertyGroups: { propertyGroupId: string; propertyMap: Record<string, string> }[] };
      }
    ).environmentProperties.propertyGroups.find((g) => g.propertyGroupId === "Detection")!.propertyMap["anomaly.threshold"];
  /** The threshold in the team stack's settings file: what a later `up` of that stack deploys. */
  const storedThreshold = (team: string) =>
    (
      YAML.parse(readFileSync(join(w.sb.project, `Pulumi.${teamStackName(w.event, team)}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      }
    ).config["clickstream-lab:anomalyThreshold"];
  const setStatus = (team: string, status: string) => changeAccount(w.sb.accountFile, (a) => a.setApplicationStatus(appName(team), status));
  /** Each team's record in the instructor's state file (workshop/state.ts). */
  const stateOf = () =>
    (JSON.parse(readFileSync(join(w.sb.project, "state.json"), "utf8")) as { teams: Record<string, { status: string }> }).teams;
  const teamLog = (team: string) => {
    const file = join(w.sb.project, "logs", `${team}.log`);
    return existsSync(file) ? readFileSync(file, "utf8") : "";
  };

  before(async () => {
    w = await workshopSandbox({
      roster: ["team,email", ...TEAMS.map((t) => `${t},${t}@example.com`)],
      apis: ["AWS_ENDPOINT_URL_KINESIS_ANALYTICS_V2"],
    });
    const r = await w.workshop(["provision", "--roster", w.roster, "--concurrency", "2", "--quotas", "documented", "--skip-preflight"]);
    assert.equal(r.code, 0, `provision:\n${r.stdout}\n${r.stderr}`);
    await pulumiOk(w.sb, ["config", "set", "--stack", "workshop", "anomalyThreshold", "3.1"]);
  });
  after(async () => {
    await w?.close();
  });

  it("a canary still busy after --busy-wait stops the rollout with a line naming its application and what to do; nothing else is touched", async () => {
    const before = { alpha: threshold("alpha"), bravo: threshold("bravo"), bravoStored: storedThreshold("bravo") };
    assert.notEqual(before.alpha, "3.1");
    await setStatus("alpha", "UPDATING");
    const r = await w.workshop(["update", "--canary", "alpha", "--concurrency", "2", "--check", "running", "--busy-wait", "30"]);
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.code, 1, out);
    assert.doesNotMatch(out, STACK_TRACE, "no stack trace");
    assert.match(
      r.stderr,
      new RegExp(`^update: alpha: ${WAITING}.*${appName("alpha")} is UPDATING`, "m"),
      "the progress says why it waits",
    );
    assert.match(
      r.stdout,
      new RegExp(
        `^Stopped at alpha: its update failed: a resource was still busy changing state after waiting 30 s \\(--busy-wait\\): .*${appName("alpha")} is UPDATING: UpdateApplication answers ResourceInUseException`,
        "m",
      ),
    );
    assert.match(
      r.stdout,
      /; wait until it has finished \(a Flink application READY or RUNNING: npm run workshop -- status shows it\), then resume$/m,
    );
    assert.match(r.stdout, /untouched \(not started, as they were\): bravo/);
    assert.match(r.stdout, /^Resume, once the cause is fixed: npm run workshop -- .* update .*--busy-wait 30/m);
    assert.equal(threshold("alpha"), before.alpha, "the refused UpdateApplication changed nothing");
    assert.equal(threshold("bravo"), before.bravo, "bravo's application was not updated");
    assert.equal(storedThreshold("bravo"), before.bravoStored, "bravo's stack config was not rewritten");
    assert.deepEqual(
      TEAMS.map((t) => stateOf()[t]?.status),
      ["up", "up"],
      "every team is still up in the state file",
    );
  });

  it("waits while the canary is busy, saying why, and once its earlier update is through, updates it and then the rest", async () => {
    // The earlier update ends while this one waits: once alpha's log says it is waiting, alpha's
    // application becomes RUNNING, as the service's own transition would leave it.
    let bravoWhileWaiting: string | undefined;
    let waited = false;
    const run = w.workshop(["update", "--canary", "alpha", "--concurrency", "2", "--check", "running", "--check-timeout", "120"]);
    let finished = false;
    void run.then(() => (finished = true));
    const settle = (async () => {
      const started = teamLog("alpha").length;
      const deadline = Date.now() + 10 * 60_000;
      const waits = () => new RegExp(`${WAITING}.*UPDATING`).test(teamLog("alpha").slice(started));
      while (!finished && Date.now() < deadline && !waits()) await new Promise((res) => setTimeout(res, 2000));
      waited = waits();
      bravoWhileWaiting = threshold("bravo");
      await setStatus("alpha", "RUNNING");
    })();
    const r = await run;
    await settle;
    const out = `${r.stdout}\n${r.stderr}`;
    assert.ok(waited, `alpha's log says it waits for its busy application:\n${teamLog("alpha")}`);
    assert.equal(r.code, 0, out);
    assert.doesNotMatch(out, STACK_TRACE, "no stack trace");
    assert.notEqual(bravoWhileWaiting, "3.1", "bravo was not updated while the canary waited");
    const waiting = r.stderr.indexOf(`update: alpha: ${WAITING}`);
    const rest = r.stderr.indexOf("update: updating");
    assert.ok(waiting >= 0 && waiting < rest, `the canary's wait, then the rest:\n${r.stderr}`);
    assert.match(r.stdout, /Canary alpha: check passed: RUNNING/);
    assert.match(r.stdout, /update: 2 teams: 2 updated, 0 checked, 0 failed, 0 untouched/);
    for (const t of TEAMS) {
      assert.equal(threshold(t), "3.1", `${t} runs the new threshold`);
      assert.equal(app(t).state.status, "RUNNING", `${t}'s application is RUNNING`);
      assert.equal(stateOf()[t]?.status, "up");
    }
  });
});
