// Firehose features that bill beyond ingestion: record format conversion and dynamic
// partitioning are charged per GB; tiny buffers write many small objects.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const firehosePolicy: ResourceValidationPolicy = {
  name: "firehose-plain-delivery",
  description: "Firehose streams use no record format conversion and no dynamic partitioning, and buffer within limits.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minBufferingSeconds: { type: "integer", default: 60, minimum: 0 },
      maxBufferingMib: { type: "integer", default: 64, minimum: 1 },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream") return;
    const { minBufferingSeconds, maxBufferingMib } = args.getConfig<{ minBufferingSeconds: number; maxBufferingMib: number }>();
    const s3 = args.props.extendedS3Configuration;
    if (!s3) return;
    if (s3.dataFormatConversionConfiguration && s3.dataFormatConversionConfiguration.enabled !== false) report("Record format conversion is billed per GB; deliver the JSON as it is.");
    if (s3.dynamicPartitioningConfiguration?.enabled === true) report("Dynamic partitioning is billed per GB and per object; use the static prefix.");
    const interval = Number(s3.bufferingInterval ?? 300);
    const size = Number(s3.bufferingSize ?? 5);
    if (interval < minBufferingSeconds) report(`bufferingInterval ${interval} s is under ${minBufferingSeconds} s.`);
    if (size > maxBufferingMib) report(`bufferingSize ${size} MiB is over ${maxBufferingMib} MiB.`);
  },
};
