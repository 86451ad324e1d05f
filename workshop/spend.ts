// What a team costs, read from its actual resources and priced with the project's cost model
// (policy/cost/): the streams' shards as they are now, the Flink application's KPUs and how long it
// can have run, and, after the event's end, what keeps billing until `destroy` (shards, the
// buckets' and the log groups' stored bytes).

import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { DescribeApplicationCommand, StopApplicationCommand, type ApplicationDetail } from "@aws-sdk/client-kinesis-analytics-v2";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { estimate, type CostLine } from "../policy/cost/model";
import { HOURS_PER_MONTH, PRICES } from "../policy/cost/prices";
import { awsError, type TeamClients, type TeamTarget } from "./teamAws";

const GB = 1024 ** 3;
const HOUR = 3_600_000;

export interface StreamFacts {
  readonly name: string;
  readonly mode: string;
  readonly openShards: number;
  readonly retentionHours: number;
  readonly createdAt?: Date;
}

export interface FlinkFacts {
  /** ApplicationStatus: READY (stopped), STARTING, RUNNING, STOPPING, UPDATING, … */
  readonly status: string;
  /** KPUs it uses while running: current parallelism / parallelism per KPU, rounded up. */
  readonly kpus: number;
  readonly createdAt?: Date;
}

/** A stream as DescribeStreamSummary tells it. Throws the SDK's error (ResourceNotFoundException…). */
export async function streamFacts(c: TeamClients, name: string): Promise<StreamFacts> {
  const s = (await c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
  return {
    name,
    mode: s?.StreamModeDetails?.StreamMode ?? "PROVISIONED",
    openShards: s?.OpenShardCount ?? 0,
    retentionHours: s?.RetentionPeriodHours ?? 24,
    ...(s?.StreamCreationTimestamp ? { createdAt: s.StreamCreationTimestamp } : {}),
  };
}

/** KPUs of an application as described (AWS: parallelism / parallelismPerKPU, rounded up). */
export function kpusOf(app: ApplicationDetail): number {
  const p = app.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription;
  const parallelism = p?.CurrentParallelism ?? p?.Parallelism ?? 1;
  return Math.ceil(parallelism / (p?.ParallelismPerKPU ?? 1));
}

/** The Flink application as DescribeApplication tells it. Throws the SDK's error. */
export async function flinkFacts(c: TeamClients, name: string): Promise<FlinkFacts> {
  const app = (await c.flink.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail;
  if (!app) throw new Error(`DescribeApplication returned no detail for ${name}`);
  return {
    status: app.ApplicationStatus ?? "UNKNOWN",
    kpus: kpusOf(app),
    ...(app.CreateTimestamp ? { createdAt: app.CreateTimestamp } : {}),
  };
}

/** Whether Managed Flink bills KPUs in this status (it does from STARTING to STOPPING). */
export const billsKpus = (status: string) =>
  ["STARTING", "RUNNING", "UPDATING", "AUTOSCALING", "STOPPING", "ROLLING_BACK", "MAINTENANCE"].includes(status);

const streamInput = (s: StreamFacts) => ({
  type: "aws:kinesis/stream:Stream",
  props: { streamModeDetails: { streamMode: s.mode }, shardCount: s.openShards, retentionPeriod: s.retentionHours },
});
const flinkInput = (f: FlinkFacts) => ({
  type: "aws:kinesisanalyticsv2/application:Application",
  props: {
    applicationConfiguration: {
      flinkApplicationConfiguration: {
        parallelismConfiguration: { configurationType: "CUSTOM", parallelism: f.kpus, parallelismPerKpu: 1, autoScalingEnabled: false },
      },
    },
  },
});
/** What the model prices at the lab's traffic; it flows only while the Flink job runs the lab. */
const TRAFFIC_TYPES = [
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  "aws:lambda/function:Function",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucket:Bucket",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/logGroup:LogGroup",
];

export interface TeamSpend {
  /** Dollars per hour now: the streams and the dashboard always, the application and the lab's traffic while it runs. */
  readonly usdPerHourNow: number;
  readonly linesNow: readonly CostLine[];
  /**
   * Dollars spent so far, at most: the streams and the dashboard since the ingest stream was
   * created, the application and the traffic for every hour since the application was created
   * until now (running) or until the event's end (stopped). It cannot know of earlier stops, so
   * it errs high, which is the safe side for a cap.
   */
  readonly usdSoFar: number;
  readonly flinkHoursAtMost: number;
}

/** Prices what a team has now (see TeamSpend for the basis). `endsAt` is the event's end. */
export function priceTeam(streams: readonly StreamFacts[], flink: FlinkFacts, endsAt: Date | undefined, now: Date): TeamSpend {
  const always = estimate([...streams.map(streamInput), { type: "aws:cloudwatch/dashboard:Dashboard", props: {} }]);
  const whileRunning = estimate([flinkInput(flink), ...TRAFFIC_TYPES.map((type) => ({ type, props: {} }))]);
  const running = billsKpus(flink.status);
  const hours = (from: Date | undefined, to: Date) => (from ? Math.max(0, to.getTime() - from.getTime()) / HOUR : 0);
  const createdAt = streams.map((s) => s.createdAt).find((d) => d !== undefined);
  const flinkUntil = running || !endsAt ? now : new Date(Math.min(now.getTime(), endsAt.getTime()));
  const flinkHoursAtMost = hours(flink.createdAt, flinkUntil);
  return {
    usdPerHourNow: always.usdPerHour + (running ? whileRunning.usdPerHour : 0),
    linesNow: [...always.lines, ...(running ? whileRunning.lines : [])],
    usdSoFar: always.usdPerHour * hours(createdAt, now) + whileRunning.usdPerHour * flinkHoursAtMost,
    flinkHoursAtMost,
  };
}

/** Bytes stored in a bucket (ListObjectsV2, every page). */
export async function bucketBytes(c: TeamClients, bucket: string): Promise<number> {
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) bytes += o.Size ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return bytes;
}

/** storedBytes of the named log groups (DescribeLogGroups by prefix; a missing group counts 0). */
export async function logBytes(c: TeamClients, groups: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const name of groups) {
    const page = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    bytes += page.logGroups?.find((g) => g.logGroupName === name)?.storedBytes ?? 0;
  }
  return bytes;
}

export interface Residual {
  readonly usdPerDay: number;
  /** What makes it up, e.g. "2 shard(s) $0.72/day". */
  readonly parts: readonly { readonly what: string; readonly usdPerDay: number }[];
}

/**
 * What a stopped team still bills per day until `destroy` (issue 17): provisioned shards
 * (PRICES.kinesisShardHour, 24 h; on-demand streams their stream-hour), the buckets' and the log
 * groups' stored bytes (PRICES, a 30-day month). The Flink application bills nothing
 * while stopped (READY); its snapshots' few MB are left out.
 */
export function residualOf(streams: readonly StreamFacts[], storedS3Bytes: number, storedLogBytes: number): Residual {
  const shards = streams.filter((s) => s.mode !== "ON_DEMAND").reduce((n, s) => n + s.openShards, 0);
  const onDemand = streams.filter((s) => s.mode === "ON_DEMAND").length;
  const parts = [
    { what: `${shards} shard(s)`, usdPerDay: shards * PRICES.kinesisShardHour.usd * 24 },
    ...(onDemand ? [{ what: `${onDemand} on-demand stream(s)`, usdPerDay: onDemand * PRICES.kinesisOnDemandStreamHour.usd * 24 }] : []),
    {
      what: `S3 ${(storedS3Bytes / 1024 ** 2).toFixed(1)} MB`,
      usdPerDay: ((storedS3Bytes / GB) * PRICES.s3StandardGbMonth.usd) / 30,
    },
    {
      what: `logs ${(storedLogBytes / 1024 ** 2).toFixed(1)} MB`,
      usdPerDay: ((storedLogBytes / GB) * PRICES.logsStoredGbMonth.usd) / 30,
    },
  ];
  return { usdPerDay: parts.reduce((s, p) => s + p.usdPerDay, 0), parts };
}

/** Reads a team's streams and stored bytes and prices its residual. Throws the SDK's errors. */
export async function teamResidual(t: TeamTarget, c: TeamClients): Promise<Residual> {
  const streams = await Promise.all([streamFacts(c, t.ingestStreamName), streamFacts(c, t.anomaliesStreamName)]);
  const s3 = (await bucketBytes(c, t.rawBucket)) + (await bucketBytes(c, t.processedBucket));
  return residualOf(streams, s3, await logBytes(c, t.logGroups));
}

/** Stops a team's application (StopApplication, not forced: Flink takes a snapshot first). */
export async function stopApplication(c: TeamClients, name: string): Promise<void> {
  await c.flink.send(new StopApplicationCommand({ ApplicationName: name, Force: false }));
}

/** The monthly figure of a price per hour, for messages (730 hours a month, as the model). */
export const perMonth = (usdPerHour: number) => usdPerHour * HOURS_PER_MONTH;

/** One team's line of `workshop cost`. */
export interface TeamCostCheck {
  readonly team: string;
  /** The Flink application's status (DescribeApplication), e.g. RUNNING, READY. */
  readonly flinkStatus?: string;
  readonly spend?: TeamSpend;
  /** What it still bills per day, once its endsAt has passed. */
  readonly residual?: Residual;
  /** Its spend so far is above the cap. */
  readonly overCap: boolean;
  /** What stopOverCap did: "stopped", or why not. */
  readonly action?: string;
  /** Why the team could not be read (the AWS error). */
  readonly problem?: string;
}

/**
 * One team's spend now and so far (its streams and Flink application, read live, at `now`), its
 * residual after endsAt, whether it is over `cap` (USD), and with `stopOverCap` its application
 * stopped (StopApplication with a snapshot) when it is over and running. Never throws: a team that
 * cannot be read is a `problem`, a stop that fails an `action`.
 */
export async function costOfTeam(
  t: TeamTarget,
  c: TeamClients,
  o: { readonly cap?: number; readonly stopOverCap?: boolean; readonly now: Date },
): Promise<TeamCostCheck> {
  try {
    const [streams, flink] = await Promise.all([
      Promise.all([streamFacts(c, t.ingestStreamName), streamFacts(c, t.anomaliesStreamName)]),
      flinkFacts(c, t.flinkApplicationName),
    ]);
    const endsAt = t.record.endsAt ? new Date(t.record.endsAt) : undefined;
    const spend = priceTeam(streams, flink, endsAt, o.now);
    const residual = endsAt && endsAt <= o.now ? await teamResidual(t, c) : undefined;
    const overCap = o.cap !== undefined && spend.usdSoFar > o.cap;
    const action = overCap && o.stopOverCap ? await stopOverCap(c, t.flinkApplicationName, flink.status) : undefined;
    return {
      team: t.team,
      flinkStatus: flink.status,
      spend,
      ...(residual ? { residual } : {}),
      overCap,
      ...(action ? { action } : {}),
    };
  } catch (e) {
    return { team: t.team, overCap: false, problem: awsError(e) };
  }
}

/** Stops an application over the cap if it bills KPUs: "stopped", "not running (<status>)" or "stop failed: <error>". */
async function stopOverCap(c: TeamClients, application: string, status: string): Promise<string> {
  if (!billsKpus(status)) return `not running (${status})`;
  try {
    await stopApplication(c, application);
    return "stopped";
  } catch (e) {
    return `stop failed: ${awsError(e)}`;
  }
}
