import { strict as assert } from "node:assert";
import { flinkApplicationsPolicy, flinkKpus } from "../../policy/rules/flinkApplications";
import { check, flinkApp, flinkAppWith, UNKNOWN } from "./harness";

const withParallelism = (p: Record<string, unknown>) => flinkAppWith("app", p);

describe("flink-one-kpu", () => {
  it("passes one KPU, FLINK-1_20, CUSTOM without autoscaling", async () =>
    assert.deepEqual(await check(flinkApplicationsPolicy, [flinkApp(), flinkApp("b", 4, 4)]), []));
  it("refuses two KPUs", async () => assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 2, 1)])).join(), /asks for 2 KPUs/));
  it("refuses autoscaling", async () =>
    assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 1, 1, true)])).join(), /Autoscaling must be off/));
  it("refuses an unsupported runtime", async () =>
    assert.match(
      (await check(flinkApplicationsPolicy, [flinkApp("a", 1, 1, false, "SQL-1_0")])).join(),
      /SQL-1_0 is not one of FLINK-1_20/,
    ));
  // Issue 14, input 5: DEFAULT parallelism with autoScalingEnabled false (AWS ignores the rest).
  it("refuses DEFAULT parallelism even with autoscaling off, and prices it at the account's 64 KPUs", async () => {
    const app = withParallelism({ configurationType: "DEFAULT", autoScalingEnabled: false });
    assert.match((await check(flinkApplicationsPolicy, [app])).join(), /must be CUSTOM \(is DEFAULT\)/);
    assert.equal(flinkKpus(app.props), 64);
  });
  it("refuses an application with no parallelism settings", async () => {
    const app = flinkAppWith("app", undefined);
    assert.match((await check(flinkApplicationsPolicy, [app])).join(), /must be CUSTOM \(is unset\)/);
  });
  it("refuses, rather than skips, a parallelism unknown at preview", async () => {
    const found = await check(flinkApplicationsPolicy, [
      withParallelism({ configurationType: "CUSTOM", parallelism: UNKNOWN, parallelismPerKpu: 1, autoScalingEnabled: false }),
    ]);
    assert.match(
      found.join(),
      /Cannot be decided during preview: string value at \.applicationConfiguration\.flinkApplicationConfiguration\.parallelismConfiguration\.parallelism/,
    );
  });
});
