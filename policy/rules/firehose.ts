// The archive is Firehose to S3, nothing else: an HTTP endpoint (or Splunk, Snowflake, a
// database) sends the team's data out of the account and bills per GB. Record format conversion
// and dynamic partitioning are billed per GB too; tiny buffers write many small objects.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { resourceRule } from "./support";

/** Destination blocks other than extended S3; each one set is refused. */
const OTHER_DESTINATIONS = [
  "httpEndpointConfiguration",
  "elasticsearchConfiguration",
  "opensearchConfiguration",
  "opensearchserverlessConfiguration",
  "redshiftConfiguration",
  "splunkConfiguration",
  "snowflakeConfiguration",
  "icebergConfiguration",
  "mskSourceConfiguration",
] as const;

export const firehosePolicy: ResourceValidationPolicy = {
  name: "firehose-plain-delivery",
  description:
    "Firehose streams deliver to S3 (extended_s3) only, with no record format conversion, no dynamic partitioning, and buffers within limits.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minBufferingSeconds: { type: "integer", default: LIMITS.minBufferingSeconds, minimum: 0 },
      maxBufferingMib: { type: "integer", default: LIMITS.maxBufferingMib, minimum: 1 },
    },
  },
  validateResource: resourceRule(aws.kinesis.FirehoseDeliveryStream, (stream, args, report) => {
    const { minBufferingSeconds, maxBufferingMib } = args.getConfig<{ minBufferingSeconds: number; maxBufferingMib: number }>();
    if (stream.destination !== "extended_s3")
      report(`Destination ${stream.destination} is not part of the lab; the archive delivers to S3 (destination: "extended_s3").`);
    const props = args.props as Record<string, unknown>;
    for (const key of OTHER_DESTINATIONS)
      if (props[key] !== undefined && props[key] !== null) report(`${key} is refused: the archive delivers to this team's S3 bucket only.`);
    const s3 = stream.extendedS3Configuration;
    if (!s3) {
      report("extendedS3Configuration is missing: the archive delivers to S3.");
      return;
    }
    if (s3.dataFormatConversionConfiguration && s3.dataFormatConversionConfiguration.enabled !== false)
      report("Record format conversion is billed per GB; deliver the JSON as it is.");
    if (s3.dynamicPartitioningConfiguration?.enabled === true)
      report("Dynamic partitioning is billed per GB and per object; use the static prefix.");
    const interval = Number(s3.bufferingInterval ?? 300);
    const size = Number(s3.bufferingSize ?? 5);
    if (!(interval >= minBufferingSeconds)) report(`bufferingInterval ${interval} s is under ${minBufferingSeconds} s.`);
    if (!(size <= maxBufferingMib)) report(`bufferingSize ${size} MiB is over ${maxBufferingMib} MiB.`);
  }),
};
