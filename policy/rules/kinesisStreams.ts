// Streams are billed per shard-hour (provisioned) or per stream-hour plus data (on-demand).
// The lab needs one provisioned shard per stream: 1,000 records/s against the lab's 5.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const kinesisStreamsPolicy: ResourceValidationPolicy = {
  name: "kinesis-provisioned-small",
  description: "Kinesis data streams are provisioned, with at most maxShards shards; no on-demand mode.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxShards: { type: "integer", default: 1, minimum: 1 } } },
  validateResource: (args, report) => {
    if (args.type !== "aws:kinesis/stream:Stream") return;
    const { maxShards } = args.getConfig<{ maxShards: number }>();
    const mode = (args.props.streamModeDetails as { streamMode?: string } | undefined)?.streamMode ?? "PROVISIONED";
    if (mode !== "PROVISIONED") report(`Stream mode ${mode} bills per stream-hour and per GB; use PROVISIONED.`);
    const shards = args.props.shardCount as number | undefined;
    if (mode === "PROVISIONED" && (shards === undefined || shards > maxShards)) {
      report(`The stream has ${String(shards)} shards; at most ${maxShards} (one shard takes 1,000 records/s).`);
    }
  },
};
