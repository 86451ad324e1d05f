// The policy pack loads on its own (`--policy-pack policy` starts that folder alone), so it keeps
// its own copies of a few facts the program also states. Each copy is tied here to the program's,
// and the Flink runtime to the version the job is built with, so no copy can drift alone.

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FLINK_RUNTIME, labWindowSeconds, propertyContract } from "../../components/analytics";
import { DISABLE_USER_TARGET as PROGRAM_DISABLE_USER, STOP_APPLICATION_TARGET } from "../../components/eventEnd";
import { SCHEMA } from "../../infra/config";
import { ANALYTICS_DIR } from "../../paths";
import { WINDOW_SECONDS } from "../../policy/cost/prices";
import { LAB_REGION, LIMITS } from "../../policy/limits";
import { ALLOWED_TARGETS, DISABLE_USER_TARGET, STOP_TARGET } from "../../policy/rules/schedulerTargets";

describe("the facts the pack keeps its own copy of", () => {
  it("the schedules' universal targets: the pack allows exactly the ones the program's EventEnd calls", () => {
    assert.equal(STOP_TARGET, STOP_APPLICATION_TARGET);
    assert.equal(DISABLE_USER_TARGET, PROGRAM_DISABLE_USER);
    assert.deepEqual(Object.keys(ALLOWED_TARGETS).sort(), [STOP_APPLICATION_TARGET, PROGRAM_DISABLE_USER].sort());
  });

  it("the Flink runtime: the program's is one the pack allows, and it is the Flink the job is built with", () => {
    assert.ok(LIMITS.flinkRuntimes.includes(FLINK_RUNTIME), `${FLINK_RUNTIME} not in the pack's ${LIMITS.flinkRuntimes.join(", ")}`);
    const version = /<flink\.version>(\d+)\.(\d+)\.\d+<\/flink\.version>/.exec(readFileSync(join(ANALYTICS_DIR, "pom.xml"), "utf8"));
    assert.ok(version, "analytics/pom.xml has no <flink.version>x.y.z</flink.version>");
    assert.equal(FLINK_RUNTIME, `FLINK-${version[1]}_${version[2]}`);
  });

  it("the region: the config's default and the job's property defaults are the pack's LAB_REGION", () => {
    assert.equal(SCHEMA.region.default, LAB_REGION);
    const regions = Object.entries(propertyContract().groups).flatMap(([group, keys]) =>
      keys["aws.region"] ? [[group, keys["aws.region"].default]] : [],
    );
    assert.ok(regions.length > 0, "the runtime-property contract names no aws.region");
    for (const [group, region] of regions) assert.equal(region, LAB_REGION, `${group}.aws.region`);
  });

  it("the window length: the cost model's is the job's Detection/window.seconds", () => {
    assert.equal(WINDOW_SECONDS, labWindowSeconds());
  });
});
