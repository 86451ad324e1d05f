// Ingest → analytics → anomalies: the lab's SQL on Managed Service for Apache Flink. The JAR built
// from analytics/ (which carries sql/) is uploaded under its content hash, so a new build changes
// the object key and Pulumi updates the running application to it; the same JAR always maps to
// the same key, so a plan without changes updates nothing.
//
// The JAR has a bucket of its own that keeps it until `pulumi destroy`, because no expiry can be
// long enough: Managed Flink reads the JAR at every create, update and start of the application,
// and a start can come at any time before destroy. `npm run workshop -- extend` moves endsAt up
// to 14 days past the moment it runs, as often as an instructor runs it, and then starts the
// stopped application (docs/event-life.md); the JAR is uploaded once, at the first `up`, and no
// later `up` renews it. So an object expiring N days after upload is missing at some possible
// start whatever N is, and tying endsAt to the expiry would mean refusing to extend. Code is not
// lab data: it lives as long as the application that runs it and goes with it at destroy, while
// the raw records and the alert CSVs still expire after bucketExpirationDays. Keeping it costs
// $0.0015 a month (the 66 MB JAR at S3's $0.023 per GB-month). test/infra/codeLifetime.test.ts
// fails if any lifecycle rule could expire or archive the object the application runs.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JAR_PATH, ROOT } from "../paths";
import { componentType, withFormerTypes } from "./componentType";
import { KINESIS_POLLING_READ, scopedRole, serviceTrust } from "./iam";
import { SecureBucket } from "./secureBucket";

export { JAR_PATH };
/** The job's runtime-property contract, beside the SQL (the JAR carries a copy); the Java job checks its groups against the same file. */
export const PROPERTIES_CONTRACT = join(ROOT, "sql", "runtime-properties.json");
/** The Managed Flink runtime the job is built for (analytics/pom.xml's Flink 1.20). */
export const FLINK_RUNTIME = "FLINK-1_20";
/**
 * The application's run configuration: every update and start restores from the latest snapshot
 * and skips state that no operator of the new job claims. restorePolicy.ts says why, and what each
 * kind of change costs (issue #22).
 */
export const RUN_CONFIGURATION = {
  applicationRestoreConfiguration: { applicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
  flinkRunConfiguration: { allowNonRestoredState: true },
} as const;

/** Where the JAR goes in the code bucket. */
export const CODE_PREFIX = "code/";

/** sql/runtime-properties.json: per property group, per key, whether it is required, its default and what it means. */
export interface Contract {
  groups: Record<string, Record<string, { required?: boolean; default?: string; description: string; restart?: string }>>;
}

/** The runtime-property contract, read from PROPERTIES_CONTRACT. @throws when the file is missing or not JSON. */
export function propertyContract(): Contract {
  return JSON.parse(readFileSync(PROPERTIES_CONTRACT, "utf8")) as Contract;
}

/**
 * The job's window length in seconds (Detection/window.seconds's default in the contract): the
 * one source for everything sized by a window (the alert's row check, help texts, the local
 * lab's compression). No stack key sets it.
 * @throws Error when the contract has no positive Detection/window.seconds default.
 */
export function labWindowSeconds(): number {
  const v = Number(propertyContract().groups.Detection?.["window.seconds"]?.default);
  if (!(v > 0)) throw new Error(`${PROPERTIES_CONTRACT} has no positive Detection/window.seconds default`);
  return v;
}

/** The stack's values for the property groups. */
export interface DetectionSettings {
  /** IngestStream/stream.name: the stream the job reads. */
  readonly ingestStreamName: string;
  /** AnomaliesStream/stream.name: the stream the job writes anomalous windows to. */
  readonly anomaliesStreamName: string;
  /** `aws.region` of both stream groups. */
  readonly region: string;
  /** Detection/anomaly.threshold: the score above which a window is anomalous (> 0). */
  readonly anomalyThreshold: number;
}

/**
 * The application's property groups: every key of the contract, with the stack's values where it
 * has them and the contract's defaults otherwise. Empty values are left out, because Managed Flink
 * refuses them (values are 1-2,048 characters) and the job treats a missing key as its default.
 * `overrides` (group → key → value) win over both: the local lab points the job at its own
 * endpoint with them.
 * @throws Error when an override names a group or key the contract does not list.
 */
export function propertyGroups(
  s: DetectionSettings,
  overrides: Record<string, Record<string, string>> = {},
): { propertyGroupId: string; propertyMap: Record<string, string> }[] {
  const contract = propertyContract().groups;
  for (const [group, keys] of Object.entries(overrides)) {
    for (const key of Object.keys(keys))
      if (!contract[group]?.[key]) throw new Error(`${group}/${key} is not in the runtime-property contract (sql/runtime-properties.json)`);
  }
  const stack: Record<string, Record<string, string>> = {
    IngestStream: { "stream.name": s.ingestStreamName, "aws.region": s.region, ...overrides.IngestStream },
    AnomaliesStream: { "stream.name": s.anomaliesStreamName, "aws.region": s.region, ...overrides.AnomaliesStream },
    Detection: { "anomaly.threshold": String(s.anomalyThreshold), ...overrides.Detection },
    ...Object.fromEntries(Object.entries(overrides).filter(([g]) => !["IngestStream", "AnomaliesStream", "Detection"].includes(g))),
  };
  return Object.entries(contract).map(([group, keys]) => ({
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

/**
 * The SHA-256 of a file (hex), computed once per build: the result is kept beside the file in
 * `<file>.sha256` with the size and modification time it was computed for, and computed again
 * only when either changes. Hashing the 66 MB JAR was most of every offline plan's time.
 */
export function fileHash(path: string): string {
  const { size, mtimeMs } = statSync(path);
  const sidecar = `${path}.sha256`;
  const stamp = `${size} ${mtimeMs}`;
  if (existsSync(sidecar)) {
    const [kept, hash] = readFileSync(sidecar, "utf8").trim().split("\t");
    if (kept === stamp && hash && /^[0-9a-f]{64}$/.test(hash)) return hash;
  }
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
  try {
    writeFileSync(sidecar, `${stamp}\t${hash}\n`);
  } catch {
    // A read-only checkout still plans; it only hashes every time.
  }
  return hash;
}

/** The lab's SQL, which the JAR carries (analytics/pom.xml copies sql/ into it). */
export const SQL_SCRIPT = join(ROOT, "sql", "anomaly-detection.sql");

/**
 * The SQL's identity: the first 12 hex digits of the SHA-256 of its statements as the job reads
 * them (comment lines dropped, as LabSql does; runtime properties left as ${Group.key}), so that a
 * comment changes nothing and a changed statement changes it. Part of the JAR's object key, so
 * that a preview tells a changed query from a new JAR with the same SQL (issue #22; the rollout's
 * warm-up figures, restorePolicy.ts).
 */
export function sqlIdentity(script: string = readFileSync(SQL_SCRIPT, "utf8")): string {
  const statements = script
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .replace(/\s+/g, " ")
    .trim();
  return createHash("sha256").update(statements).digest("hex").slice(0, 12);
}

/** The SQL identity in a JAR's object key (jarAsset), or undefined for a key without one (JARs uploaded before it). */
export function sqlIdentityOfKey(key: string): string | undefined {
  return /-sql-([0-9a-f]{12})\.jar$/.exec(key)?.[1];
}

/**
 * The JAR as an asset, keyed by its content hash and the SQL's identity:
 * `code/clickstream-analytics-<16 hex of the JAR>-sql-<sqlIdentity>.jar`.
 */
export function jarAsset(path: string): { asset: pulumi.asset.FileAsset; key: string } {
  requireJar(path);
  return {
    asset: new pulumi.asset.FileAsset(path),
    key: `${CODE_PREFIX}clickstream-analytics-${fileHash(path).slice(0, 16)}-sql-${sqlIdentity()}.jar`,
  };
}

export interface AnalyticsArgs {
  /** The 12-digit AWS account ID: the application's role trusts Managed Flink only on behalf of this account. */
  readonly accountId: pulumi.Input<string>;
  /** The region of the streams (`us-east-1`): the job's `aws.region` properties. */
  readonly region: string;
  /** Physical application name: 1-128 characters of letters, digits, `_`, `-` and `.`. */
  readonly applicationName: string;
  /** Physical name of the application's IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The application's log group (`/aws/kinesis-analytics/<application>`, where the console looks). */
  readonly logGroupName: string;
  /** Days CloudWatch keeps the application's log: one of CloudWatch's allowed values (config logRetentionDays). */
  readonly logRetentionDays: number;
  /** Name of the stream the job reads (Ingest.streamName). */
  readonly ingestStreamName: pulumi.Input<string>;
  /** ARN of that stream, for the role's read grant (Ingest.streamArn). */
  readonly ingestStreamArn: pulumi.Input<string>;
  /** Physical name of the anomalies stream this component creates (1 shard, 24 h). */
  readonly anomaliesStreamName: string;
  /**
   * Physical name of the code bucket this component creates for the JAR (see
   * SecureBucketArgs.bucketName). Its objects do not expire; `pulumi destroy` empties it (see
   * the file's head for why).
   */
  readonly codeBucketName: pulumi.Input<string>;
  /** Random Cut Forest score above which a window is anomalous, > 0 (config anomalyThreshold; the 2020 lab used 2). */
  readonly anomalyThreshold: number;
  /** Path of the job's JAR; defaults to the Maven build's output (JAR_PATH). */
  readonly jarPath?: string;
}

/**
 * The lab's analysis: a Managed Service for Apache Flink application (FLINK_RUNTIME, 1 KPU,
 * snapshots on, restored from the latest at every update and start, unclaimed state skipped:
 * RUN_CONFIGURATION) running the JAR built from analytics/ with
 * the property groups of propertyGroups(); the anomalies stream it writes (1 provisioned shard,
 * 24 h, KMS); the code bucket holding the JAR under CODE_PREFIX; its log group and stream; and
 * its role, which may read only the ingest stream, write only the anomalies stream, read only
 * its JAR and write only its log.
 *
 * Children: `<name>-anomalies`, `<name>-code` (SecureBucket), `<name>-jar`, `<name>-logs`,
 * `<name>-log-stream`, `<name>-role` and its `-policy`, `<name>-app`.
 */
export class Analytics extends pulumi.ComponentResource {
  /** The Flink application. */
  public readonly application: aws.kinesisanalyticsv2.Application;
  /** The stream the job writes anomalous windows to; the alert Lambda reads it. */
  public readonly anomaliesStream: aws.kinesis.Stream;
  /** Where the JAR lives until destroy. */
  public readonly codeBucket: SecureBucket;
  /** The application's name, as given in `applicationName`. */
  public readonly applicationName: pulumi.Output<string>;
  /** `arn:aws:kinesisanalytics:<region>:<account>:application/<name>`: what the stop schedule's role may stop. */
  public readonly applicationArn: pulumi.Output<string>;
  /** ARN of the anomalies stream, for the alert's event source mapping. */
  public readonly anomaliesStreamArn: pulumi.Output<string>;
  /** The anomalies stream's name, as given in `anomaliesStreamName`. */
  public readonly anomaliesStreamName: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args names, the streams, the detection threshold and where the JAR is.
   * @param opts options for the component (parent, provider, aliases).
   * @throws Error naming `npm run build:jar` when the JAR is not there (requireJar).
   */
  constructor(name: string, args: AnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Analytics"), name, {}, withFormerTypes(opts, "clickstream:lab:Analytics"));
    const jar = jarAsset(args.jarPath ?? JAR_PATH);
    this.anomaliesStream = anomaliesStream(name, args, this);
    this.codeBucket = new SecureBucket(`${name}-code`, { bucketName: args.codeBucketName }, { parent: this });
    const code = new aws.s3.BucketObjectv2(
      `${name}-jar`,
      { bucket: this.codeBucket.name, key: jar.key, source: jar.asset },
      { parent: this },
    );
    const log = applicationLog(name, args, this);
    const { role, policy } = applicationRole(name, args, this, {
      anomaliesStreamArn: this.anomaliesStream.arn,
      objectArn: pulumi.interpolate`${this.codeBucket.arn}/${code.key}`,
      logGroupArn: log.group.arn,
    });
    this.application = flinkApplication(name, args, this, {
      roleArn: role.arn,
      // IAM is eventually consistent: the role's policy must exist before the service assumes it.
      policy,
      codeBucketArn: this.codeBucket.arn,
      fileKey: code.key,
      logStreamArn: log.stream.arn,
    });

    this.applicationName = this.application.name;
    this.applicationArn = this.application.arn;
    this.anomaliesStreamArn = this.anomaliesStream.arn;
    this.anomaliesStreamName = this.anomaliesStream.name;
    this.registerOutputs({
      applicationName: this.applicationName,
      applicationArn: this.applicationArn,
      anomaliesStreamName: this.anomaliesStreamName,
    });
  }
}

/** The job's output, `<name>-anomalies`. One shard: anomalies come at most once per window. */
function anomaliesStream(name: string, args: AnalyticsArgs, parent: pulumi.Resource): aws.kinesis.Stream {
  return new aws.kinesis.Stream(
    `${name}-anomalies`,
    {
      name: args.anomaliesStreamName,
      streamModeDetails: { streamMode: "PROVISIONED" },
      shardCount: 1,
      retentionPeriod: 24,
      encryptionType: "KMS",
      kmsKeyId: "alias/aws/kinesis",
    },
    { parent },
  );
}

/** The application's log group `<name>-logs` and its stream `<name>-log-stream` ("application"). */
function applicationLog(
  name: string,
  args: AnalyticsArgs,
  parent: pulumi.Resource,
): { group: aws.cloudwatch.LogGroup; stream: aws.cloudwatch.LogStream } {
  const group = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: args.logGroupName, retentionInDays: args.logRetentionDays },
    { parent },
  );
  const stream = new aws.cloudwatch.LogStream(`${name}-log-stream`, { name: "application", logGroupName: group.name }, { parent });
  return { group, stream };
}

/**
 * The application's role `<name>-role` and its policy: read the ingest stream (polling, no
 * enhanced fan-out), write the anomalies stream, read the JAR object, write the log.
 */
function applicationRole(
  name: string,
  args: AnalyticsArgs,
  parent: pulumi.Resource,
  own: { anomaliesStreamArn: pulumi.Input<string>; objectArn: pulumi.Input<string>; logGroupArn: pulumi.Output<string> },
): ReturnType<typeof scopedRole> {
  return scopedRole(
    `${name}-role`,
    {
      roleName: args.roleName,
      description: "Managed Flink: read this team's clicks stream, write its anomalies stream, read its JAR, write its logs.",
      trust: serviceTrust("kinesisanalytics.amazonaws.com", args.accountId),
      statements: [
        // The polling consumer (no enhanced fan-out): list and read shards.
        {
          Sid: "ReadClicks",
          Effect: "Allow",
          Action: [...KINESIS_POLLING_READ],
          Resource: [args.ingestStreamArn],
        },
        {
          Sid: "WriteAnomalies",
          Effect: "Allow",
          Action: ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"],
          Resource: [own.anomaliesStreamArn],
        },
        { Sid: "ReadCode", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [own.objectArn] },
        {
          Sid: "WriteLogs",
          Effect: "Allow",
          Action: ["logs:DescribeLogStreams", "logs:PutLogEvents"],
          Resource: [own.logGroupArn, pulumi.interpolate`${own.logGroupArn}:log-stream:*`],
        },
        // The service checks the group exists before it logs; scoped to this account and region.
        {
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: ["logs:DescribeLogGroups"],
          Resource: [pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:log-group:*`],
        },
      ],
    },
    parent,
  );
}

/**
 * The Managed Flink application `<name>-app`: the JAR, the property groups of propertyGroups(),
 * one KPU, checkpoints and snapshots on, RUN_CONFIGURATION; created once `policy` exists.
 */
function flinkApplication(
  name: string,
  args: AnalyticsArgs,
  parent: pulumi.Resource,
  own: {
    roleArn: pulumi.Input<string>;
    policy: pulumi.Resource;
    codeBucketArn: pulumi.Input<string>;
    fileKey: pulumi.Input<string>;
    logStreamArn: pulumi.Input<string>;
  },
): aws.kinesisanalyticsv2.Application {
  return new aws.kinesisanalyticsv2.Application(
    `${name}-app`,
    {
      name: args.applicationName,
      description: "Clickstream anomaly lab: the 2020 KDA SQL, in Flink SQL, with RANDOM_CUT_FOREST",
      runtimeEnvironment: FLINK_RUNTIME,
      serviceExecutionRole: own.roleArn,
      startApplication: true,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: "ZIPFILE",
          codeContent: { s3ContentLocation: { bucketArn: own.codeBucketArn, fileKey: own.fileKey } },
        },
        environmentProperties: {
          propertyGroups: pulumi.output(args.ingestStreamName).apply((ingestStreamName) =>
            propertyGroups({
              ingestStreamName,
              anomaliesStreamName: args.anomaliesStreamName,
              region: args.region,
              anomalyThreshold: args.anomalyThreshold,
            }),
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
        // Every update and start restores the latest snapshot and skips state no operator claims
        // (restorePolicy.ts says why, and what each kind of change costs).
        runConfiguration: RUN_CONFIGURATION,
      },
      cloudwatchLoggingOptions: { logStreamArn: own.logStreamArn },
    },
    { parent, dependsOn: [own.policy] },
  );
}
