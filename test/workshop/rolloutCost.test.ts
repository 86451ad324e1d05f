// What `workshop update` says a change costs the running job comes from the restore policy
// (components/restorePolicy.ts restoreCost) at the settings the contract deploys: no copy of the
// forest's sample size or of the window length in the rollout (one home per fact, issue 27).

import { strict as assert } from "node:assert";
import { costLine } from "../../cli/workshop/update";
import { deployedRestoreSettings } from "../../components/restorePolicy";
import { restoreCostOf } from "../../workshop/rolloutPlan";
import type { ResourceChange } from "../../workshop/workspace";

const APP = "aws:kinesisanalyticsv2/application:Application";
const PROPS = "applicationConfiguration.environmentProperties.propertyGroups";
const app = (...paths: string[]): ResourceChange[] => [{ urn: "urn:app", type: APP, op: "update", paths }];
const jarKey = (sql: string) => ({
  applicationConfiguration: {
    applicationCodeConfiguration: { codeContent: { s3ContentLocation: { fileKey: `code/job-sql-${sql}.jar` } } },
  },
});
const CODE = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey";

describe("workshop update: the cost of a change, from the restore policy", () => {
  const deployed = deployedRestoreSettings();

  it("sizes a restarted forest by the contract's sub.sample.size and window.seconds", () => {
    const c = restoreCostOf(app(`${PROPS}[RandomCutForest].propertyMap.number.of.trees`));
    assert.deepEqual(
      [c.forest, c.warmUpWindows, c.warmUpSeconds],
      ["restarts", deployed.subSampleSize, deployed.subSampleSize * deployed.windowSeconds],
    );
    assert.equal(
      costLine("forest parameters", c),
      `forest parameters: the Flink job restarts; the forest scores nothing for ${deployed.subSampleSize} windows (about ${Math.round((deployed.subSampleSize * deployed.windowSeconds) / 60)} min of traffic): a forest of another shape starts again (for sub.sample.size windows); windows and position carry over`,
    );
  });

  it("keeps the forest for the threshold, and for a new JAR whose SQL identity is unchanged", () => {
    assert.equal(restoreCostOf(app(`${PROPS}[Detection].propertyMap.anomaly.threshold`)).forest, "kept");
    const sameSql: ResourceChange[] = [
      { urn: "urn:app", type: APP, op: "update", paths: [CODE], before: jarKey("aaa"), after: jarKey("aaa") },
    ];
    assert.equal(restoreCostOf(sameSql).forest, "kept");
    const newSql: ResourceChange[] = [
      { urn: "urn:app", type: APP, op: "update", paths: [CODE], before: jarKey("aaa"), after: jarKey("bbb") },
    ];
    assert.equal(restoreCostOf(newSql).forest, "may restart");
    assert.equal(restoreCostOf(app(CODE)).forest, "may restart", "a key without a SQL identity: the worst case");
    assert.equal(restoreCostOf([]).warmUpWindows, 0);
  });

  it("ignores a key the contract does not list (the job reads none), and takes the worst case where the key cannot be told", () => {
    assert.equal(restoreCostOf(app(`${PROPS}[Detection].propertyMap.retired.key`)).forest, "kept");
    const wholeDetection = restoreCostOf(app(`${PROPS}[Detection]`));
    assert.deepEqual([wholeDetection.forest, wholeDetection.windowsRestart], ["restarts", true], "Detection holds window.seconds");
    const byIndex = restoreCostOf(app(`${PROPS}[0].propertyMap.anomaly.threshold`));
    assert.deepEqual([byIndex.forest, byIndex.windowsRestart], ["restarts", true], "a provider's diff by index: any group");
    const whole = restoreCostOf([{ urn: "urn:app", type: APP, op: "replace", paths: [] }]);
    assert.deepEqual([whole.forest, whole.windowsRestart], ["restarts", true]);
  });
});
