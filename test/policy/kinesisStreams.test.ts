import { strict as assert } from "node:assert";
import { kinesisStreamsPolicy } from "../../policy/rules/kinesisStreams";
import { check } from "./harness";

const stream = (props: Record<string, unknown>) => ({ type: "aws:kinesis/stream:Stream", props: { name: "s", ...props } });

describe("kinesis-provisioned-small", () => {
  it("passes one provisioned shard kept 24 hours", async () =>
    assert.deepEqual(
      await check(kinesisStreamsPolicy, [stream({ shardCount: 1, retentionPeriod: 24, streamModeDetails: { streamMode: "PROVISIONED" } })]),
      [],
    ));
  it("refuses on-demand", async () =>
    assert.match(
      (await check(kinesisStreamsPolicy, [stream({ streamModeDetails: { streamMode: "ON_DEMAND" } })])).join(),
      /ON_DEMAND bills/,
    ));
  it("refuses two shards", async () =>
    assert.match((await check(kinesisStreamsPolicy, [stream({ shardCount: 2 })])).join(), /2 shards; at most 1/));
  // Issue 14, input 5: extended retention (billed, and not in the cost model before).
  it("refuses extended retention", async () =>
    assert.match(
      (await check(kinesisStreamsPolicy, [stream({ shardCount: 1, retentionPeriod: 168 })])).join(),
      /retentionPeriod 168 hours is extended retention/,
    ));
  it("refuses shard-level metrics", async () =>
    assert.match(
      (await check(kinesisStreamsPolicy, [stream({ shardCount: 1, shardLevelMetrics: ["IncomingBytes"] })])).join(),
      /shardLevelMetrics IncomingBytes/,
    ));
});
