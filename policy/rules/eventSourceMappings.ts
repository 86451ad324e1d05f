// A Kinesis event source mapping with a parallelization factor above 1 runs up to ten batches per
// shard at once: more concurrent executions out of the shared pool, and alerts out of order.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { resourceRule } from "./support";

export const eventSourceMappingsPolicy: ResourceValidationPolicy = {
  name: "event-source-one-batch-per-shard",
  description: "Event source mappings process one batch per shard at a time (parallelizationFactor at most maxParallelizationFactor).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxParallelizationFactor: { type: "integer", default: LIMITS.maxParallelizationFactor, minimum: 1 } } },
  validateResource: resourceRule(aws.lambda.EventSourceMapping, (mapping, args, report) => {
    const { maxParallelizationFactor } = args.getConfig<{ maxParallelizationFactor: number }>();
    const factor = Number(mapping.parallelizationFactor ?? 1);
    if (!(factor <= maxParallelizationFactor))
      report(`parallelizationFactor ${factor} runs ${factor} batches per shard at once; at most ${maxParallelizationFactor}.`);
  }),
};
