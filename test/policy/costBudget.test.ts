import { strict as assert } from "node:assert";
import { costBudgetPolicy } from "../../policy/rules/costBudget";
import { check, flinkApp } from "./harness";

describe("team-hourly-budget", () => {
  it("passes one 1-KPU application and one shard", async () => {
    assert.deepEqual(
      await check(costBudgetPolicy, [
        flinkApp(),
        { type: "aws:kinesis/stream:Stream", props: { shardCount: 1 } },
        { type: "pulumi:providers:aws", props: {} },
        { type: "clickstream:lab:Alert", props: {} },
      ]),
      [],
    );
  });
  it("refuses three 1-KPU applications, naming the largest costs", async () => {
    const found = await check(costBudgetPolicy, [flinkApp("a"), flinkApp("b"), flinkApp("c")]);
    assert.match(found.join(), /Estimated \$0\.6\d\d\/h is over the budget of \$0\.50\/h\. Largest: aws:kinesisanalyticsv2/);
  });
  it("refuses a stack with a type it cannot price, whatever its package", async () => {
    const found = await check(costBudgetPolicy, [
      { type: "aws-native:sagemaker:Endpoint", props: {} },
      { type: "command:local:Command", props: {} },
    ]);
    assert.deepEqual(found, [
      "No price for aws-native:sagemaker:Endpoint, command:local:Command: the cost model prices the lab's types only, and an unpriced resource could cost anything.",
    ]);
  });
  it("prices extended Kinesis retention", async () => {
    const shard = (retentionPeriod: number) => ({ type: "aws:kinesis/stream:Stream", props: { shardCount: 1, retentionPeriod } });
    const found = await check(costBudgetPolicy, [shard(168)], { maxUsdPerHour: 0.03 });
    assert.match(found.join(), /extended retention/);
    assert.deepEqual(await check(costBudgetPolicy, [shard(24)], { maxUsdPerHour: 0.03 }), []);
  });
});
