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

/**
 * The extended S3 settings the archive may use (components/archive.ts, and harmless formatting).
 * Deny by default reaches inside the block: any other setting is refused, so a Lambda processor,
 * a backup copy or a setting added to the provider later cannot pass unseen (issue 26 kind 8).
 * Format conversion and dynamic partitioning are judged below, where `enabled: false` passes.
 */
const ALLOWED_S3_SETTINGS = new Set([
  "roleArn",
  "bucketArn",
  "prefix",
  "errorOutputPrefix",
  "bufferingInterval",
  "bufferingSize",
  "compressionFormat",
  "cloudwatchLoggingOptions",
  "kmsKeyArn",
  "customTimeZone",
  "fileExtension",
  "dataFormatConversionConfiguration",
  "dynamicPartitioningConfiguration",
]);

/** Why a nested S3 setting outside ALLOWED_S3_SETTINGS is refused, or undefined when it is off. */
function refusedS3Setting(key: string, value: unknown): string | undefined {
  if (ALLOWED_S3_SETTINGS.has(key) || value === undefined || value === null) return undefined;
  if (key === "processingConfiguration") {
    const p = value as { enabled?: boolean; processors?: unknown[] };
    if (p.enabled === false || (p.enabled === undefined && (p.processors ?? []).length === 0)) return undefined;
    return "extendedS3Configuration.processingConfiguration is refused: a processor (a Lambda function) runs per record and bills per invocation; the archive keeps records as sent.";
  }
  if (key === "s3BackupMode" && value === "Disabled") return undefined;
  return `extendedS3Configuration.${key} is not part of the lab's archive (deny by default): remove it.`;
}

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
    // Keys only: reading an allowed setting's value (a bucket ARN) is impossible at a first preview.
    for (const key of Object.keys(s3).filter((k) => !ALLOWED_S3_SETTINGS.has(k))) {
      const why = refusedS3Setting(key, (s3 as Record<string, unknown>)[key]);
      if (why) report(why);
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
