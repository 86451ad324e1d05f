// The offline plan (`npm run plan`, cli/plan.ts): the real program (labProgram, infra/program.ts, which
// infra/index.ts runs under the engine) run offline against the mock AWS account with that stack's
// configuration file, as a function call: no module is reloaded and no global configuration set. Our `pulumi preview` without a cloud:
// every resource with its physical name and key settings, and the stack outputs.

import * as pulumi from "@pulumi/pulumi";
import { stackConfig } from "../infra/stackFiles";
import { requireJar } from "../components/analytics";
import { labProgram } from "../infra/program";
import { JAR_PATH, ROOT } from "../paths";
import { MockAccount, valueOf, type RecordedResource } from "./fakeAws/account";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly physicalName: string;
  readonly region?: string;
  readonly settings: Record<string, unknown>;
}

export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
  /** Values the stack file does not set that the plan assumed (endsAt: four hours from now). */
  readonly assumed: Record<string, string>;
}

// The settings worth seeing per type; everything else is in --json.
const KEY_SETTINGS: Record<string, (i: Record<string, any>) => Record<string, unknown>> = {
  "aws:kinesis/stream:Stream": (i) => ({
    mode: i.streamModeDetails?.streamMode,
    shards: i.shardCount,
    retentionHours: i.retentionPeriod,
    encryption: i.encryptionType,
  }),
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (i) => ({
    source: i.kinesisSourceConfiguration?.kinesisStreamArn,
    prefix: i.extendedS3Configuration?.prefix,
    buffer: `${i.extendedS3Configuration?.bufferingInterval}s/${i.extendedS3Configuration?.bufferingSize}MiB`,
    compression: i.extendedS3Configuration?.compressionFormat,
  }),
  "aws:s3/bucket:Bucket": (i) => ({ forceDestroy: i.forceDestroy }),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i) => ({ expireDays: i.rules?.[0]?.expiration?.days }),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (i) => ({
    sse: i.rules?.[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm,
  }),
  "aws:iam/rolePolicy:RolePolicy": (i) => ({
    actions: (JSON.parse(String(i.policy)) as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action).join(","),
  }),
  "aws:cloudwatch/logGroup:LogGroup": (i) => ({ retentionDays: i.retentionInDays }),
  "aws:cognito/userPool:UserPool": (i) => ({
    minPasswordLength: i.passwordPolicy?.minimumLength,
    deletionProtection: i.deletionProtection,
  }),
  "aws:cognito/userPoolClient:UserPoolClient": (i) => ({ secret: i.generateSecret, flows: i.explicitAuthFlows?.join(",") }),
  "aws:cognito/identityPool:IdentityPool": (i) => ({ unauthenticated: i.allowUnauthenticatedIdentities }),
  "aws:sns/topic:Topic": (i) => ({ kms: i.kmsMasterKeyId }),
  "aws:sns/topicSubscription:TopicSubscription": (i) => ({ protocol: i.protocol, endpoint: i.endpoint }),
  "aws:s3/bucketObjectv2:BucketObjectv2": (i) => ({ key: i.key }),
  "aws:kinesisanalyticsv2/application:Application": (i) => {
    const c = i.applicationConfiguration ?? {};
    const p = c.flinkApplicationConfiguration?.parallelismConfiguration ?? {};
    const groups: { propertyGroupId: string; propertyMap: Record<string, string> }[] = c.environmentProperties?.propertyGroups ?? [];
    const prop = (g: string, k: string) => groups.find((x) => x.propertyGroupId === g)?.propertyMap[k];
    return {
      runtime: i.runtimeEnvironment,
      parallelism: `${p.parallelism}/${p.parallelismPerKpu} per KPU`,
      autoscaling: p.autoScalingEnabled,
      snapshots: c.applicationSnapshotConfiguration?.snapshotsEnabled,
      start: i.startApplication,
      reads: prop("IngestStream", "stream.name"),
      writes: prop("AnomaliesStream", "stream.name"),
      threshold: prop("Detection", "anomaly.threshold"),
    };
  },
  "aws:lambda/function:Function": (i) => ({
    runtime: i.runtime,
    arch: i.architectures?.join(","),
    memoryMB: i.memorySize,
    timeoutS: i.timeout,
  }),
  "aws:lambda/eventSourceMapping:EventSourceMapping": (i) => ({
    source: i.eventSourceArn,
    batch: i.batchSize,
    retries: i.maximumRetryAttempts,
    bisect: i.bisectBatchOnFunctionError,
    responses: i.functionResponseTypes?.join(","),
    onFailure: i.destinationConfig?.onFailure?.destinationArn,
  }),
  "aws:sqs/queue:Queue": (i) => ({ retentionS: i.messageRetentionSeconds }),
  "aws:scheduler/schedule:Schedule": (i) => ({
    at: i.scheduleExpression,
    zone: i.scheduleExpressionTimezone,
    target: i.target?.arn,
    input: i.target?.input,
  }),
  "pulumi:providers:aws": (i) => ({ region: i.region }),
};

// Traffic → ingest → archive → analytics → alert: the order a newcomer reads the lab in.
const DATA_PATH = ["aws", "kdg", "ingest", "archive", "analytics", "alert", "notifications", "event-end"];

function physicalName(r: RecordedResource): string {
  const s = r.state;
  return String(s.name ?? s.bucket ?? s.identityPoolName ?? s.username ?? r.id);
}

function settingsOf(r: RecordedResource): Record<string, unknown> {
  const pick = KEY_SETTINGS[r.type];
  const all = pick ? pick(r.inputs) : {};
  return Object.fromEntries(
    Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, r.secretInputs.includes(k) ? "[secret]" : v]),
  );
}

function order(r: PlannedResource): number {
  const i = DATA_PATH.findIndex((p) => r.name === p || r.name.startsWith(`${p}-`));
  return i === -1 ? DATA_PATH.length : i;
}

export interface PlanOptions {
  /** The account to plan into; several stacks may share one (collisions are then caught). */
  readonly account?: MockAccount;
  /** Where Pulumi.<stack>.yaml lives, when not beside Pulumi.yaml (generated team stacks). */
  readonly stackDir?: string;
}

/** Runs the program for `stack` in a mock account and returns what it would create. */
export async function planStack(stack: string, opts: PlanOptions = {}): Promise<Plan> {
  // The program refuses to run without the JAR; say so here, before the Pulumi runtime is involved
  // (inside it, the same error ended `npm run cost` with no message).
  requireJar(JAR_PATH);
  const account = opts.account ?? new MockAccount();
  const { project, config, encrypted } = stackConfig(stack, ROOT, opts.stackDir);
  if (encrypted.some((k) => k !== `${project}:kdgPassword`)) {
    throw new Error(`Encrypted values cannot be read offline: ${encrypted.join(", ")}. Plan a stack file with plain values.`);
  }
  // Committed profiles carry no end time (an event lasts at most 14 days from when it is deployed,
  // policy/limits.ts), so a plan without one shows the stack as if it were deployed now for 4 hours.
  const assumed: Record<string, string> = {};
  if (config[`${project}:endsAt`] === undefined) {
    assumed.endsAt = new Date(Date.now() + 4 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    config[`${project}:endsAt`] = assumed.endsAt;
  }
  // The program's own configuration keys, as infra/index.ts hands them to labProgram.
  const prefix = `${project}:`;
  const raw = Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
  const outputs: Record<string, pulumi.Input<unknown>> = { ...(await account.run(stack, () => labProgram(raw, stack), project)) };
  const shown: Record<string, unknown> = {};
  for (const [key, out] of Object.entries(outputs)) {
    const secret = pulumi.Output.isInstance(out) ? await pulumi.isSecret(out) : false;
    shown[key] = secret ? "[secret]" : await valueOf(out);
  }
  const resources = account
    .ofStack(stack)
    .map((r) => ({ type: r.type, name: r.name, physicalName: physicalName(r), region: r.region, settings: settingsOf(r) }))
    .sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  return { project, stack, resources, outputs: shown, assumed };
}
