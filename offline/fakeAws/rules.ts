// What AWS checks when each of our resource types is created: names, allowed values, property
// combinations, and references to resources that must already exist. The mock cloud runs these
// on every registration, so a resource AWS would reject fails the test (or the plan) that made it.
// Every rule cites the AWS page it comes from. A type without rules here cannot be created at all.

import { passwordProblems, type PasswordPolicy } from "../../components/passwordPolicy";
import { asList, policyProblems, statementsOf, type PolicyJson } from "./policyGrammar";

/** What a rule may ask of the rest of the mock account. */
export interface CloudView {
  readonly accountId: string;
  /** The state of an existing resource of that type with that id, ARN or name. */
  find(type: string, key: string): Record<string, unknown> | undefined;
}

export interface RuleContext {
  readonly region: string;
  readonly cloud: CloudView;
}

// Inputs arrive as JSON-like data; rules read them loosely and check everything they read.
 
type Inputs = Record<string, any>;
export type Rule = (inputs: Inputs, ctx: RuleContext) => string[];

// ---------------------------------------------------------------------------------------------
// Names. Exported one by one: the naming test checks every team's names with these same rules.

export type NameRule = (name: string) => string[];

function nameRule(label: string, min: number, max: number, pattern: RegExp, extra?: NameRule): NameRule {
  return (name) => {
    const p: string[] = [];
    if (typeof name !== "string") return [`${label} name is missing`];
    if (name.length < min || name.length > max) p.push(`${label} name "${name}" is ${name.length} characters; AWS allows ${min} to ${max}`);
    if (!pattern.test(name)) p.push(`${label} name "${name}" has characters AWS does not allow (${pattern.source})`);
    return extra ? [...p, ...extra(name)] : p;
  };
}

export const NAMES = {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets)
  s3Bucket: nameRule("S3 bucket", 3, 63, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, (n) => {
    const p: string[] = [];
    if (n.includes("..")) p.push(`S3 bucket name "${n}" has two adjacent periods`);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) p.push(`S3 bucket name "${n}" is formatted as an IP address`);
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n)) p.push(`S3 bucket name "${n}" starts with a reserved prefix`);
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n)) p.push(`S3 bucket name "${n}" ends with a reserved suffix`);
    return p;
  }),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
  iamRole: nameRule("IAM role", 1, 64, /^[\w+=,.@-]+$/),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName)
  iamPolicy: nameRule("IAM policy", 1, 128, /^[\w+=,.@-]+$/),
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html (StreamName)
  kinesisStream: nameRule("Kinesis stream", 1, 128, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html (DeliveryStreamName)
  firehose: nameRule("Firehose stream", 1, 64, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html (PoolName)
  userPool: nameRule("Cognito user pool", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html (ClientName)
  userPoolClient: nameRule("Cognito app client", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html (Username)
  cognitoUser: nameRule("Cognito user", 1, 128, /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u),
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html (IdentityPoolName)
  identityPool: nameRule("Cognito identity pool", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)
  snsTopic: nameRule("SNS topic", 1, 256, /^[A-Za-z0-9_-]+(\.fifo)?$/),
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)
  logGroup: nameRule("log group", 1, 512, /^[.\-_/#A-Za-z0-9]+$/),
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html (logStreamName)
  logStream: nameRule("log stream", 1, 512, /^[^:*]+$/),
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html (ApplicationName)
  flinkApplication: nameRule("Managed Flink application", 1, 128, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName, as a name)
  lambdaFunction: nameRule("Lambda function", 1, 64, /^[a-zA-Z0-9_-]+$/),
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName)
  sqsQueue: nameRule("SQS queue", 1, 80, /^[a-zA-Z0-9_-]+(\.fifo)?$/),
  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name)
  schedule: nameRule("Scheduler schedule", 1, 64, /^[0-9a-zA-Z_.-]+$/),
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)
  dashboard: nameRule("CloudWatch dashboard", 1, 255, /^[A-Za-z0-9_-]+$/),
} satisfies Record<string, NameRule>;

// ---------------------------------------------------------------------------------------------
// Small helpers.

function oneOf(label: string, value: unknown, allowed: readonly unknown[], required = false): string[] {
  if (value === undefined || value === null) return required ? [`${label} is required (one of ${allowed.join(", ")})`] : [];
  return allowed.includes(value) ? [] : [`${label} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`];
}

function within(label: string, value: unknown, min: number, max: number): string[] {
  if (value === undefined || value === null) return [];
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${label} ${JSON.stringify(value)} is outside ${min}..${max}`];
}

function exists(ctx: RuleContext, type: string, key: unknown, label: string): string[] {
  if (typeof key !== "string" || key === "") return [`${label} is missing`];
  return ctx.cloud.find(type, key) ? [] : [`${label} ${key} does not exist in this account and region`];
}

/** AWS tag rules: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html */
export function tagProblems(tags: unknown): string[] {
  if (tags === undefined || tags === null) return [];
  const p: string[] = [];
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50) p.push(`${entries.length} tags; AWS allows 50 per resource`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128) p.push(`tag key "${k}" must be 1-128 characters`);
    if (k.toLowerCase().startsWith("aws:")) p.push(`tag key "${k}" uses the reserved aws: prefix`);
    if (typeof v !== "string" || v.length > 256) p.push(`tag "${k}" value must be a string of at most 256 characters`);
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(k) || (typeof v === "string" && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(v))) {
      p.push(`tag "${k}" has characters AWS does not allow in tags`);
    }
  }
  return p;
}

// Written again on purpose, not imported from infra/config.ts: the mock stands for AWS, and a
// shared constant would let a mistake in our validator pass its own check.
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
const RETENTION = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

// ---------------------------------------------------------------------------------------------
// Firehose prefixes: https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html

function prefixProblems(prefix: string | undefined, errorPrefix: string | undefined, dynamicPartitioning: boolean): string[] {
  const p: string[] = [];
  const expressions = (s: string | undefined) => [...(s ?? "").matchAll(/!\{([^}]*)\}/g)].map((m) => m[1] ?? "");
  for (const [label, value] of [["prefix", prefix], ["errorOutputPrefix", errorPrefix]] as const) {
    if ((value ?? "").length > 1024) p.push(`Firehose ${label} is longer than 1024 characters`);
    for (const e of expressions(value)) {
      const [ns, val] = e.split(":", 2);
      if (!["firehose", "timestamp", "partitionKeyFromQuery", "partitionKeyFromLambda"].includes(ns ?? "") || !val) {
        p.push(`Firehose ${label} has an invalid expression !{${e}}`);
      }
      if (ns === "firehose" && !["error-output-type", "random-string"].includes(val ?? "")) p.push(`Firehose ${label}: unknown !{firehose:${val}}`);
      if (e === "firehose:error-output-type" && label === "prefix") p.push("Firehose prefix may not use !{firehose:error-output-type}");
      if (ns?.startsWith("partitionKeyFrom") && !dynamicPartitioning) p.push(`Firehose ${label} uses ${ns} without dynamic partitioning`);
    }
  }
  if (expressions(prefix).length > 0 && !errorPrefix) p.push("Firehose prefix has expressions, so errorOutputPrefix is required");
  return p;
}

// ---------------------------------------------------------------------------------------------
// The rules, by Pulumi type token.

// Scheduler's universal targets (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html):
// arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, the service as the AWS SDK names it (lower
// case, no hyphens: cognitoidentityprovider, not cognito-idp) and the action in camelCase; the
// input is the API's request, a JSON object. Read-only actions are refused, by these prefixes.
const UNIVERSAL_TARGET = /^arn:aws:scheduler:::aws-sdk:([^:]*):([^:]*)$/;
const READ_ONLY_PREFIXES = ["get", "describe", "list", "poll", "receive", "search", "scan", "query", "select", "read", "lookup", "discover", "validate", "batchGet", "batchDescribe", "batchRead", "transactGet", "adminGet", "adminList", "testMigration", "retrieve", "testConnection", "translateDocument", "isAuthorized", "invokeModel"];

function universalTargetProblems(arn: string, input: unknown): string[] {
  const m = UNIVERSAL_TARGET.exec(arn);
  if (!m) return [];
  const [, service, action] = m as unknown as [string, string, string];
  const p: string[] = [];
  if (!/^[a-z0-9]+$/.test(service)) p.push(`universal target service "${service}" must be the AWS SDK's service name in lower case without hyphens (e.g. cognitoidentityprovider)`);
  if (!/^[a-z][a-zA-Z0-9]*$/.test(action)) p.push(`universal target action "${action}" must be the API action in camelCase (e.g. adminDisableUser)`);
  const readOnly = READ_ONLY_PREFIXES.find((prefix) => action.startsWith(prefix));
  if (readOnly) p.push(`universal target action "${action}" is read-only (prefix ${readOnly}): Scheduler does not support it`);
  const request: unknown = typeof input === "string" ? parseMaybeJson(input) : undefined;
  if (input !== undefined && (typeof request !== "object" || request === null || Array.isArray(request))) p.push("a universal target's input must be the API request as a JSON object");
  return p;
}

export const RULES: Record<string, Rule> = {
  "pulumi:providers:aws": (i) => [
    ...(typeof i.region === "string" && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(i.region) ? [] : [`provider region ${JSON.stringify(i.region)} is not an AWS region`]),
    ...tagProblems(parseMaybeJson(i.defaultTags)?.tags),
  ],

  "pulumi:providers:random": () => [],

  "random:index/randomPassword:RandomPassword": (i) => {
    const mins = (i.minUpper ?? 0) + (i.minLower ?? 0) + (i.minNumeric ?? 0) + (i.minSpecial ?? 0);
    return typeof i.length === "number" && i.length >= Math.max(1, mins) ? [] : ["random password length is below the sum of its minimums"];
  },

  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html
  "aws:kinesis/stream:Stream": (i) => {
    const mode = i.streamModeDetails?.streamMode ?? "PROVISIONED";
    return [
      ...NAMES.kinesisStream(i.name),
      ...oneOf("streamMode", mode, ["PROVISIONED", "ON_DEMAND"]),
      ...(mode === "PROVISIONED" && !(Number.isInteger(i.shardCount) && i.shardCount >= 1) ? ["a PROVISIONED stream needs shardCount >= 1"] : []),
      ...(mode === "ON_DEMAND" && i.shardCount !== undefined ? ["an ON_DEMAND stream takes no shardCount"] : []),
      ...within("retentionPeriod (hours)", i.retentionPeriod, 24, 8760),
      ...oneOf("encryptionType", i.encryptionType, ["NONE", "KMS"]),
      ...(i.encryptionType === "KMS" && !i.kmsKeyId ? ["encryptionType KMS needs a kmsKeyId"] : []),
      ...(i.encryptionType !== "KMS" && i.kmsKeyId ? ["kmsKeyId is only valid with encryptionType KMS"] : []),
    ];
  },

  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
  // https://docs.aws.amazon.com/firehose/latest/dev/encryption.html (no SSE with a Kinesis stream source)
  // https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html (no compression with conversion)
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (i, ctx) => {
    const p = [
      ...NAMES.firehose(i.name),
      ...oneOf("destination", i.destination, ["extended_s3", "redshift", "elasticsearch", "opensearch", "opensearchserverless", "splunk", "http_endpoint", "snowflake", "iceberg"], true),
    ];
    const source = i.kinesisSourceConfiguration;
    if (source) {
      p.push(...exists(ctx, "aws:kinesis/stream:Stream", source.kinesisStreamArn, "kinesisSourceConfiguration.kinesisStreamArn"));
      p.push(...exists(ctx, "aws:iam/role:Role", source.roleArn, "kinesisSourceConfiguration.roleArn"));
      if (i.serverSideEncryption?.enabled) p.push("server-side encryption cannot be enabled on a Firehose stream whose source is a Kinesis stream");
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
      if (s3.dataFormatConversionConfiguration?.enabled !== false && s3.dataFormatConversionConfiguration && (s3.compressionFormat ?? "UNCOMPRESSED") !== "UNCOMPRESSED") {
        p.push("record format conversion needs compressionFormat UNCOMPRESSED");
      }
      const logging = s3.cloudwatchLoggingOptions;
      if (logging?.enabled && (!logging.logGroupName || !logging.logStreamName)) p.push("enabled CloudWatch logging needs logGroupName and logStreamName");
    }
    return p;
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
  "aws:s3/bucket:Bucket": (i) => [
    ...(i.bucket === undefined ? ["bucket names are set explicitly in this project (see naming.ts)"] : NAMES.s3Bucket(i.bucket)),
    ...oneOf("bucketNamespace", i.bucketNamespace, ["global", "account-regional"]),
    ...tagProblems(i.tags),
  ],
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (i, ctx) => exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"),
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (i, ctx) => [
    ...exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"),
    ...(asList(i.rules).length === 1 ? [] : ["exactly one server-side encryption rule is allowed"]),
    ...asList(i.rules).flatMap((r: Inputs) => {
      const d = r.applyServerSideEncryptionByDefault ?? {};
      return [
        ...oneOf("sseAlgorithm", d.sseAlgorithm, ["AES256", "aws:kms", "aws:kms:dsse"], true),
        ...(d.kmsMasterKeyId && d.sseAlgorithm === "AES256" ? ["kmsMasterKeyId is only valid with aws:kms"] : []),
      ];
    }),
  ],
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i, ctx) => {
    const rules = asList(i.rules) as Inputs[];
    const ids = rules.map((r) => r.id);
    return [
      ...exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"),
      ...(rules.length >= 1 && rules.length <= 1000 ? [] : ["a lifecycle configuration has 1 to 1000 rules"]),
      ...(new Set(ids).size === ids.length ? [] : ["lifecycle rule ids must be unique"]),
      ...rules.flatMap((r) => [
        ...(typeof r.id === "string" && r.id.length <= 255 ? [] : ["lifecycle rule id is at most 255 characters"]),
        ...oneOf("lifecycle rule status", r.status, ["Enabled", "Disabled"], true),
        ...(r.expiration?.days !== undefined && !(Number.isInteger(r.expiration.days) && r.expiration.days > 0) ? ["expiration days must be a positive whole number"] : []),
        ...(r.abortIncompleteMultipartUpload && (r.filter?.tag || r.filter?.and?.tags) ? ["abortIncompleteMultipartUpload cannot be used with a tag filter"] : []),
        ...(r.filter === undefined && r.prefix === undefined ? ["a lifecycle rule needs a filter (or prefix)"] : []),
      ]),
    ];
  },
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html (20 KB; resources in the bucket)
  "aws:s3/bucketPolicy:BucketPolicy": (i, ctx) => {
    const p = [...exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"), ...policyProblems(i.policy, "resource", 20480)];
    if (p.length > 0 || typeof i.policy !== "string") return p;
    const arn = `arn:aws:s3:::${String(i.bucket)}`;
    for (const s of statementsOf(JSON.parse(i.policy) as PolicyJson)) {
      for (const r of asList(s.Resource)) {
        if (r !== arn && !r.startsWith(`${arn}/`)) p.push(`bucket policy names a resource outside the bucket: ${r} (Policy has invalid resource)`);
      }
    }
    return p;
  },

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (trust policy 2,048 characters)
  "aws:iam/role:Role": (i) => [
    ...NAMES.iamRole(i.name),
    ...policyProblems(i.assumeRolePolicy, "trust", 2048),
    ...within("maxSessionDuration", i.maxSessionDuration, 3600, 43200),
    ...(i.description !== undefined && (String(i.description).length > 1000 || !/^[\t\n\r\x20-\x7E\xA1-\xFF]*$/.test(String(i.description))) ? ["role description must be at most 1000 printable characters"] : []),
    ...tagProblems(i.tags),
  ],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (inline policies: 10,240 characters per role)
  "aws:iam/rolePolicy:RolePolicy": (i, ctx) => [
    ...NAMES.iamPolicy(i.name),
    ...exists(ctx, "aws:iam/role:Role", i.role, "role"),
    ...policyProblems(i.policy, "identity", 10240),
  ],

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (key: up to 1,024 bytes of UTF-8)
  "aws:s3/bucketObjectv2:BucketObjectv2": (i, ctx) => [
    ...exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"),
    ...(typeof i.key === "string" && i.key.length > 0 && Buffer.byteLength(i.key) <= 1024 ? [] : ["object key must be 1 to 1,024 bytes"]),
    ...(i.source === undefined && i.content === undefined ? ["an object needs a source or content"] : []),
  ],

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ParallelismConfiguration.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_PropertyGroup.html (ids 1-50, keys and values 1-2,048, 50 groups)
  // https://docs.aws.amazon.com/managed-flink/latest/java/flink-1-20.html; KDA SQL (SQL-1_0) takes no new applications since 2025-10-15
  "aws:kinesisanalyticsv2/application:Application": (i, ctx) => {
    const c = i.applicationConfiguration ?? {};
    const code = c.applicationCodeConfiguration ?? {};
    const s3 = code.codeContent?.s3ContentLocation;
    const flink = c.flinkApplicationConfiguration ?? {};
    const par = flink.parallelismConfiguration;
    const cp = flink.checkpointConfiguration;
    const mon = flink.monitoringConfiguration;
    const groups: any[] = c.environmentProperties?.propertyGroups ?? [];
    const restore = c.runConfiguration?.applicationRestoreConfiguration;
    const p = [
      ...NAMES.flinkApplication(i.name),
      ...oneOf("runtimeEnvironment", i.runtimeEnvironment, ["FLINK-1_6", "FLINK-1_8", "FLINK-1_11", "FLINK-1_13", "FLINK-1_15", "FLINK-1_18", "FLINK-1_19", "FLINK-1_20", "FLINK-2_2"], true),
      ...(typeof i.serviceExecutionRole === "string" && ctx.cloud.find("aws:iam/role:Role", i.serviceExecutionRole) ? [] : [`serviceExecutionRole ${String(i.serviceExecutionRole)} is not a role of this account`]),
      ...oneOf("codeContentType", code.codeContentType, ["ZIPFILE", "PLAINTEXT"], true),
      ...(code.codeContentType === "ZIPFILE" && !s3 ? ["a ZIPFILE application needs codeContent.s3ContentLocation"] : []),
      ...(s3 ? exists(ctx, "aws:s3/bucket:Bucket", s3.bucketArn, "code bucket") : []),
      ...(s3 && !ctx.cloud.find("aws:s3/bucketObjectv2:BucketObjectv2", `${String(s3.bucketArn)}/${String(s3.fileKey)}`) ? [`code object ${String(s3.fileKey)} does not exist in ${String(s3.bucketArn)}`] : []),
      ...oneOf("parallelismConfiguration.configurationType", par?.configurationType, ["DEFAULT", "CUSTOM"]),
      ...(par?.configurationType === "CUSTOM" ? [...within("parallelism", par.parallelism ?? 1, 1, 1000), ...within("parallelismPerKpu", par.parallelismPerKpu ?? 1, 1, 8)] : []),
      ...(par?.configurationType === "DEFAULT" && (par.parallelism !== undefined || par.parallelismPerKpu !== undefined || par.autoScalingEnabled !== undefined) ? ["parallelism settings need configurationType CUSTOM"] : []),
      ...oneOf("checkpointConfiguration.configurationType", cp?.configurationType, ["DEFAULT", "CUSTOM"]),
      ...(cp?.configurationType === "DEFAULT" && (cp.checkpointInterval !== undefined || cp.checkpointingEnabled !== undefined || cp.minPauseBetweenCheckpoints !== undefined) ? ["checkpoint settings need configurationType CUSTOM"] : []),
      ...oneOf("monitoringConfiguration.configurationType", mon?.configurationType, ["DEFAULT", "CUSTOM"]),
      ...oneOf("logLevel", mon?.logLevel, ["INFO", "WARN", "ERROR", "DEBUG"]),
      ...oneOf("metricsLevel", mon?.metricsLevel, ["APPLICATION", "TASK", "OPERATOR", "PARALLELISM"]),
      ...oneOf("applicationRestoreType", restore?.applicationRestoreType, ["SKIP_RESTORE_FROM_SNAPSHOT", "RESTORE_FROM_LATEST_SNAPSHOT", "RESTORE_FROM_CUSTOM_SNAPSHOT"]),
      ...(restore?.applicationRestoreType === "RESTORE_FROM_CUSTOM_SNAPSHOT" && !restore.snapshotName ? ["RESTORE_FROM_CUSTOM_SNAPSHOT needs a snapshotName"] : []),
      ...(groups.length > 50 ? [`${groups.length} property groups; at most 50`] : []),
      ...tagProblems(i.tags),
    ];
    for (const g of groups) {
      if (!/^[a-zA-Z0-9_.-]{1,50}$/.test(String(g.propertyGroupId))) p.push(`property group id ${JSON.stringify(g.propertyGroupId)} must be 1-50 of [a-zA-Z0-9_.-]`);
      for (const [k, v] of Object.entries((g.propertyMap ?? {}) as Record<string, unknown>)) {
        if (k.length < 1 || k.length > 2048) p.push(`property key ${JSON.stringify(k)} must be 1-2,048 characters`);
        if (typeof v !== "string" || v.length < 1 || v.length > 2048) p.push(`property ${String(g.propertyGroupId)}.${k} must be a string of 1-2,048 characters, not ${JSON.stringify(v)}`);
      }
    }
    const stream = i.cloudwatchLoggingOptions?.logStreamArn;
    if (stream !== undefined && !ctx.cloud.find("aws:cloudwatch/logStream:LogStream", String(stream))) p.push(`logStreamArn ${String(stream)} does not exist`);
    return p;
  },

  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (reserved keys; 4 KB in all)
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
  "aws:lambda/function:Function": (i, ctx) => {
    const env = (i.environment?.variables ?? {}) as Record<string, unknown>;
    const reserved = ["_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"];
    const archs: unknown[] = i.architectures ?? ["x86_64"];
    return [
      ...NAMES.lambdaFunction(i.name),
      ...oneOf("runtime", i.runtime, ["nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "java21"], true),
      ...(archs.length === 1 ? oneOf("architecture", archs[0], ["x86_64", "arm64"]) : ["exactly one architecture"]),
      ...within("memorySize (MB)", i.memorySize, 128, 10240),
      ...within("timeout (s)", i.timeout, 1, 900),
      ...(typeof i.role === "string" && ctx.cloud.find("aws:iam/role:Role", i.role) ? [] : [`role ${String(i.role)} is not a role of this account`]),
      ...(typeof i.handler === "string" && /^[^\s]{1,128}$/.test(i.handler) ? [] : ["handler must be 1-128 characters without spaces"]),
      ...Object.keys(env).flatMap((k) => [
        ...(/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(k) ? [] : [`environment variable name ${k} is not allowed`]),
        ...(reserved.includes(k) ? [`environment variable ${k} is reserved by Lambda`] : []),
      ]),
      ...(JSON.stringify(env).length > 4096 ? ["environment variables exceed 4 KB"] : []),
      ...(i.loggingConfig?.logGroup !== undefined ? exists(ctx, "aws:cloudwatch/logGroup:LogGroup", i.loggingConfig.logGroup, "loggingConfig.logGroup") : []),
      ...oneOf("loggingConfig.logFormat", i.loggingConfig?.logFormat, ["Text", "JSON"]),
      ...tagProblems(i.tags),
    ];
  },

  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
  // https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (Kinesis: starting position required; bisect, retries, record age, on-failure destination)
  "aws:lambda/eventSourceMapping:EventSourceMapping": (i, ctx) => {
    const kinesis = typeof i.eventSourceArn === "string" && i.eventSourceArn.startsWith("arn:aws:kinesis:");
    const onFailure = i.destinationConfig?.onFailure?.destinationArn;
    return [
      ...(typeof i.functionName === "string" && ctx.cloud.find("aws:lambda/function:Function", i.functionName) ? [] : [`function ${String(i.functionName)} does not exist`]),
      ...(kinesis && !ctx.cloud.find("aws:kinesis/stream:Stream", i.eventSourceArn) ? [`event source ${String(i.eventSourceArn)} does not exist`] : []),
      ...(kinesis ? oneOf("startingPosition", i.startingPosition, ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], true) : []),
      ...within("batchSize", i.batchSize, 1, 10000),
      ...within("maximumBatchingWindowInSeconds", i.maximumBatchingWindowInSeconds, 0, 300),
      ...within("maximumRetryAttempts", i.maximumRetryAttempts, -1, 10000),
      ...(i.maximumRecordAgeInSeconds !== undefined && i.maximumRecordAgeInSeconds !== -1 && !(i.maximumRecordAgeInSeconds >= 60 && i.maximumRecordAgeInSeconds <= 604800) ? ["maximumRecordAgeInSeconds must be -1 or 60..604800"] : []),
      ...within("parallelizationFactor", i.parallelizationFactor, 1, 10),
      ...((i.functionResponseTypes ?? []) as unknown[]).flatMap((t) => oneOf("functionResponseTypes", t, ["ReportBatchItemFailures"])),
      ...(onFailure !== undefined && !ctx.cloud.find("aws:sqs/queue:Queue", String(onFailure)) && !ctx.cloud.find("aws:sns/topic:Topic", String(onFailure)) ? [`on-failure destination ${String(onFailure)} is not a queue or topic of this account`] : []),
    ];
  },

  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
  "aws:sqs/queue:Queue": (i) => [
    ...NAMES.sqsQueue(i.name),
    ...within("messageRetentionSeconds", i.messageRetentionSeconds, 60, 1209600),
    ...within("visibilityTimeoutSeconds", i.visibilityTimeoutSeconds, 0, 43200),
    ...(i.sqsManagedSseEnabled === true && i.kmsMasterKeyId ? ["SQS-managed SSE and a KMS key are exclusive"] : []),
    ...tagProblems(i.tags),
  ],

  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (at(yyyy-mm-ddThh:mm:ss), rate(), cron())
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html (arn:aws:scheduler:::aws-sdk:<service>:<apiAction>)
  "aws:scheduler/schedule:Schedule": (i, ctx) => {
    const expr = String(i.scheduleExpression ?? "");
    const win = i.flexibleTimeWindow ?? {};
    const target = i.target ?? {};
    const p = [
      ...NAMES.schedule(i.name),
      ...(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expr) || /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/.test(expr) || /^cron\(.+\)$/.test(expr) ? [] : [`scheduleExpression ${JSON.stringify(expr)} is not at(yyyy-mm-ddThh:mm:ss), rate() or cron()`]),
      ...oneOf("flexibleTimeWindow.mode", win.mode, ["OFF", "FLEXIBLE"], true),
      ...(win.mode === "FLEXIBLE" ? within("maximumWindowInMinutes", win.maximumWindowInMinutes ?? 0, 1, 1440) : []),
      ...(win.mode === "OFF" && win.maximumWindowInMinutes !== undefined ? ["maximumWindowInMinutes needs mode FLEXIBLE"] : []),
      ...oneOf("actionAfterCompletion", i.actionAfterCompletion, ["NONE", "DELETE"]),
      ...(typeof target.roleArn === "string" && ctx.cloud.find("aws:iam/role:Role", target.roleArn) ? [] : [`target roleArn ${String(target.roleArn)} is not a role of this account`]),
      ...(typeof target.arn === "string" && /^arn:aws:(scheduler:::aws-sdk:[a-z0-9]+:[a-zA-Z]+|[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+)$/.test(target.arn) ? [] : [`target arn ${String(target.arn)} is neither a universal target nor a resource ARN`]),
      ...universalTargetProblems(String(target.arn), target.input),
    ];
    if (target.input !== undefined) {
      try {
        JSON.parse(String(target.input));
      } catch {
        p.push("target input must be JSON");
      }
    }
    return p;
  },

  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
  "aws:cloudwatch/logGroup:LogGroup": (i) => [
    ...NAMES.logGroup(i.name),
    ...oneOf("retentionInDays", i.retentionInDays, RETENTION),
    ...oneOf("logGroupClass", i.logGroupClass, ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"]),
    ...tagProblems(i.tags),
  ],
  "aws:cloudwatch/logStream:LogStream": (i, ctx) => [
    ...NAMES.logStream(i.name),
    ...exists(ctx, "aws:cloudwatch/logGroup:LogGroup", i.logGroupName, "logGroupName"),
  ],

  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html
  "aws:cognito/userPool:UserPool": (i) => {
    const pw = i.passwordPolicy ?? {};
    const recovery = asList(i.accountRecoverySetting?.recoveryMechanisms) as Inputs[];
    return [
      ...NAMES.userPool(i.name),
      ...within("passwordPolicy.minimumLength", pw.minimumLength, 6, 99),
      ...within("passwordPolicy.temporaryPasswordValidityDays", pw.temporaryPasswordValidityDays, 0, 365),
      ...oneOf("mfaConfiguration", i.mfaConfiguration, ["OFF", "ON", "OPTIONAL"]),
      ...oneOf("deletionProtection", i.deletionProtection, ["ACTIVE", "INACTIVE"]),
      ...recovery.flatMap((m) => [
        ...oneOf("recovery mechanism", m.name, ["verified_email", "verified_phone_number", "admin_only"], true),
        ...within("recovery priority", m.priority, 1, 2),
      ]),
      ...(recovery.length > 1 && recovery.some((m) => m.name === "admin_only") ? ["admin_only recovery cannot be combined with another mechanism"] : []),
      ...(i.mfaConfiguration === "ON" && !i.smsConfiguration && !i.softwareTokenMfaConfiguration?.enabled ? ["mfaConfiguration ON needs an SMS or software token configuration"] : []),
      ...tagProblems(i.tags),
    ];
  },
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html (ExplicitAuthFlows)
  "aws:cognito/userPoolClient:UserPoolClient": (i, ctx) => {
    const flows = asList(i.explicitAuthFlows) as string[];
    const modern = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"];
    const legacy = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
    return [
      ...NAMES.userPoolClient(i.name),
      ...exists(ctx, "aws:cognito/userPool:UserPool", i.userPoolId, "userPoolId"),
      ...flows.flatMap((f) => oneOf("explicitAuthFlows value", f, [...modern, ...legacy])),
      ...(flows.some((f) => legacy.includes(f)) && flows.some((f) => modern.includes(f)) ? ["explicitAuthFlows cannot mix legacy values with ALLOW_ values"] : []),
      ...oneOf("preventUserExistenceErrors", i.preventUserExistenceErrors, ["LEGACY", "ENABLED"]),
    ];
  },
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
  // (the password must satisfy the pool's policy: InvalidPasswordException)
  "aws:cognito/user:User": (i, ctx) => {
    const pool = typeof i.userPoolId === "string" ? ctx.cloud.find("aws:cognito/userPool:UserPool", i.userPoolId) : undefined;
    const p = [...NAMES.cognitoUser(i.username), ...exists(ctx, "aws:cognito/userPool:UserPool", i.userPoolId, "userPoolId")];
    p.push(...oneOf("messageAction", i.messageAction, ["RESEND", "SUPPRESS"]));
    if (i.password !== undefined && i.temporaryPassword !== undefined) p.push("password and temporaryPassword cannot both be set");
    const policy = (pool?.passwordPolicy ?? {}) as Partial<PasswordPolicy>;
    const full: PasswordPolicy = {
      // Cognito's defaults when a pool names no policy.
      minimumLength: policy.minimumLength ?? 8,
      requireLowercase: policy.requireLowercase ?? true,
      requireUppercase: policy.requireUppercase ?? true,
      requireNumbers: policy.requireNumbers ?? true,
      requireSymbols: policy.requireSymbols ?? true,
    };
    for (const key of ["password", "temporaryPassword"] as const) {
      if (typeof i[key] === "string") p.push(...passwordProblems(i[key], full).map((w) => `${key} ${w} (InvalidPasswordException)`));
    }
    return p;
  },
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html
  "aws:cognito/identityPool:IdentityPool": (i, ctx) => {
    const p = [...NAMES.identityPool(i.identityPoolName), ...tagProblems(i.tags)];
    for (const idp of asList(i.cognitoIdentityProviders) as Inputs[]) {
      const m = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/.exec(String(idp.providerName));
      if (!m) {
        p.push(`identity provider name ${JSON.stringify(idp.providerName)} is not cognito-idp.<region>.amazonaws.com/<user pool id>`);
        continue;
      }
      const pool = ctx.cloud.find("aws:cognito/userPool:UserPool", m[2] ?? "");
      if (!pool) p.push(`identity provider names user pool ${m[2]}, which does not exist`);
      const client = ctx.cloud.find("aws:cognito/userPoolClient:UserPoolClient", String(idp.clientId));
      if (!client) p.push(`identity provider client ${idp.clientId} does not exist`);
      else if (client.userPoolId !== m[2]) p.push(`app client ${idp.clientId} belongs to another user pool`);
    }
    return p;
  },
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": (i, ctx) => [
    ...exists(ctx, "aws:cognito/identityPool:IdentityPool", i.identityPoolId, "identityPoolId"),
    ...Object.keys(i.roles ?? {}).flatMap((k) => oneOf("roles key", k, ["authenticated", "unauthenticated"])),
    ...Object.values((i.roles ?? {}) as Record<string, unknown>).flatMap((arn) => exists(ctx, "aws:iam/role:Role", arn, "role")),
  ],

  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name; DisplayName up to 100 characters)
  "aws:sns/topic:Topic": (i) => [
    ...NAMES.snsTopic(i.name),
    ...((i.fifoTopic === true) !== String(i.name).endsWith(".fifo") ? ["a FIFO topic's name, and only its name, ends in .fifo"] : []),
    ...(i.displayName !== undefined && String(i.displayName).length > 100 ? ["displayName is at most 100 characters"] : []),
    ...(i.contentBasedDeduplication && !i.fifoTopic ? ["contentBasedDeduplication needs a FIFO topic"] : []),
    ...tagProblems(i.tags),
  ],
  // https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (Protocol and Endpoint)
  "aws:sns/topicSubscription:TopicSubscription": (i, ctx) => {
    const p = [
      ...exists(ctx, "aws:sns/topic:Topic", i.topic, "topic"),
      ...oneOf("protocol", i.protocol, ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"], true),
    ];
    const endpoint = String(i.endpoint ?? "");
    if ((i.protocol === "email" || i.protocol === "email-json") && !EMAIL.test(endpoint)) p.push(`email endpoint ${JSON.stringify(endpoint)} is not an e-mail address`);
    if (i.protocol === "sms" && !E164.test(endpoint)) p.push(`sms endpoint ${JSON.stringify(endpoint)} is not an E.164 number`);
    if (["sqs", "lambda", "firehose", "application"].includes(i.protocol) && !endpoint.startsWith("arn:")) p.push(`${i.protocol} endpoint must be an ARN`);
    if (i.protocol === "firehose" && !i.subscriptionRoleArn) p.push("a firehose subscription needs subscriptionRoleArn");
    if (i.rawMessageDelivery && !["sqs", "http", "https", "firehose"].includes(i.protocol)) p.push(`rawMessageDelivery is not available for ${i.protocol}`);
    return p;
  },

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName,
  // DashboardBody) and its body syntax,
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html;
  // sizes from "CloudWatch service quotas" (500 widgets per dashboard, 500 metrics per widget,
  // 2,500 metrics per dashboard), https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
  "aws:cloudwatch/dashboard:Dashboard": (i) => [...NAMES.dashboard(i.dashboardName), ...dashboardBodyProblems(i.dashboardBody)],
};

/** PutDashboard's checks of DashboardBody: JSON with a widgets array, each widget placed on the 24-column grid. */
export function dashboardBodyProblems(body: unknown): string[] {
  if (typeof body !== "string") return ["dashboardBody is missing (a JSON string)"];
  let parsed: Inputs;
  try {
    parsed = JSON.parse(body) as Inputs;
  } catch (e) {
    return [`dashboardBody is not valid JSON: ${(e as Error).message}`];
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.widgets)) return ["dashboardBody has no widgets array"];
  const widgets = parsed.widgets as Inputs[];
  const p: string[] = [];
  if (widgets.length > 500) p.push(`dashboardBody has ${widgets.length} widgets; a dashboard holds at most 500`);
  let metrics = 0;
  widgets.forEach((w, n) => {
    const at = `widget ${n}`;
    if (!w || typeof w !== "object") return void p.push(`${at} is not an object`);
    p.push(...oneOf(`${at} type`, w.type, ["metric", "text", "log", "alarm", "explorer", "custom"], true));
    p.push(...within(`${at} x`, w.x, 0, 23), ...within(`${at} width`, w.width, 1, 24), ...within(`${at} height`, w.height, 1, 1000));
    if (w.y !== undefined && !(Number.isInteger(w.y) && w.y >= 0)) p.push(`${at} y ${JSON.stringify(w.y)} is not a whole number of at least 0`);
    if (Number.isInteger(w.x) && Number.isInteger(w.width) && w.x + w.width > 24) p.push(`${at} ends at column ${w.x + w.width}, past the grid's 24`);
    const props = w.properties as Inputs | undefined;
    if (!props || typeof props !== "object") return void p.push(`${at} has no properties`);
    if (w.type === "text" && typeof props.markdown !== "string") p.push(`${at} (text) needs properties.markdown`);
    if (w.type === "metric") {
      const list = props.metrics;
      if (!Array.isArray(list) || list.length === 0) return void p.push(`${at} (metric) needs a non-empty properties.metrics array`);
      if (list.length > 500) p.push(`${at} has ${list.length} metrics; a widget holds at most 500`);
      metrics += list.length;
      if (typeof props.region !== "string") p.push(`${at} (metric) needs properties.region`);
      if (props.period !== undefined && !([1, 5, 10, 30].includes(props.period) || (Number.isInteger(props.period) && props.period % 60 === 0 && props.period > 0)))
        p.push(`${at} period ${JSON.stringify(props.period)} must be 1, 5, 10, 30 or a multiple of 60`);
      (list as unknown[]).forEach((m, k) => {
        if (!Array.isArray(m)) return void p.push(`${at} metric ${k} is not an array`);
        const names = m.filter((x) => typeof x === "string");
        const options = m.filter((x) => typeof x !== "string");
        const expression = options.length === 1 && typeof (options[0] as Inputs).expression === "string";
        if (options.length > 1 || options.some((o) => o === null || typeof o !== "object")) p.push(`${at} metric ${k}: at most one options object, after the names`);
        // [Namespace, MetricName, (DimensionName, DimensionValue)*], or an expression alone.
        if (!expression && (names.length < 2 || names.length % 2 !== 0)) p.push(`${at} metric ${k}: expected namespace, metric name and dimension name/value pairs, got ${JSON.stringify(names)}`);
      });
      const horizontal = (props.annotations as Inputs | undefined)?.horizontal;
      if (horizontal !== undefined && (!Array.isArray(horizontal) || horizontal.some((a: Inputs) => typeof a?.value !== "number")))
        p.push(`${at} annotations.horizontal must be an array of { value: number, ... }`);
    }
  });
  if (metrics > 2500) p.push(`dashboardBody has ${metrics} metrics; a dashboard holds at most 2,500`);
  return p;
}

function parseMaybeJson(v: unknown): Inputs | undefined {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as Inputs;
    } catch {
      return undefined;
    }
  }
  return v as Inputs | undefined;
}
