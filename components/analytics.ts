// Ingest → analytics → anomalies: the lab's SQL on Managed Service for Apache Flink. The JAR built
// from analytics/ (which carries sql/) is uploaded under its content hash, so a new build changes
// the object key and Pulumi updates the running application to it; the same JAR always maps to
// the same key, so a plan without changes updates nothing.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JAR_PATH, ROOT } from "../paths";
import { scopedRole, serviceTrust } from "./iam";

export { JAR_PATH };
/** The job's runtime-property contract, beside the SQL (the JAR carries a copy); the Java job checks its groups against the same file. */
export const PROPERTIES_CONTRACT = join(ROOT, "sql", "runtime-properties.json");
export const FLINK_RUNTIME = "FLINK-1_20";
export const CODE_PREFIX = "code/";

interface Contract {
  groups: Record<string, Record<string, { required?: boolean; default?: string; description: string }>>;
}

export function propertyContract(): Contract {
  return JSON.parse(readFileSync(PROPERTIES_CONTRACT, "utf8")) as Contract;
}

export interface DetectionSettings {
  readonly ingestStreamName: string;
  readonly anomaliesStreamName: string;
  readonly region: string;
  readonly anomalyThreshold: number;
}

/**
 * The application's property groups: every key of the contract, with the stack's values where it
 * has them and the contract's defaults otherwise. Empty values are left out, because Managed Flink
 * refuses them (values are 1-2,048 characters) and the job treats a missing key as its default.
 */
export function propertyGroups(s: DetectionSettings): { propertyGroupId: string; propertyMap: Record<string, string> }[] {
  const stack: Record<string, Record<string, string>> = {
    IngestStream: { "stream.name": s.ingestStreamName, "aws.region": s.region },
    AnomaliesStream: { "stream.name": s.anomaliesStreamName, "aws.region": s.region },
    Detection: { "anomaly.threshold": String(s.anomalyThreshold) },
  };
  return Object.entries(propertyContract().groups).map(([group, keys]) => ({
    propertyGroupId: group,
    propertyMap: Object.fromEntries(
      Object.entries(keys)
        .map(([key, spec]) => [key, stack[group]?.[key] ?? spec.default ?? ""] as const)
        .filter(([, value]) => value !== ""),
    ),
  }));
}

/** Fails, naming the one command that builds it, when the JAR is not there. */
export function requireJar(path: string): void {
  if (!existsSync(path)) {
    throw new Error(`The Flink job's JAR is missing (${path}). Build it first: npm run build:jar (needs a JDK 11 or newer).`);
  }
}

/** The JAR as an asset, keyed by its content hash. */
export function jarAsset(path: string): { asset: pulumi.asset.FileAsset; key: string } {
  requireJar(path);
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
  return { asset: new pulumi.asset.FileAsset(path), key: `${CODE_PREFIX}clickstream-analytics-${hash}.jar` };
}

export interface AnalyticsArgs {
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  readonly applicationName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly ingestStreamName: pulumi.Input<string>;
  readonly ingestStreamArn: pulumi.Input<string>;
  readonly anomaliesStreamName: string;
  /**
   * The processed bucket: the JAR goes under code/. It expires with the lab data
   * (bucketExpirationDays); the service reads it at create, update and start, and the cost guard
   * stops the application at the event's end, long before.
   */
  readonly codeBucketName: pulumi.Input<string>;
  readonly codeBucketArn: pulumi.Input<string>;
  readonly anomalyThreshold: number;
  /** Defaults to the Maven build's output. */
  readonly jarPath?: string;
}

export class Analytics extends pulumi.ComponentResource {
  public readonly application: aws.kinesisanalyticsv2.Application;
  public readonly anomaliesStream: aws.kinesis.Stream;
  public readonly applicationName: pulumi.Output<string>;
  public readonly applicationArn: pulumi.Output<string>;
  public readonly anomaliesStreamArn: pulumi.Output<string>;
  public readonly anomaliesStreamName: pulumi.Output<string>;

  constructor(name: string, args: AnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:lab:Analytics", name, {}, opts);
    const jar = jarAsset(args.jarPath ?? JAR_PATH);

    // The job's output. One shard: anomalies come at most once per window.
    this.anomaliesStream = new aws.kinesis.Stream(
      `${name}-anomalies`,
      {
        name: args.anomaliesStreamName,
        streamModeDetails: { streamMode: "PROVISIONED" },
        shardCount: 1,
        retentionPeriod: 24,
        encryptionType: "KMS",
        kmsKeyId: "alias/aws/kinesis",
      },
      { parent: this },
    );

    const code = new aws.s3.BucketObjectv2(`${name}-jar`, { bucket: args.codeBucketName, key: jar.key, source: jar.asset }, { parent: this });

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: args.logGroupName, retentionInDays: args.logRetentionDays }, { parent: this });
    const logStream = new aws.cloudwatch.LogStream(`${name}-log-stream`, { name: "application", logGroupName: logGroup.name }, { parent: this });

    const objectArn = pulumi.interpolate`${args.codeBucketArn}/${code.key}`;
    const { role, policy } = scopedRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: "Managed Flink: read this team's clicks stream, write its anomalies stream, read its JAR, write its logs.",
        trust: serviceTrust("kinesisanalytics.amazonaws.com", args.accountId),
        statements: [
          // The polling consumer (no enhanced fan-out): list and read shards.
          { Sid: "ReadClicks", Effect: "Allow", Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"], Resource: [args.ingestStreamArn] },
          { Sid: "WriteAnomalies", Effect: "Allow", Action: ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"], Resource: [this.anomaliesStream.arn] },
          { Sid: "ReadCode", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [objectArn] },
          { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`] },
          // The service checks the group exists before it logs; scoped to this account and region.
          { Sid: "FindLogGroup", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: [pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:log-group:*`] },
        ],
      },
      this,
    );

    this.application = new aws.kinesisanalyticsv2.Application(
      `${name}-app`,
      {
        name: args.applicationName,
        description: "Clickstream anomaly lab: the 2020 KDA SQL, in Flink SQL, with RANDOM_CUT_FOREST",
        runtimeEnvironment: FLINK_RUNTIME,
        serviceExecutionRole: role.arn,
        startApplication: true,
        applicationConfiguration: {
          applicationCodeConfiguration: {
            codeContentType: "ZIPFILE",
            codeContent: { s3ContentLocation: { bucketArn: args.codeBucketArn, fileKey: code.key } },
          },
          environmentProperties: {
            propertyGroups: pulumi.output(args.ingestStreamName).apply((ingestStreamName) =>
              propertyGroups({ ingestStreamName, anomaliesStreamName: args.anomaliesStreamName, region: args.region, anomalyThreshold: args.anomalyThreshold }),
            ),
          },
          flinkApplicationConfiguration: {
            // One KPU: the lab's traffic is a few records per second (bench:flink: 290,000/s).
            parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 1, parallelismPerKpu: 1, autoScalingEnabled: false },
            // DEFAULT: checkpoints every minute, which is what keeps the forest across restarts.
            checkpointConfiguration: { configurationType: "DEFAULT" },
            monitoringConfiguration: { configurationType: "CUSTOM", logLevel: "INFO", metricsLevel: "APPLICATION" },
          },
          applicationSnapshotConfiguration: { snapshotsEnabled: true },
          runConfiguration: {
            applicationRestoreConfiguration: { applicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
            flinkRunConfiguration: { allowNonRestoredState: false },
          },
        },
        cloudwatchLoggingOptions: { logStreamArn: logStream.arn },
      },
      // IAM is eventually consistent: the role's policy must exist before the service assumes it.
      { parent: this, dependsOn: [policy] },
    );

    this.applicationName = this.application.name;
    this.applicationArn = this.application.arn;
    this.anomaliesStreamArn = this.anomaliesStream.arn;
    this.anomaliesStreamName = this.anomaliesStream.name;
    this.registerOutputs({ applicationName: this.applicationName, applicationArn: this.applicationArn, anomaliesStreamName: this.anomaliesStreamName });
  }
}
