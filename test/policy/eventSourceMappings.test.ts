import { strict as assert } from "node:assert";
import { eventSourceMappingsPolicy } from "../../policy/rules/eventSourceMappings";
import { check } from "./harness";

const mapping = (props: Record<string, unknown>) => ({
  type: "aws:lambda/eventSourceMapping:EventSourceMapping",
  props: { batchSize: 10, ...props },
});

describe("event-source-one-batch-per-shard", () => {
  it("passes the default and an explicit factor of 1", async () =>
    assert.deepEqual(await check(eventSourceMappingsPolicy, [mapping({}), mapping({ parallelizationFactor: 1 })]), []));
  // Issue 14, input 5.
  it("refuses a parallelization factor of 10", async () =>
    assert.match(
      (await check(eventSourceMappingsPolicy, [mapping({ parallelizationFactor: 10 })])).join(),
      /parallelizationFactor 10 runs 10 batches per shard/,
    ));
});
