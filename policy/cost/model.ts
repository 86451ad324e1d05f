// The priced model of a team stack: dollars per hour for each resource, from PRICES and the
// lab's traffic. The budget rule and `npm run cost` both use it, so they never disagree.

import { flinkKpus } from "../rules/flinkApplications";
import { HOURS_PER_MONTH, LAB_TRAFFIC, PRICES } from "./prices";

export interface PricedInput {
  readonly type: string;
  readonly props: Record<string, any>;
}

export interface CostLine {
  readonly type: string;
  readonly usdPerHour: number;
  readonly basis: string;
}

const GB_PER_5KB_RECORD = 5 / (1024 * 1024);

function hourly(r: PricedInput): CostLine {
  const t = LAB_TRAFFIC;
  switch (r.type) {
    case "aws:kinesis/stream:Stream": {
      const mode = r.props.streamModeDetails?.streamMode ?? "PROVISIONED";
      const puts = ((t.recordsPerSecond * 3600) / 1e6) * PRICES.kinesisPutUnitsMillion.usd;
      if (mode === "ON_DEMAND") return { type: r.type, usdPerHour: PRICES.kinesisOnDemandStreamHour.usd + puts, basis: "on-demand stream-hour + data" };
      const shards = Number(r.props.shardCount ?? 1);
      return { type: r.type, usdPerHour: shards * PRICES.kinesisShardHour.usd + puts, basis: `${shards} shard(s) + PUT units` };
    }
    case "aws:kinesisanalyticsv2/application:Application": {
      const kpus = flinkKpus(r.props);
      const compute = (kpus + 1) * PRICES.flinkKpuHour.usd;
      const storage = (kpus * 50 * PRICES.flinkStorageGbMonth.usd) / HOURS_PER_MONTH;
      return { type: r.type, usdPerHour: compute + storage, basis: `${kpus} KPU + 1 orchestration KPU, running storage` };
    }
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return { type: r.type, usdPerHour: t.recordsPerSecond * 3600 * GB_PER_5KB_RECORD * PRICES.firehoseGb.usd, basis: `${t.recordsPerSecond} records/s at 5 KB each` };
    case "aws:lambda/function:Function": {
      const gb = Number(r.props.memorySize ?? 128) / 1024;
      const usd = (t.lambdaInvocationsPerHour / 1e6) * PRICES.lambdaRequestsMillion.usd + t.lambdaInvocationsPerHour * t.lambdaSecondsPerInvocation * gb * PRICES.lambdaGbSecondArm.usd;
      return { type: r.type, usdPerHour: usd, basis: `${t.lambdaInvocationsPerHour} invocations of ${t.lambdaSecondsPerInvocation} s` };
    }
    case "aws:s3/bucket:Bucket":
      return { type: r.type, usdPerHour: (t.s3PutsPerHour / 1000) * PRICES.s3PutThousand.usd, basis: `${t.s3PutsPerHour} PUTs; storage negligible` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { type: r.type, usdPerHour: (t.logMbPerHour / 1024) * PRICES.logsIngestGb.usd, basis: `${t.logMbPerHour} MB ingested` };
    default:
      // Cognito (free tier), SNS e-mail, IAM, Scheduler, SQS, bucket settings: free or below a cent a day.
      return { type: r.type, usdPerHour: 0, basis: "free or negligible" };
  }
}

export function estimate(resources: readonly PricedInput[]): { lines: CostLine[]; usdPerHour: number } {
  const lines = resources.filter((r) => r.type.startsWith("aws:")).map(hourly);
  return { lines, usdPerHour: lines.reduce((sum, l) => sum + l.usdPerHour, 0) };
}
