// `workshop update` (workshop/rollout.ts, cli/workshop/update.ts) in-process on the memory
// workspace: every path of issue 22 item 1 — the grouped preview, a dry run, a mandatory violation,
// the canary first, a canary that fails its check, a team failing mid-way, resuming, a second run
// that changes nothing, and a team whose application was stopped at endsAt.

import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/workshop";
import type { Deps } from "../../cli/workshop/common";
import { renderOutcome, renderPlan } from "../../cli/workshop/update";
import { ROOT } from "../../paths";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";
import { changedPaths, settingsCopy } from "../../workshop/pulumiWorkspace";
import { provisionHash, rollout, rolloutConfig, RolloutError, type CanaryVerdict, type RolloutOptions } from "../../workshop/rollout";
import { changeKindOf, describeChanges, groupPreviews } from "../../workshop/rolloutPlan";
import { fileState, memoryState, type StateStore, type TeamRecord } from "../../workshop/state";
import type { ConfigValue, ResourceChange } from "../../workshop/workspace";

const P = "clickstream-lab";
const NOW = new Date("2026-12-01T12:00:00Z");
const LATER = "2026-12-01T18:00:00Z";
const EARLIER = "2026-12-01T11:00:00Z";
const APP = "aws:kinesisanalyticsv2/application:Application";
const FN = "aws:lambda/function:Function";
const JAR = "aws:s3/bucketObjectv2:BucketObjectv2";

const urn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::${P}::${type}::${name}`;
/** What a new JAR with a new threshold looks like in a team's preview. */
const newJarAndThreshold = (stack: string): ResourceChange[] => [
  {
    urn: urn(stack, APP, "app"),
    type: APP,
    op: "update",
    paths: [
      "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey",
      "applicationConfiguration.environmentProperties.propertyGroups[Detection].propertyMap.anomaly.threshold",
    ],
  },
  { urn: urn(stack, FN, "alert"), type: FN, op: "update", paths: ["code"] },
];
const thresholdOnly = (stack: string): ResourceChange[] => [
  {
    urn: urn(stack, APP, "app"),
    type: APP,
    op: "update",
    paths: ["applicationConfiguration.environmentProperties.propertyGroups[Detection].propertyMap.anomaly.threshold"],
  },
];

/** t1's up refused while its application is UPDATING: the engine's diagnostic first, as workshop/pulumiWorkspace.ts puts it, then the Automation API's words. */
const busy = () =>
  new Error(
    'AWS would reject aws:kinesisanalyticsv2/application:Application "analytics-app": - application ev-t1-anomaly-detection is UPDATING: UpdateApplication answers ResourceInUseException until it is READY or RUNNING (API_UpdateApplication)\ncode: 255',
  );

const PROFILE = { event: "ev", team: "rehearsal", notificationEmail: "instructor@example.com", endsAt: LATER, anomalyThreshold: "3.1" };

/** Teams t1..tn provisioned (threshold 2.8), each with `changes` pending for its next up. */
function event(n: number, changes: (stack: string) => ResourceChange[] = newJarAndThreshold, endsAt: Record<string, string> = {}) {
  const ws = new MemoryWorkspace(4);
  const records: Record<string, TeamRecord> = {};
  for (let i = 1; i <= n; i++) {
    const team = `t${i}`;
    const stack = `ev-${team}`;
    const config: Record<string, ConfigValue> = {
      [`${P}:event`]: { value: "ev" },
      [`${P}:team`]: { value: team },
      [`${P}:notificationEmail`]: { value: `${team}@example.com` },
      [`${P}:endsAt`]: { value: endsAt[team] ?? LATER },
      [`${P}:anomalyThreshold`]: { value: "2.8" },
      [`${P}:kdgPassword`]: { value: `Correct-Horse-${team}-42`, secret: true },
    };
    ws.stacks.set(stack, { team, stack, config });
    ws.pending.set(stack, changes(stack));
    records[team] = { stack, status: "up", configHash: "old", endsAt: endsAt[team] ?? LATER, updatedAt: "2026-12-01T09:00:00Z" };
  }
  return { ws, state: memoryState(records) };
}

/** A canary check that passes, or fails for the teams named, and remembers whom it checked and when. */
function checker(failFor: string[] = [], ws?: MemoryWorkspace) {
  const checked: string[] = [];
  const upsBefore: number[] = [];
  const check = (team: string): Promise<CanaryVerdict> => {
    checked.push(team);
    if (ws) upsBefore.push(ws.calls.filter((c) => c.startsWith("up ")).length);
    return Promise.resolve(
      failFor.includes(team)
        ? { ok: false, detail: "Flink application ev-t1-anomaly-detection is UPDATING, not RUNNING, 600 s after the update" }
        : { ok: true, detail: "RUNNING after 40 s; scoring again" },
    );
  };
  return { check, checked, upsBefore };
}

const options = (check: RolloutOptions["check"], more: Partial<RolloutOptions> = {}): RolloutOptions => ({
  project: P,
  profile: PROFILE,
  concurrency: 2,
  now: NOW,
  startingDelayMs: 1,
  check,
  ...more,
});
const ups = (ws: MemoryWorkspace) => ws.calls.filter((c) => c.startsWith("up ")).map((c) => c.slice(3));
const threshold = (ws: MemoryWorkspace, stack: string) => ws.stacks.get(stack)!.config[`${P}:anomalyThreshold`]!.value;

describe("workshop update: rolling a change out mid-event (memory workspace)", () => {
  it("says what changes in one line per group, with the teams that differ listed apart", () => {
    const previews = ["t1", "t2", "t3"].map((team) => ({
      team,
      changes: newJarAndThreshold(`ev-${team}`),
      violations: [],
      description: describeChanges(newJarAndThreshold(`ev-${team}`)),
      kind: changeKindOf(newJarAndThreshold(`ev-${team}`)),
    }));
    previews.push({
      team: "t4",
      changes: thresholdOnly("ev-t4"),
      violations: [],
      description: describeChanges(thresholdOnly("ev-t4")),
      kind: "threshold",
    });
    const groups = groupPreviews(previews);
    assert.deepEqual(
      groups.map((g) => [g.description, g.teams, g.kind]),
      [
        ["Application code, properties; Function code", ["t1", "t2", "t3"], "SQL changed"],
        ["Application properties", ["t4"], "threshold"],
      ],
    );
    const text = renderPlan({ dryRun: true, previews, groups, setAside: [], refused: [], updates: [] });
    assert.match(text, /^ {2}3 teams: Application code, properties; Function code$/m);
    assert.match(text, /^ {2}differs: 1 team \(t4\): Application properties$/m);
    assert.match(text, /SQL changed: the Flink job restarts; the forest scores nothing for 12 windows/);
    assert.match(text, /threshold: the Flink job restarts; no forest warm-up/);
  });

  it("counts a replacement once, and names additions and removals", () => {
    const s = "ev-t1";
    assert.equal(
      describeChanges([
        { urn: urn(s, JAR, "jar"), type: JAR, op: "create-replacement", paths: ["key", "source"] },
        { urn: urn(s, JAR, "jar"), type: JAR, op: "replace", paths: ["key", "source"] },
        { urn: urn(s, JAR, "jar"), type: JAR, op: "delete-replaced", paths: [] },
        { urn: urn(s, "aws:sqs/queue:Queue", "q"), type: "aws:sqs/queue:Queue", op: "create", paths: [] },
        { urn: urn(s, APP, "app"), type: APP, op: "update", paths: ["tagsAll.owner"] },
      ]),
      "Application tags; BucketObjectv2 replaced; Queue added",
    );
    assert.equal(describeChanges([]), "no change");
  });

  it("tells the kinds of change apart from the application's property paths", () => {
    const props = "applicationConfiguration.environmentProperties.propertyGroups";
    const app = (...paths: string[]): ResourceChange[] => [{ urn: "u", type: APP, op: "update", paths }];
    assert.equal(changeKindOf(app(`${props}[Detection].propertyMap.anomaly.threshold`)), "threshold");
    assert.equal(changeKindOf(app(`${props}[RandomCutForest].propertyMap.sub.sample.size`)), "forest parameters");
    assert.equal(changeKindOf(app(`${props}[Detection].propertyMap.window.seconds`)), "window length");
    const jar = (sql: string) => ({
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContent: { s3ContentLocation: { fileKey: `code/clickstream-analytics-0123456789abcdef-sql-${sql}.jar` } },
        },
      },
    });
    const code = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey";
    assert.equal(
      changeKindOf([{ urn: "u", type: APP, op: "update", paths: [code], before: jar("aaaaaaaaaaaa"), after: jar("aaaaaaaaaaaa") }]),
      "new JAR, same SQL",
    );
    assert.equal(
      changeKindOf([{ urn: "u", type: APP, op: "update", paths: [code], before: jar("aaaaaaaaaaaa"), after: jar("bbbbbbbbbbbb") }]),
      "SQL changed",
    );
    assert.equal(changeKindOf(app(code)), "SQL changed", "a key without the SQL's identity: the worst case");
    assert.equal(
      changeKindOf(app("applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey")),
      "SQL changed",
    );
    assert.equal(changeKindOf(app(`${props}[IngestStream].propertyMap.getrecords.interval.ms`)), "other properties");
    assert.equal(changeKindOf([{ urn: "u", type: FN, op: "update", paths: ["code"] }]), "none");
  });

  it("finds changed inputs down to the property, matching property groups by id", () => {
    const before = {
      a: 1,
      applicationConfiguration: {
        environmentProperties: {
          propertyGroups: [
            { propertyGroupId: "Detection", propertyMap: { "anomaly.threshold": "2.8", "window.seconds": "10" } },
            { propertyGroupId: "IngestStream", propertyMap: { "stream.name": "s" } },
          ],
        },
      },
    };
    const after = {
      a: 1,
      applicationConfiguration: {
        environmentProperties: {
          propertyGroups: [
            { propertyGroupId: "IngestStream", propertyMap: { "stream.name": "s" } },
            { propertyGroupId: "Detection", propertyMap: { "anomaly.threshold": "3.1", "window.seconds": "10" } },
          ],
        },
      },
    };
    assert.deepEqual(changedPaths(before, after), [
      "applicationConfiguration.environmentProperties.propertyGroups[Detection].propertyMap.anomaly.threshold",
    ]);
    assert.deepEqual(changedPaths({ code: { hash: "a" } }, { code: { hash: "b" } }), ["code.hash"]);
    assert.deepEqual(changedPaths({ tags: ["a"] }, { tags: ["a", "b"] }), ["tags"]);
  });

  it("previews a config copy that keeps the stored secrets and quotes every value (a bare time would be read as a timestamp)", () => {
    const stored = `encryptionsalt: v1:abc\nconfig:\n  ${P}:endsAt: "2026-12-07T00:30:09Z"\n  ${P}:kdgPassword:\n    secure: v1:xyz\n  ${P}:anomalyThreshold: "2.8"\n`;
    const spec = {
      team: "t1",
      stack: "ev-t1",
      config: {
        [`${P}:endsAt`]: { value: "2026-12-07T00:30:09Z" },
        [`${P}:kdgPassword`]: { value: "pw", secret: true },
        [`${P}:anomalyThreshold`]: { value: "3.1" },
      },
    };
    const text = settingsCopy(stored, spec, { [`${P}:kdgPassword`]: { value: "pw", secret: true } });
    assert.match(text, /^encryptionsalt: "v1:abc"$/m);
    assert.match(text, new RegExp(`^  ${P}:endsAt: "2026-12-07T00:30:09Z"$`, "m"));
    assert.match(text, new RegExp(`^  ${P}:anomalyThreshold: "3.1"$`, "m"));
    assert.match(text, /^ {4}secure: "v1:xyz"$/m);
    assert.throws(
      () => settingsCopy(stored, spec, { [`${P}:kdgPassword`]: { value: "other", secret: true } }),
      /kdgPassword is a secret that differs/,
    );
  });

  it("lays the profile's shared keys over a team's config and keeps the team's own", () => {
    const stored: Record<string, ConfigValue> = {
      [`${P}:team`]: { value: "t1" },
      [`${P}:notificationEmail`]: { value: "t1@example.com" },
      [`${P}:endsAt`]: { value: "2026-12-01T20:00:00Z" },
      [`${P}:kdgPassword`]: { value: "Secret-1", secret: true },
      [`${P}:logRetentionDays`]: { value: "3" },
    };
    const c = rolloutConfig(stored, { ...PROFILE, bucketExpirationDays: "5" }, P);
    assert.equal(c[`${P}:team`]!.value, "t1");
    assert.equal(c[`${P}:notificationEmail`]!.value, "t1@example.com", "the row's e-mail, not the profile's");
    assert.equal(c[`${P}:endsAt`]!.value, "2026-12-01T20:00:00Z", "an extended end stays");
    assert.deepEqual(c[`${P}:kdgPassword`], { value: "Secret-1", secret: true });
    assert.equal(c[`${P}:anomalyThreshold`]!.value, "3.1");
    assert.equal(c[`${P}:bucketExpirationDays`]!.value, "5");
    assert.equal(c[`${P}:logRetentionDays`]!.value, "7", "a key the profile dropped goes back to the project's default");
  });

  it("--dry-run previews every team, stores no config, updates nothing", async () => {
    const { ws, state } = event(4);
    ws.pending.set("ev-t4", thresholdOnly("ev-t4"));
    const c = checker();
    const r = await rollout(ws, state, options(c.check, { dryRun: true }));
    assert.deepEqual(
      r.groups.map((g) => g.teams),
      [["t1", "t2", "t3"], ["t4"]],
    );
    assert.deepEqual(ups(ws), []);
    assert.deepEqual(c.checked, []);
    for (let i = 1; i <= 4; i++) assert.equal(threshold(ws, `ev-t${i}`), "2.8", "a dry run leaves the stored config as it was");
    assert.equal(renderOutcome(r, "npm run workshop -- update"), "Dry run: nothing was updated.\n");
  });

  it("refuses to start when one team's preview violates a mandatory policy, naming team and rule", async () => {
    const { ws, state } = event(3);
    ws.violations.set("ev-t2", [{ policy: "flink-application-shape", message: "parallelism 4 exceeds the event's limit of 1" }]);
    const r = await rollout(ws, state, options(checker().check));
    assert.deepEqual(r.refused, [
      { team: "t2", policy: "flink-application-shape", message: "parallelism 4 exceeds the event's limit of 1" },
    ]);
    assert.deepEqual(ups(ws), [], "no team was updated, not even those without violations");
    assert.match(
      renderPlan(r),
      /REFUSED: 1 team would violate a mandatory policy; nothing was updated:\n {2}t2: flink-application-shape: parallelism 4/,
    );
  });

  it("refuses a bad shared value in the profile before any preview", async () => {
    const { ws, state } = event(2);
    await assert.rejects(
      rollout(ws, state, options(checker().check, { profile: { ...PROFILE, anomalyThreshold: "high" } })),
      (e: unknown) =>
        e instanceof RolloutError && /team t1: anomalyThreshold "high"/.test(e.message) && /nothing was changed/.test(e.message),
    );
    assert.deepEqual(
      ws.calls.filter((c) => c.startsWith("preview")),
      [],
    );
  });

  it("updates the canary first, checks it, then the rest at the concurrency asked; a second run changes nothing", async () => {
    const { ws, state } = event(6);
    const c = checker([], ws);
    const r = await rollout(ws, state, options(c.check, { concurrency: 2 }));
    assert.equal(r.canary, "t1", "by default the first team with a change");
    assert.deepEqual(c.checked, ["t1"]);
    assert.deepEqual(c.upsBefore, [1], "the check ran after the canary's up and before any other");
    assert.equal(ups(ws)[0], "ev-t1");
    assert.deepEqual(ups(ws).slice(1).sort(), ["ev-t2", "ev-t3", "ev-t4", "ev-t5", "ev-t6"]);
    assert.ok(ws.maxInFlight <= 2);
    assert.deepEqual(
      r.updates.map((u) => u.outcome),
      Array(6).fill("updated"),
    );
    for (let i = 1; i <= 6; i++) {
      assert.equal(threshold(ws, `ev-t${i}`), "3.1");
      assert.equal(ws.stacks.get(`ev-t${i}`)!.config[`${P}:notificationEmail`]!.value, `t${i}@example.com`);
    }
    const t1 = state.get("t1")!;
    assert.equal(t1.configHash, provisionHash("t1", t1, ws.stacks.get("ev-t1")!.config, PROFILE, P), "provision will skip it");

    const again = await rollout(ws, state, options(c.check));
    assert.equal(again.canary, undefined);
    assert.deepEqual(
      again.groups.map((g) => [g.description, g.teams.length]),
      [["no change", 6]],
    );
    assert.equal(ups(ws).length, 6, "the second run updated nothing");
    assert.match(renderOutcome(again, ""), /Nothing to change/);
  });

  it("a canary that fails its check stops everything else: the others stay untouched", async () => {
    const { ws, state } = event(4);
    const r = await rollout(ws, state, options(checker(["t2"]).check, { canary: "t2" }));
    assert.deepEqual(ups(ws), ["ev-t2"]);
    assert.deepEqual(r.stopped?.team, "t2");
    assert.deepEqual(
      r.updates.map((u) => [u.team, u.outcome]),
      [
        ["t2", "failed"],
        ["t1", "untouched"],
        ["t3", "untouched"],
        ["t4", "untouched"],
      ],
    );
    for (const t of ["t1", "t3", "t4"]) assert.equal(threshold(ws, `ev-${t}`), "2.8", `${t}'s config was not touched`);
    const text = renderOutcome(r, "npm run workshop -- update --concurrency 2");
    assert.match(text, /Canary t2: check FAILED: .*UPDATING, not RUNNING/);
    assert.match(text, /update: 4 teams: 0 updated, 0 checked, 1 failed, 3 untouched/);
    assert.match(text, /untouched \(not started, as they were\): t1, t3, t4/);
    assert.match(
      text,
      /t2 is on the version this checkout deploys \(its update went through; its check failed\); no other team was touched/,
    );
    assert.match(text, /Resuming \(below\) checks t2 first again, updated if the version changed since, and goes on only if it passes/);
    assert.match(
      text,
      /To roll t2 back: check out the previous version \(git checkout <commit>.*then the resume command: it updates t2 back and checks it/,
    );
    assert.match(text, /\nResume, once the cause is fixed: npm run workshop -- update --concurrency 2\n/);
  });

  describe("a canary that failed stays the canary until it passes (it is on the version that failed)", () => {
    it("the next run checks the same team first, not a new one, and goes on only once it passes", async () => {
      const { ws, state } = event(3);
      const failed = await rollout(ws, state, options(checker(["t1"]).check));
      assert.equal(failed.canary, "t1");
      assert.match(state.get("t1")!.canaryFailed?.detail ?? "", /UPDATING, not RUNNING/, "the state file remembers the failed canary");

      const again = checker(["t1"], ws);
      const stillBad = await rollout(ws, state, options(again.check));
      assert.deepEqual(again.checked, ["t1"], "t1 (now 'no change') is checked again; no new canary is updated");
      assert.deepEqual(ups(ws), ["ev-t1"], "the change reached no second team");
      assert.equal(stillBad.stopped?.team, "t1");
      assert.deepEqual(
        stillBad.updates.map((u) => [u.team, u.outcome]),
        [
          ["t1", "failed"],
          ["t2", "untouched"],
          ["t3", "untouched"],
        ],
      );

      const fixed = checker([], ws);
      const resumed = await rollout(ws, state, options(fixed.check));
      assert.deepEqual(fixed.checked, ["t1"]);
      assert.deepEqual(fixed.upsBefore, [1], "checked before any other team is updated");
      assert.deepEqual(ups(ws).slice(1).sort(), ["ev-t2", "ev-t3"]);
      assert.equal(resumed.stopped, undefined);
      assert.equal(state.get("t1")!.canaryFailed, undefined, "a passing check clears the mark");
    });

    it("a rolled-back version updates the failed canary again and checks it", async () => {
      const { ws, state } = event(3);
      await rollout(ws, state, options(checker(["t2"]).check, { canary: "t2" }));
      ws.pending.set("ev-t2", thresholdOnly("ev-t2")); // the previous version checked out: t2 differs again
      for (const t of ["t1", "t3"]) ws.pending.delete(`ev-${t}`); // ... and the others are already on it
      const c = checker([], ws);
      const r = await rollout(ws, state, options(c.check));
      assert.equal(r.canary, "t2");
      assert.deepEqual(ups(ws), ["ev-t2", "ev-t2"]);
      assert.deepEqual(c.checked, ["t2"]);
      assert.equal(state.get("t2")!.canaryFailed, undefined);
    });

    it("refuses another --canary while the failed one is up, naming how to go on", async () => {
      const { ws, state } = event(3);
      await rollout(ws, state, options(checker(["t1"]).check));
      await assert.rejects(
        rollout(ws, state, options(checker().check, { canary: "t3" })),
        /team t1 failed its canary check at .* and is on the version that failed: run update without --canary \(or --canary t1\)/,
      );
      assert.deepEqual(ups(ws), ["ev-t1"]);
    });

    it("a canary whose update failed is the canary of the next run too", async () => {
      const { ws, state } = event(3);
      ws.failures.set("ev-t1", [new Error("error: updating Function: AccessDeniedException")]);
      await rollout(ws, state, options(checker().check, { attempts: 1 }));
      assert.match(state.get("t1")!.canaryFailed?.detail ?? "", /its update failed: .*AccessDeniedException/);
      const r = await rollout(ws, state, options(checker().check));
      assert.equal(r.canary, "t1");
    });
  });

  it("a canary whose update fails is not checked, and stops everything else", async () => {
    const { ws, state } = event(3);
    ws.failures.set("ev-t1", [new Error("error: updating Application: InvalidArgumentException: bad JAR")]);
    const c = checker();
    const r = await rollout(ws, state, options(c.check));
    assert.deepEqual(c.checked, []);
    assert.deepEqual(ups(ws), ["ev-t1"]);
    assert.match(r.stopped!.why, /its update failed: .*bad JAR/);
    // The summary names every team: the canary failed, the others never started.
    assert.deepEqual(
      r.updates.map((u) => [u.team, u.outcome]),
      [
        ["t1", "failed"],
        ["t2", "untouched"],
        ["t3", "untouched"],
      ],
    );
  });

  describe("a team whose application is busy changing state (ResourceInUseException, API_UpdateApplication)", () => {
    it("is waited for past the transient attempts, each wait said, before any other team is touched", async () => {
      const { ws, state } = event(3);
      ws.failures.set("ev-t1", [busy(), busy(), busy(), busy(), busy()]);
      const waits: string[] = [];
      const c = checker([], ws);
      const r = await rollout(ws, state, options(c.check, { onWait: (team, why) => waits.push(`${team}: ${why}`) }));
      assert.equal(r.stopped, undefined, r.stopped?.why);
      assert.equal(waits.length, 5);
      for (const w of waits) assert.match(w, /^t1: waiting for a resource to finish changing state: .*ev-t1-anomaly-detection is UPDATING/);
      assert.deepEqual(c.checked, ["t1"]);
      assert.deepEqual(c.upsBefore, [6], "the canary's six tries, and nothing else, before its check");
      assert.deepEqual(ups(ws).slice(6).sort(), ["ev-t2", "ev-t3"]);
    });

    it("past busyWaitMs stops the rollout naming the busy resource and what to do; the others stay untouched", async () => {
      const { ws, state } = event(3);
      ws.failures.set(
        "ev-t1",
        Array.from({ length: 1000 }, () => busy()),
      );
      const r = await rollout(ws, state, options(checker().check, { busyWaitMs: 30, maxDelayMs: 5 }));
      assert.match(
        r.stopped!.why,
        /^its update failed: a resource was still busy changing state after waiting 0\.03 s \(--busy-wait\): .*ev-t1-anomaly-detection is UPDATING: UpdateApplication answers ResourceInUseException/,
      );
      assert.match(
        r.stopped!.why,
        /wait until it has finished \(a Flink application READY or RUNNING: npm run workshop -- status shows it\), then resume$/,
      );
      assert.doesNotMatch(r.stopped!.why, /code: 255/, "one line: the engine's diagnostic, not the Automation API's exit code");
      assert.deepEqual(
        r.updates.map((u) => [u.team, u.outcome]),
        [
          ["t1", "failed"],
          ["t2", "untouched"],
          ["t3", "untouched"],
        ],
      );
      assert.deepEqual([...new Set(ups(ws))], ["ev-t1"]);
    });
  });

  it("stops at the first failed team mid-way; a second run resumes with the teams not yet updated", async () => {
    const { ws, state } = event(6);
    ws.failures.set("ev-t3", [new Error("error: updating Function: AccessDeniedException")]);
    const r = await rollout(ws, state, options(checker().check, { concurrency: 1 }));
    assert.deepEqual(
      r.updates.map((u) => [u.team, u.outcome]),
      [
        ["t1", "updated"],
        ["t2", "updated"],
        ["t3", "failed"],
        ["t4", "untouched"],
        ["t5", "untouched"],
        ["t6", "untouched"],
      ],
    );
    assert.deepEqual(ups(ws), ["ev-t1", "ev-t2", "ev-t3"]);
    for (const t of ["t4", "t5", "t6"]) assert.equal(threshold(ws, `ev-${t}`), "2.8");
    assert.match(
      renderOutcome(r, "R"),
      /FAILED t3: error: updating Function: AccessDeniedException[\s\S]*Stopped at t3: its update failed/,
    );

    const c = checker([], ws);
    const resumed = await rollout(ws, state, options(c.check, { concurrency: 1 }));
    assert.equal(resumed.canary, "t3", "the first team still to update is the canary");
    assert.deepEqual(ups(ws).slice(3), ["ev-t3", "ev-t4", "ev-t5", "ev-t6"], "t1 and t2 were not updated again");
    assert.deepEqual(
      resumed.groups.map((g) => [g.description, g.teams]),
      [
        ["Application code, properties; Function code", ["t3", "t4", "t5", "t6"]],
        ["no change", ["t1", "t2"]],
      ],
    );
    assert.equal(resumed.stopped, undefined);
  });

  it("leaves a team whose event ended alone: its application stays stopped, and says extend restarts it", async () => {
    const { ws, state } = event(3, newJarAndThreshold, { t2: EARLIER });
    const r = await rollout(ws, state, options(checker().check));
    assert.deepEqual(
      r.setAside.map((s) => [s.team, s.ended]),
      [["t2", true]],
    );
    assert.deepEqual(ups(ws).sort(), ["ev-t1", "ev-t3"]);
    assert.ok(!ws.calls.includes("preview ev-t2"), "not even previewed: its up would be refused (endsAt in the past)");
    assert.match(
      renderPlan(r),
      /set aside: t2: its event ended at 2026-12-01T11:00:00.000Z: its Flink application was stopped then and stays stopped .*extend --until <time> --team t2 restarts it/,
    );
    assert.match(renderOutcome(r, ""), /stopped at endsAt, left stopped: t2 \(extend/);
    await assert.rejects(
      rollout(ws, state, options(checker().check, { canary: "t2" })),
      /--canary t2 cannot be the canary: its event ended/,
    );
    await assert.rejects(rollout(ws, state, options(checker().check, { canary: "t9" })), /--canary t9 is not a team of the state file/);
  });

  describe("a team whose application was stopped while its event runs (cost --stop-over-cap, or by hand)", () => {
    /** Every team RUNNING but those named, READY (stopped); the outputs it was given, per team. */
    const statuses = (stopped: string[]) => {
      const read: string[] = [];
      const status = (team: string, outputs: Record<string, unknown>) => {
        read.push(team);
        assert.ok("kdgUrl" in outputs, "read from the team's stack outputs");
        return Promise.resolve(stopped.includes(team) ? "READY" : "RUNNING");
      };
      return { status, read };
    };

    it("is set aside by default: not previewed, not updated, and the plan says why and how to include it", async () => {
      const { ws, state } = event(3);
      const r = await rollout(ws, state, options(checker().check, { applicationStatus: statuses(["t1"]).status }));
      assert.deepEqual(
        r.setAside.map((s) => [s.team, s.ended, s.stopped]),
        [["t1", false, true]],
      );
      assert.equal(r.canary, "t2", "a stopped team is not the canary");
      assert.deepEqual(ups(ws).sort(), ["ev-t2", "ev-t3"]);
      assert.ok(!ws.calls.includes("preview ev-t1"));
      assert.equal(threshold(ws, "ev-t1"), "2.8");
      assert.match(
        renderPlan(r),
        /set aside: t1: its Flink application is stopped \(READY\) though its event runs: stopped on purpose \(cost --stop-over-cap, or by hand\).*--include-stopped updates it too/,
      );
      assert.match(renderOutcome(r, ""), /stopped before the update \(cost --stop-over-cap, or by hand\), left as they were: t1/);
    });

    it("with includeStopped is updated too, after the canary, never as the canary; the plan says it stays stopped", async () => {
      const { ws, state } = event(3);
      const c = checker([], ws);
      const r = await rollout(ws, state, options(c.check, { applicationStatus: statuses(["t1"]).status, includeStopped: true }));
      assert.equal(r.canary, "t2");
      assert.deepEqual(c.checked, ["t2"]);
      assert.deepEqual(ups(ws)[0], "ev-t2");
      assert.deepEqual(ups(ws).slice(1).sort(), ["ev-t1", "ev-t3"]);
      assert.deepEqual(r.stoppedIncluded, ["t1"]);
      assert.match(renderPlan(r), /stopped, updated anyway \(--include-stopped\): t1: its Flink application stays stopped \(READY\)/);
      await assert.rejects(
        rollout(ws, state, options(c.check, { applicationStatus: statuses(["t1"]).status, includeStopped: true, canary: "t1" })),
        /--canary t1 cannot be the canary: its Flink application is stopped \(READY\)/,
      );
    });

    it("a status that cannot be read keeps the team in, as before, and the plan says so", async () => {
      const { ws, state } = event(2);
      const failing = (team: string) =>
        team === "t2" ? Promise.reject(new Error("ResourceNotFoundException")) : Promise.resolve("RUNNING");
      const r = await rollout(ws, state, options(checker().check, { applicationStatus: failing }));
      assert.deepEqual(ups(ws), ["ev-t1", "ev-t2"]);
      assert.match(
        renderPlan(r),
        /status unknown: t2: its Flink application's status could not be read \(ResourceNotFoundException\); updated as if it runs/,
      );
    });
  });

  describe("the command line, in-process", () => {
    const project = mkdtempSync(join(tmpdir(), "update-project-"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
    writeFileSync(
      join(project, "Pulumi.workshop.yaml"),
      `${readFileSync(join(ROOT, "Pulumi.workshop.yaml"), "utf8").replace("immersion-day", "ev")}  clickstream-lab:endsAt: "${LATER}"\n  clickstream-lab:anomalyThreshold: "3.1"\n`,
    );

    async function workshop(ws: MemoryWorkspace, state: StateStore, args: string[], failFor: string[] = [], stopped: string[] = []) {
      const file = join(mkdtempSync(join(tmpdir(), "update-state-")), "state.json");
      const store = fileState(file);
      for (const [t, r] of Object.entries(state.all())) store.set(t, r);
      let out = "";
      let err = "";
      let failed = 0;
      const deps: Deps & {
        check: () => (team: string) => Promise<CanaryVerdict>;
        status: () => (team: string) => Promise<string>;
      } = {
        workspace: () => ws,
        now: () => NOW,
        out: (t) => void (out += t),
        err: (t) => void (err += t),
        fail: (c) => void (failed = c),
        check: () => checker(failFor).check,
        status: () => (team) => Promise.resolve(stopped.includes(team) ? "READY" : "RUNNING"),
      };
      const code = await main(["node", "workshop", "--project", project, "--state", file, "--logs", join(project, "logs"), ...args], deps);
      return { code: code || failed, out, err, state: fileState(file) };
    }

    it("prints the plan, the progress and the outcome; exit 0", async () => {
      const { ws, state } = event(3);
      const r = await workshop(ws, state, ["update", "--concurrency", "2"]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Preview of 3 teams with the policy pack:\n {2}3 teams: Application code, properties; Function code\n/);
      assert.match(r.out, /Canary t1: check passed: RUNNING/);
      assert.match(r.out, /update: 3 teams: 3 updated, 0 checked, 0 failed, 0 untouched; 0 already up to date/);
      assert.match(r.err, /update: updating 2\/2/);
      assert.notEqual(r.state.get("t1")!.configHash, "old");
    });

    it("a failing canary exits 1 and prints the command that resumes, without --canary", async () => {
      const { ws, state } = event(3);
      const r = await workshop(ws, state, ["update", "--canary", "t2", "--concurrency", "3", "--check", "running"], ["t2"]);
      assert.equal(r.code, 1);
      const resume = /Resume, once the cause is fixed: (npm run workshop -- .*)\n/.exec(r.out)?.[1] ?? "";
      assert.match(resume, / --project \S+ /);
      assert.match(resume, / --state \S+ /);
      assert.match(resume, / update --concurrency 3 --check running$/);
      const resumed = await workshop(ws, r.state, ["update", "--concurrency", "3", "--check", "running"]);
      assert.equal(resumed.code, 0, resumed.err);
      assert.match(resumed.out, /Canary t2: check passed/, "the resumed run checks the canary that failed, from the state file");
    });

    it("names a stopped team in the plan and leaves it alone; --include-stopped updates it", async () => {
      const { ws, state } = event(3);
      const r = await workshop(ws, state, ["update"], [], ["t3"]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /set aside: t3: its Flink application is stopped \(READY\)/);
      assert.deepEqual(ups(ws).sort(), ["ev-t1", "ev-t2"]);
      const all = await workshop(ws, r.state, ["update", "--include-stopped"], [], ["t3"]);
      assert.equal(all.code, 0, all.err);
      assert.match(all.out, /stopped, updated anyway \(--include-stopped\): t3/);
      assert.deepEqual(ups(ws).slice(2), ["ev-t3"]);
      assert.match(
        all.out,
        /Canary t1: check passed/,
        "only the stopped team has a change: a running team is checked before it is updated",
      );
    });

    it("--busy-wait bounds the wait for a busy application; each wait is a progress line and a line of the team's log", async () => {
      const { ws, state } = event(2);
      ws.failures.set(
        "ev-t1",
        Array.from({ length: 1000 }, () => busy()),
      );
      const r = await workshop(ws, state, ["update", "--concurrency", "2", "--check", "running", "--busy-wait", "0.5"]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /^update: t1: waiting for a resource to finish changing state: .*ev-t1-anomaly-detection is UPDATING/m);
      assert.match(readFileSync(join(project, "logs", "t1.log"), "utf8"), /^waiting for a resource to finish changing state: /m);
      assert.match(
        r.out,
        /^Stopped at t1: its update failed: a resource was still busy changing state after waiting 0\.5 s \(--busy-wait\): /m,
      );
      assert.match(r.out, /untouched \(not started, as they were\): t2/);
      assert.match(r.out, / update --concurrency 2 --check running --busy-wait 0\.5$/m);
      assert.deepEqual([...new Set(ups(ws))], ["ev-t1"]);
    });

    it("a mandatory violation exits 2; --dry-run exits 0 and updates nothing", async () => {
      const { ws, state } = event(2);
      assert.equal((await workshop(ws, state, ["update", "--dry-run"])).code, 0);
      assert.deepEqual(ups(ws), []);
      ws.violations.set("ev-t1", [{ policy: "lab-region", message: "in eu-west-1" }]);
      const r = await workshop(ws, state, ["update"]);
      assert.equal(r.code, 2);
      assert.match(r.out, /t1: lab-region: in eu-west-1/);
      assert.deepEqual(ups(ws), []);
    });
  });
});
