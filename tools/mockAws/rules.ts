// What AWS checks when each of our resource types is created: names, allowed values, property
// combinations, and references to resources that must already exist. The mock cloud runs these
// on every registration, so a resource AWS would reject fails the test (or the plan) that made it.
// Every rule cites the AWS page it comes from. A type without rules here cannot be created at all.

import { passwordProblems, type PasswordPolicy } from "../../infra/passwordPolicy";
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
};

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
