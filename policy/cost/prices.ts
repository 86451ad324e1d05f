// Every price the cost model uses, in one place, each with where it comes from and when it was
// read. us-east-1, on-demand list prices in USD. Re-check before quoting an event's budget.

export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
  readonly checked: string;
}

const READ = "2026-11-28, from the project's reference facts (shared/reference/facts.md)";

export const PRICES = {
  kinesisShardHour: {
    usd: 0.015,
    per: "shard-hour (provisioned)",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked: READ,
  },
  kinesisPutUnitsMillion: {
    usd: 0.014,
    per: "million PUT payload units (25 KB each)",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked: READ,
  },
  kinesisExtendedRetentionShardHour: {
    usd: 0.02,
    per: "shard-hour of retention beyond 24 h (up to 7 days)",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked: "2026-11-29, AWS pricing page as stored; not in the reference facts",
  },
  kinesisOnDemandStreamHour: {
    usd: 0.04,
    per: "stream-hour (on-demand), before data charges",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked: "2026-11-28, AWS pricing page as stored; not in the reference facts",
  },
  flinkKpuHour: {
    usd: 0.11,
    per: "KPU-hour, plus one orchestration KPU per application",
    source: "https://aws.amazon.com/managed-service-apache-flink/pricing/",
    checked: READ,
  },
  flinkStorageGbMonth: {
    usd: 0.1,
    per: "GB-month of running storage, 50 GB per KPU",
    source: "https://aws.amazon.com/managed-service-apache-flink/pricing/",
    checked: READ,
  },
  firehoseGb: {
    usd: 0.029,
    per: "GB ingested, each record rounded up to 5 KB",
    source: "https://aws.amazon.com/firehose/pricing/",
    checked: READ,
  },
  lambdaRequestsMillion: { usd: 0.2, per: "million requests", source: "https://aws.amazon.com/lambda/pricing/", checked: READ },
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    per: "GB-second (arm64)",
    source: "https://aws.amazon.com/lambda/pricing/",
    checked: "2026-11-28, AWS pricing page as stored; the facts give x86 at 0.0000166667",
  },
  s3PutThousand: {
    usd: 0.005,
    per: "thousand PUT requests (S3 Standard)",
    source: "https://aws.amazon.com/s3/pricing/",
    checked: "2026-11-28, AWS pricing page as stored",
  },
  dashboardMonth: {
    usd: 3,
    per: "dashboard-month (the account's first 3 are free; priced as if not)",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    checked: "2026-11-29, AWS pricing page as stored",
  },
  s3StandardGbMonth: {
    usd: 0.023,
    per: "GB-month (S3 Standard, first 50 TB): what the buckets keep after the event, until destroy",
    source: "https://aws.amazon.com/s3/pricing/",
    checked: "2026-11-29, AWS pricing page as stored",
  },
  logsStoredGbMonth: {
    usd: 0.03,
    per: "GB-month of archived log data: what the log groups keep after the event, until destroy",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    checked: "2026-11-29, AWS pricing page as stored",
  },
  logsIngestGb: {
    usd: 0.5,
    per: "GB of log data ingested",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    checked: "2026-11-28, AWS pricing page as stored",
  },
} as const satisfies Record<string, Price>;

/**
 * The job's window length in seconds: the pack's own copy of the contract's
 * Detection/window.seconds default (sql/runtime-properties.json), because the pack loads alone;
 * test/policy/packCopies.test.ts ties the two.
 */
export const WINDOW_SECONDS = 10;

/**
 * What a team's lab sends, at its busiest: the lab's steady windows (1 impression/s, 1 click/s)
 * plus the three burst windows, as if they ran all hour. Generous on purpose.
 */
export const LAB_TRAFFIC = {
  recordsPerSecond: 5,
  /** One alert batch per window, at most. */
  lambdaInvocationsPerHour: 3600 / WINDOW_SECONDS,
  lambdaSecondsPerInvocation: 0.5,
  /** Firehose flushes every 60 s: one object per minute. */
  s3PutsPerHour: 60,
  logMbPerHour: 20,
} as const;

export const HOURS_PER_MONTH = 730;
