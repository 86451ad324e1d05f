import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { SQL_SCRIPT, sqlIdentity, sqlIdentityOfKey } from "../../components/analytics";
import { restartByProperty, restoreCost, START_RUN_CONFIGURATION } from "../../components/restorePolicy";

// The warm-up each kind of change costs (issue #22), as the rollout prints it. What a property's
// change really does to the job's state is checked on the planned job by
// analytics/.../StableUidsTest; the restores themselves by SavepointRestoreTest.
describe("restore policy and the cost of a change", () => {
  const lab = { windowSeconds: 10, subSampleSize: 12 };

  it("a threshold or magnitude change keeps the forest: no warm-up", () => {
    for (const p of ["Detection/anomaly.threshold", "Detection/min.ctr.change"]) {
      const c = restoreCost({ changedProperties: [p], codeChanged: false, sqlChanged: false }, lab);
      assert.deepEqual([c.forest, c.windowsRestart, c.warmUpWindows, c.warmUpSeconds], ["kept", false, 0, 0], p);
    }
  });

  it("a forest parameter restarts the forest: sub.sample.size windows score 0", () => {
    const c = restoreCost({ changedProperties: ["RandomCutForest/number.of.trees"], codeChanged: false, sqlChanged: false }, lab);
    assert.deepEqual([c.forest, c.windowsRestart, c.warmUpWindows, c.warmUpSeconds], ["restarts", false, 12, 120]);
    assert.equal(c.text, "forest restarts: 12 windows (120 s) score 0");
    const smaller = restoreCost(
      { changedProperties: ["RandomCutForest/sub.sample.size"], codeChanged: false, sqlChanged: false },
      { ...lab, subSampleSize: 8 },
    );
    assert.equal(smaller.warmUpSeconds, 80, "the new sample size is the warm-up");
  });

  it("a new window length restarts the windows and the forest", () => {
    const c = restoreCost(
      { changedProperties: ["Detection/window.seconds"], codeChanged: false, sqlChanged: false },
      { windowSeconds: 5, subSampleSize: 12 },
    );
    assert.deepEqual([c.forest, c.windowsRestart, c.warmUpSeconds], ["restarts", true, 60]);
    assert.match(c.text, /records of the window open at the update that were read before it are not counted/);
  });

  it("a new JAR with the same SQL keeps everything; a changed SQL may restart the forest", () => {
    assert.equal(restoreCost({ changedProperties: [], codeChanged: true, sqlChanged: false }, lab).forest, "kept");
    const sql = restoreCost({ changedProperties: [], codeChanged: true, sqlChanged: true }, lab);
    assert.deepEqual([sql.forest, sql.warmUpWindows], ["may restart", 12]);
    assert.match(sql.text, /unless the change is only in the rule after RANDOM_CUT_FOREST/);
  });

  it("refuses a property the job does not have, naming it", () => {
    assert.throws(
      () => restoreCost({ changedProperties: ["Detection/treshold"], codeChanged: false, sqlChanged: false }, lab),
      /Detection\/treshold is not a runtime property of the job/,
    );
  });

  it("every runtime property says what its change restarts", () => {
    const r = restartByProperty();
    assert.equal(r.get("Detection/anomaly.threshold"), "none");
    assert.equal(r.get("Detection/window.seconds"), "windows");
    assert.equal(r.get("RandomCutForest/sub.sample.size"), "forest");
    assert.ok([...r.values()].every((v) => ["none", "forest", "windows"].includes(v)));
  });

  it("extend starts with the same policy as the program's updates", () => {
    assert.deepEqual(START_RUN_CONFIGURATION, {
      ApplicationRestoreConfiguration: { ApplicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
      FlinkRunConfiguration: { AllowNonRestoredState: true },
    });
  });

  it("the SQL's identity ignores comments and changes with a statement; old keys have none", () => {
    const script = readFileSync(SQL_SCRIPT, "utf8");
    assert.equal(sqlIdentity(script), sqlIdentity(`-- a new comment\n${script}`));
    assert.notEqual(sqlIdentity(script), sqlIdentity(script.replace("* 100.000 AS CTR", "* 100.0 AS CTR")));
    assert.equal(sqlIdentityOfKey(`code/clickstream-analytics-0123456789abcdef-sql-${sqlIdentity(script)}.jar`), sqlIdentity(script));
    assert.equal(sqlIdentityOfKey("code/clickstream-analytics-0123456789abcdef.jar"), undefined);
  });
});
