// Amazon Data Firehose: what CreateDeliveryStream refuses, including its S3 prefix grammar.

import { exists, oneOf, within, type Rule } from "./common";
import { NAMES } from "./names";

// Firehose prefixes: https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html

function prefixProblems(prefix: string | undefined, errorPrefix: string | undefined, dynamicPartitioning: boolean): string[] {
  const p: string[] = [];
  const expressions = (s: string | undefined) => [...(s ?? "").matchAll(/!\{([^}]*)\}/g)].map((m) => m[1] ?? "");
  for (const [label, value] of [
    ["prefix", prefix],
    ["errorOutputPrefix", errorPrefix],
  ] as const) {
    if ((value ?? "").length > 1024) p.push(`Firehose ${label} is longer than 1024 characters`);
    for (const e of expressions(value)) {
      const [ns, val] = e.split(":", 2);
      if (!["firehose", "timestamp", "partitionKeyFromQuery", "partitionKeyFromLambda"].includes(ns ?? "") || !val) {
        p.push(`Firehose ${label} has an invalid expression !{${e}}`);
      }
      if (ns === "firehose" && !["error-output-type", "random-string"].includes(val ?? ""))
        p.push(`Firehose ${label}: unknown !{firehose:${val}}`);
      if (e === "firehose:error-output-type" && label === "prefix") p.push("Firehose prefix may not use !{firehose:error-output-type}");
      if (ns?.startsWith("partitionKeyFrom") && !dynamicPartitioning) p.push(`Firehose ${label} uses ${ns} without dynamic partitioning`);
    }
  }
  if (expressions(prefix).length > 0 && !errorPrefix) p.push("Firehose prefix has expressions, so errorOutputPrefix is required");
  return p;
}

export const FIREHOSE_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
  // https://docs.aws.amazon.com/firehose/latest/dev/encryption.html (no SSE with a Kinesis stream source)
  // https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html (no compression with conversion)
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (i, ctx) => {
    const p = [
      ...NAMES.firehose(i.name),
      ...oneOf(
        "destination",
        i.destination,
        [
          "extended_s3",
          "redshift",
          "elasticsearch",
          "opensearch",
          "opensearchserverless",
          "splunk",
          "http_endpoint",
          "snowflake",
          "iceberg",
        ],
        true,
      ),
    ];
    const source = i.kinesisSourceConfiguration;
    if (source) {
      p.push(...exists(ctx, "aws:kinesis/stream:Stream", source.kinesisStreamArn, "kinesisSourceConfiguration.kinesisStreamArn"));
      p.push(...exists(ctx, "aws:iam/role:Role", source.roleArn, "kinesisSourceConfiguration.roleArn"));
      if (i.serverSideEncryption?.enabled)
        p.push("server-side encryption cannot be enabled on a Firehose stream whose source is a Kinesis stream");
    }
    if (i.destination === "extended_s3") {
      const s3 = i.extendedS3Configuration;
      if (!s3) return [...p, "destination extended_s3 needs extendedS3Configuration"];
      p.push(...exists(ctx, "aws:iam/role:Role", s3.roleArn, "extendedS3Configuration.roleArn"));
      p.push(...exists(ctx, "aws:s3/bucket:Bucket", s3.bucketArn, "extendedS3Configuration.bucketArn"));
      p.push(...within("bufferingInterval (s)", s3.bufferingInterval, 0, 900));
      p.push(...within("bufferingSize (MiB)", s3.bufferingSize, 1, 128));
      p.push(...oneOf("compressionFormat", s3.compressionFormat, ["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"]));
      const dynamic = s3.dynamicPartitioningConfiguration?.enabled === true;
      p.push(...prefixProblems(s3.prefix, s3.errorOutputPrefix, dynamic));
      if (dynamic && (s3.bufferingSize ?? 5) < 64) p.push("dynamic partitioning needs bufferingSize of at least 64 MiB");
      if (
        s3.dataFormatConversionConfiguration?.enabled !== false &&
        s3.dataFormatConversionConfiguration &&
        (s3.compressionFormat ?? "UNCOMPRESSED") !== "UNCOMPRESSED"
      ) {
        p.push("record format conversion needs compressionFormat UNCOMPRESSED");
      }
      const logging = s3.cloudwatchLoggingOptions;
      if (logging?.enabled && (!logging.logGroupName || !logging.logStreamName))
        p.push("enabled CloudWatch logging needs logGroupName and logStreamName");
    }
    return p;
  },
};
