// The priced model of a team stack: dollars per hour for each resource, from PRICES and the
// lab's traffic. The budget rule and `npm run cost` both use it, so they never disagree. Deny by
// default: every type the lab allows has an entry here (a price or the reason it costs nothing);
// any other type is returned as unpriced, and the budget rule refuses a stack it cannot price.

import { LAB_TYPES } from "../rules/labTypes";
import { flinkKpus } from "../rules/flinkApplications";
import { HOURS_PER_MONTH, LAB_TRAFFIC, PRICES } from "./prices";

export interface PricedInput {
  readonly type: string;
  readonly props: Record<string, unknown>;
}

export interface CostLine {
  readonly type: string;
  readonly usdPerHour: number;
  readonly basis: string;
}

const GB_PER_5KB_RECORD = 5 / (1024 * 1024);

/** Props as a rule receives them: the engine's JSON, read field by field. */
type Props = Record<string, unknown> & {
  streamModeDetails?: { streamMode?: string };
  shardCount?: number;
  retentionPeriod?: number;
  memorySize?: number;
  applicationConfiguration?: { flinkApplicationConfiguration?: { parallelismConfiguration?: unknown } };
};

type Pricer = (props: Props) => { usdPerHour: number; basis: string };

const free =
  (basis: string): Pricer =>
  () => ({ usdPerHour: 0, basis });

/** One entry per allowed type: how it is priced. */
const PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:kinesis/stream:Stream": (p) => {
    const t = LAB_TRAFFIC;
    const mode = p.streamModeDetails?.streamMode ?? "PROVISIONED";
    const puts = ((t.recordsPerSecond * 3600) / 1e6) * PRICES.kinesisPutUnitsMillion.usd;
    if (mode === "ON_DEMAND") return { usdPerHour: PRICES.kinesisOnDemandStreamHour.usd + puts, basis: "on-demand stream-hour + data" };
    const shards = Number(p.shardCount ?? 1);
    const extended = Number(p.retentionPeriod ?? 24) > 24 ? shards * PRICES.kinesisExtendedRetentionShardHour.usd : 0;
    return {
      usdPerHour: shards * PRICES.kinesisShardHour.usd + puts + extended,
      basis: `${shards} shard(s) + PUT units${extended ? " + extended retention" : ""}`,
    };
  },
  "aws:kinesisanalyticsv2/application:Application": (p) => {
    const kpus = flinkKpus(p);
    const compute = (kpus + 1) * PRICES.flinkKpuHour.usd;
    const storage = (kpus * 50 * PRICES.flinkStorageGbMonth.usd) / HOURS_PER_MONTH;
    return { usdPerHour: compute + storage, basis: `${kpus} KPU + 1 orchestration KPU, running storage` };
  },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": () => ({
    usdPerHour: LAB_TRAFFIC.recordsPerSecond * 3600 * GB_PER_5KB_RECORD * PRICES.firehoseGb.usd,
    basis: `${LAB_TRAFFIC.recordsPerSecond} records/s at 5 KB each`,
  }),
  "aws:lambda/function:Function": (p) => {
    const t = LAB_TRAFFIC;
    const gb = Number(p.memorySize ?? 128) / 1024;
    const usd =
      (t.lambdaInvocationsPerHour / 1e6) * PRICES.lambdaRequestsMillion.usd +
      t.lambdaInvocationsPerHour * t.lambdaSecondsPerInvocation * gb * PRICES.lambdaGbSecondArm.usd;
    return { usdPerHour: usd, basis: `${t.lambdaInvocationsPerHour} invocations of ${t.lambdaSecondsPerInvocation} s` };
  },
  "aws:s3/bucket:Bucket": () => ({
    usdPerHour: (LAB_TRAFFIC.s3PutsPerHour / 1000) * PRICES.s3PutThousand.usd,
    basis: `${LAB_TRAFFIC.s3PutsPerHour} PUTs; storage negligible`,
  }),
  "aws:cloudwatch/logGroup:LogGroup": () => ({
    usdPerHour: (LAB_TRAFFIC.logMbPerHour / 1024) * PRICES.logsIngestGb.usd,
    basis: `${LAB_TRAFFIC.logMbPerHour} MB ingested`,
  }),
  "aws:cloudwatch/dashboard:Dashboard": () => ({ usdPerHour: PRICES.dashboardMonth.usd / HOURS_PER_MONTH, basis: "one dashboard-month" }),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": free("bucket setting: no charge"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": free("bucket setting: no charge (SSE-S3)"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": free("bucket setting: no charge"),
  "aws:s3/bucketPolicy:BucketPolicy": free("bucket setting: no charge"),
  "aws:s3/bucketObjectv2:BucketObjectv2": free("one JAR of a few MB: below a cent a month"),
  "aws:iam/role:Role": free("IAM: no charge"),
  "aws:iam/rolePolicy:RolePolicy": free("IAM: no charge"),
  "aws:iam/user:User": free("IAM: no charge"),
  "aws:iam/userLoginProfile:UserLoginProfile": free("IAM: no charge"),
  "aws:iam/userPolicy:UserPolicy": free("IAM: no charge"),
  "aws:cloudwatch/logStream:LogStream": free("priced with its log group"),
  "aws:cognito/userPool:UserPool": free("Cognito: one user, inside the free tier"),
  "aws:cognito/userPoolClient:UserPoolClient": free("Cognito: no charge"),
  "aws:cognito/user:User": free("Cognito: one monthly active user, free tier"),
  "aws:cognito/identityPool:IdentityPool": free("Cognito identity pools: no charge"),
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": free("Cognito identity pools: no charge"),
  "aws:sns/topic:Topic": free("SNS: a few e-mails an hour, inside the free tier"),
  "aws:sns/topicSubscription:TopicSubscription": free("SNS e-mail free tier; SMS capped by the account's MonthlySpendLimit"),
  "aws:lambda/eventSourceMapping:EventSourceMapping": free("no charge of its own (priced with the function)"),
  "aws:sqs/queue:Queue": free("SQS: only failed batches, inside the free tier"),
  "aws:scheduler/schedule:Schedule": free("Scheduler: one invocation, inside the free tier"),
  "random:index/randomPassword:RandomPassword": free("no cloud resource"),
};

/** The allowed types the model cannot price: none, or LAB_TYPES and the model have drifted. */
export function unpricedLabTypes(): string[] {
  return Object.keys(LAB_TYPES)
    .filter((t) => t.startsWith("aws:") || t.startsWith("random:"))
    .filter((t) => !(t in PRICERS));
}

/** Providers, the stack and components are not cloud resources: nothing to price. */
function notACloudResource(type: string): boolean {
  return type.startsWith("pulumi:") || type.startsWith("clickstream:");
}

/**
 * The stack's cost per hour. `unpriced` names every resource type without a price: the budget
 * rule refuses those, since a type the model does not know could cost anything.
 */
export function estimate(resources: readonly PricedInput[]): { lines: CostLine[]; usdPerHour: number; unpriced: string[] } {
  const lines: CostLine[] = [];
  const unpriced = new Set<string>();
  for (const r of resources) {
    if (notACloudResource(r.type)) continue;
    const pricer = PRICERS[r.type];
    if (!pricer) {
      unpriced.add(r.type);
      continue;
    }
    lines.push({ type: r.type, ...pricer(r.props) });
  }
  return { lines, usdPerHour: lines.reduce((sum, l) => sum + l.usdPerHour, 0), unpriced: [...unpriced] };
}
