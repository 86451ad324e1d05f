import { strict as assert } from "node:assert";
import { flinkStopSchedulePolicy } from "../../policy/rules/flinkStopSchedule";
import { check, flinkApp, stopSchedule, UNKNOWN } from "./harness";

describe("flink-stop-schedule", () => {
  it("passes an application with its stop schedule, paired by name", async () =>
    assert.deepEqual(await check(flinkStopSchedulePolicy, [flinkApp("a"), stopSchedule("a")]), []));
  it("refuses an application without one, or with a schedule for another application", async () => {
    assert.match((await check(flinkStopSchedulePolicy, [flinkApp("a")])).join(), /Flink application a has no schedule/);
    assert.match((await check(flinkStopSchedulePolicy, [flinkApp("a"), stopSchedule("b")])).join(), /Flink application a has no schedule/);
  });
  it("pairs by URN when the input is unknown at a first preview", async () => {
    const unknownInput = stopSchedule("a", {
      target: { arn: "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication", roleArn: UNKNOWN, input: UNKNOWN },
    });
    assert.deepEqual(
      await check(flinkStopSchedulePolicy, [flinkApp("a"), { ...unknownInput, propertyDependencies: { target: ["a"] } }]),
      [],
    );
    assert.match((await check(flinkStopSchedulePolicy, [flinkApp("a"), unknownInput])).join(), /has no schedule/);
  });
});
