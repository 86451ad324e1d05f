// Analytics → alert: the Lambda from lambda/alert.ts on the anomalies stream. The event source
// mapping reports partial batch failures, bisects a failing batch, retries a bounded number of
// times, and sends what still fails to an SQS queue, so a bad record neither blocks the shard
// nor disappears. The processed bucket is here because this Lambda is its one writer (a CSV per
// anomaly, and its window ledger); the Archive component created it until Firehose was found
// never to write there, and an alias keeps a deployed stack's bucket (see AlertArgs).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERT_TIMEOUT_SECONDS, LEDGER_PREFIX, PROCESSED_PREFIX } from "../lambda/alert";
import { bundleAlert } from "../lambda/bundle";
import { labWindowSeconds } from "./analytics";
import { componentType, withFormerTypes } from "./componentType";
import { KINESIS_POLLING_READ, scopedRole, serviceTrust } from "./iam";
import { SecureBucket } from "./secureBucket";

/** The newest Node.js runtime @pulumi/aws 7 offers (aws.lambda.Runtime). */
export const ALERT_RUNTIME = aws.lambda.Runtime.NodeJS24dX;
/** Retries of a failing batch before it goes to the failed queue (Kinesis mappings allow -1 to 10,000). */
export const ALERT_RETRIES = 3;
/** Seconds; also the longest a claim in the alert's window ledger can be held, so its one home is lambda/ledger.ts. */
export { ALERT_TIMEOUT_SECONDS };

/** How Lambda feeds the function; test/lambda replays these rules against moto. */
export const ALERT_MAPPING = {
  batchSize: 10,
  maximumBatchingWindowInSeconds: 1,
  functionResponseTypes: ["ReportBatchItemFailures"],
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: ALERT_RETRIES,
  maximumRecordAgeInSeconds: 3600,
} as const;

export interface AlertArgs {
  /** The 12-digit AWS account ID: the function's role trusts Lambda only on behalf of this account. */
  readonly accountId: pulumi.Input<string>;
  /** Physical function name: 1-64 characters of letters, digits, `_` and `-`. */
  readonly functionName: string;
  /** Physical name of the function's IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The function's log group (`/aws/lambda/<function>`, Lambda's default, so the console finds it). */
  readonly logGroupName: string;
  /** Physical name of the queue that keeps batches still failing after ALERT_RETRIES: 1-80 characters. */
  readonly failedQueueName: string;
  /** Days CloudWatch keeps the function's log: one of CloudWatch's allowed values (config logRetentionDays). */
  readonly logRetentionDays: number;
  /** ARN of the anomalies stream the event source mapping reads (Analytics.anomaliesStreamArn). */
  readonly anomaliesStreamArn: pulumi.Input<string>;
  /** ARN of the topic the function publishes each anomaly to (Notifications.topicArn). */
  readonly topicArn: pulumi.Input<string>;
  /** Physical name of the processed bucket (see SecureBucketArgs.bucketName). */
  readonly processedBucketName: pulumi.Input<string>;
  /** Whole days after which processed objects (CSVs, ledger entries) expire (config bucketExpirationDays, 1-14). */
  readonly expirationDays: number;
  /**
   * Former URNs of the processed bucket's SecureBucket (Pulumi aliases; its children follow it),
   * so that a stack deployed when another component created it keeps the bucket and its objects.
   * infra/teamStack.ts passes the URN the Archive component gave it.
   */
  readonly processedBucketAliases?: pulumi.Input<pulumi.URN>[];
}

/**
 * The lab's output: the alert Lambda (lambda/alert.ts bundled for ALERT_RUNTIME on arm64, 128 MB,
 * ALERT_TIMEOUT_SECONDS s) fed by an event source mapping on the anomalies stream (ALERT_MAPPING,
 * failures to an SQS queue); the processed bucket it writes (a SecureBucket whose objects
 * expire); its log group; and its role, which may read only that stream, publish only to that
 * topic, write only its prefixes of that bucket, and send only to that queue.
 *
 * Children: `<name>-processed` (SecureBucket), `<name>-logs`, `<name>-failed`, `<name>-role` and
 * its `-policy`, `<name>-function`, `<name>-trigger`.
 */
export class Alert extends pulumi.ComponentResource {
  /** The alert function. */
  public readonly function: aws.lambda.Function;
  /** Where batches that still fail after ALERT_RETRIES are kept, 4 days, SQS-managed encryption. */
  public readonly failedQueue: aws.sqs.Queue;
  /** The function's name, as given in `functionName`. */
  public readonly functionName: pulumi.Output<string>;
  /** The processed bucket: a CSV per anomaly under `weblogs/processed/YYYY/MM/DD/`, and the window ledger. */
  public readonly processedBucket: SecureBucket;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args names, what the function reads and writes, and how long its data is kept.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: AlertArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Alert"), name, {}, withFormerTypes(opts, "clickstream:lab:Alert"));

    this.processedBucket = new SecureBucket(
      `${name}-processed`,
      { bucketName: args.processedBucketName, expirationDays: args.expirationDays },
      { parent: this, ...(args.processedBucketAliases ? { aliases: args.processedBucketAliases } : {}) },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.failedQueue = new aws.sqs.Queue(
      `${name}-failed`,
      { name: args.failedQueueName, messageRetentionSeconds: 4 * 24 * 3600, sqsManagedSseEnabled: true },
      { parent: this },
    );
    const { role, policy } = alertRole(name, args, this, {
      processedBucketArn: this.processedBucket.arn,
      failedQueueArn: this.failedQueue.arn,
      logGroupArn: logGroup.arn,
    });
    this.function = alertFunction(name, args, this, {
      roleArn: role.arn,
      processedBucketName: this.processedBucket.name,
      logGroup,
      policy,
    });
    new aws.lambda.EventSourceMapping(
      `${name}-trigger`,
      {
        eventSourceArn: args.anomaliesStreamArn,
        functionName: this.function.arn,
        // The stream is created with the stack: nothing in it predates the mapping.
        startingPosition: "TRIM_HORIZON",
        ...ALERT_MAPPING,
        functionResponseTypes: [...ALERT_MAPPING.functionResponseTypes],
        destinationConfig: { onFailure: { destinationArn: this.failedQueue.arn } },
      },
      { parent: this, dependsOn: [policy] },
    );

    this.functionName = this.function.name;
    this.registerOutputs({
      functionName: this.functionName,
      failedQueueUrl: this.failedQueue.url,
      processedBucket: this.processedBucket.name,
    });
  }
}

/**
 * The function's role `<name>-role` and its policy: read the anomalies stream (the event source
 * mapping), publish to the topic, write CSVs and the window ledger, keep failed batches, write its log.
 */
function alertRole(
  name: string,
  args: AlertArgs,
  parent: pulumi.Resource,
  own: { processedBucketArn: pulumi.Output<string>; failedQueueArn: pulumi.Input<string>; logGroupArn: pulumi.Output<string> },
): ReturnType<typeof scopedRole> {
  return scopedRole(
    `${name}-role`,
    {
      roleName: args.roleName,
      description: "Alert Lambda: read this team's anomalies stream, publish to its topic, write its processed bucket and logs.",
      trust: serviceTrust("lambda.amazonaws.com", args.accountId),
      statements: [
        // What the event source mapping does as this role (Lambda's Kinesis guide).
        {
          Sid: "ReadAnomalies",
          Effect: "Allow",
          Action: [...KINESIS_POLLING_READ],
          Resource: [args.anomaliesStreamArn],
        },
        { Sid: "Publish", Effect: "Allow", Action: ["sns:Publish"], Resource: [args.topicArn] },
        {
          Sid: "WriteProcessed",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: [pulumi.interpolate`${own.processedBucketArn}/${PROCESSED_PREFIX}*`],
        },
        // One entry per alerted window, written with If-None-Match / If-Match and read back
        // after a 412 (conditional writes need only s3:PutObject).
        {
          Sid: "WindowLedger",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: [pulumi.interpolate`${own.processedBucketArn}/${LEDGER_PREFIX}*`],
        },
        { Sid: "KeepFailed", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [own.failedQueueArn] },
        {
          Sid: "WriteLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [pulumi.interpolate`${own.logGroupArn}:log-stream:*`],
        },
      ],
    },
    parent,
  );
}

/** The function `<name>-function`: the bundled handler (lambda/), arm64, 128 MB; created once its policy and log group exist. */
function alertFunction(
  name: string,
  args: AlertArgs,
  parent: pulumi.Resource,
  own: {
    roleArn: pulumi.Input<string>;
    processedBucketName: pulumi.Input<string>;
    logGroup: aws.cloudwatch.LogGroup;
    policy: pulumi.Resource;
  },
): aws.lambda.Function {
  return new aws.lambda.Function(
    `${name}-function`,
    {
      name: args.functionName,
      description: "Clickstream anomaly lab: e-mail/SMS and a CSV per anomaly",
      runtime: ALERT_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleAlert()) }),
      role: own.roleArn,
      memorySize: 128,
      timeout: ALERT_TIMEOUT_SECONDS,
      environment: {
        variables: { TOPIC_ARN: args.topicArn, PROCESSED_BUCKET: own.processedBucketName, WINDOW_SECONDS: String(labWindowSeconds()) },
      },
      loggingConfig: { logFormat: "Text", logGroup: own.logGroup.name },
    },
    { parent, dependsOn: [own.policy, own.logGroup] },
  );
}
