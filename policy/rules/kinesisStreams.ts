// Streams are billed per shard-hour (provisioned) or per stream-hour plus data (on-demand), and
// retention beyond 24 hours is billed per shard-hour on top (extended retention); shard-level
// metrics are billed as CloudWatch custom metrics. The lab needs one provisioned shard per stream
// (1,000 records/s against the lab's 5) and reads its records within seconds.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { asList, resourceRule } from "./support";

export const kinesisStreamsPolicy: ResourceValidationPolicy = {
  name: "kinesis-provisioned-small",
  description:
    "Kinesis data streams are provisioned, with at most maxShards shards, retention of at most maxRetentionHours, and no shard-level metrics.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxShards: { type: "integer", default: LIMITS.maxShards, minimum: 1 },
      maxRetentionHours: { type: "integer", default: LIMITS.maxStreamRetentionHours, minimum: 24 },
    },
  },
  validateResource: resourceRule(aws.kinesis.Stream, (stream, args, report) => {
    const { maxShards, maxRetentionHours } = args.getConfig<{ maxShards: number; maxRetentionHours: number }>();
    const mode = stream.streamModeDetails?.streamMode ?? "PROVISIONED";
    if (mode !== "PROVISIONED") report(`Stream mode ${mode} bills per stream-hour and per GB; use PROVISIONED.`);
    const shards = stream.shardCount;
    if (mode === "PROVISIONED" && !(shards !== undefined && shards >= 1 && shards <= maxShards)) {
      report(`The stream has ${String(shards)} shards; at most ${maxShards} (one shard takes 1,000 records/s).`);
    }
    const hours = Number(stream.retentionPeriod ?? 24);
    if (!(hours <= maxRetentionHours))
      report(`retentionPeriod ${hours} hours is extended retention, billed per shard-hour; at most ${maxRetentionHours}.`);
    const metrics = asList(stream.shardLevelMetrics);
    if (metrics.length > 0) report(`shardLevelMetrics ${metrics.join(", ")} are billed as CloudWatch custom metrics; the lab needs none.`);
  }),
};
