// Analytics → alert: the Lambda from lambda/alert.ts on the anomalies stream. The event source
// mapping reports partial batch failures, bisects a failing batch, retries a bounded number of
// times, and sends what still fails to an SQS queue, so a bad record neither blocks the shard
// nor disappears.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LEDGER_PREFIX, PROCESSED_PREFIX } from "../lambda/alert";
import { bundleAlert } from "../lambda/bundle";
import { propertyContract } from "./analytics";
import { scopedRole, serviceTrust } from "./iam";

/** The newest Node.js runtime @pulumi/aws 7 offers (aws.lambda.Runtime). */
export const ALERT_RUNTIME = aws.lambda.Runtime.NodeJS24dX;
export const ALERT_RETRIES = 3;
/** Seconds; also the longest a claim in the alert's window ledger can be held (lambda/ledger.ts). */
export const ALERT_TIMEOUT_SECONDS = 10;

/** How Lambda feeds the function; test/lambda replays these rules against moto. */
export const ALERT_MAPPING = {
  batchSize: 10,
  maximumBatchingWindowInSeconds: 1,
  functionResponseTypes: ["ReportBatchItemFailures"],
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: ALERT_RETRIES,
  maximumRecordAgeInSeconds: 3600,
} as const;

/**
 * The Flink job's window length: the Analytics component passes the property contract's default
 * (no stack key sets it), and the handler refuses rows of any other length.
 */
export function windowSeconds(): string {
  const v = propertyContract().groups.Detection?.["window.seconds"]?.default;
  if (!v) throw new Error("analytics runtime-properties.json has no Detection/window.seconds default");
  return v;
}

export interface AlertArgs {
  readonly accountId: pulumi.Input<string>;
  readonly functionName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly failedQueueName: string;
  readonly logRetentionDays: number;
  readonly anomaliesStreamArn: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
  readonly processedBucketName: pulumi.Input<string>;
  readonly processedBucketArn: pulumi.Input<string>;
}

export class Alert extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly failedQueue: aws.sqs.Queue;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: AlertArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:lab:Alert", name, {}, opts);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: args.logGroupName, retentionInDays: args.logRetentionDays }, { parent: this });
    this.failedQueue = new aws.sqs.Queue(
      `${name}-failed`,
      { name: args.failedQueueName, messageRetentionSeconds: 4 * 24 * 3600, sqsManagedSseEnabled: true },
      { parent: this },
    );

    const { role, policy } = scopedRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: "Alert Lambda: read this team's anomalies stream, publish to its topic, write its processed bucket and logs.",
        trust: serviceTrust("lambda.amazonaws.com", args.accountId),
        statements: [
          // What the event source mapping does as this role (Lambda's Kinesis guide).
          { Sid: "ReadAnomalies", Effect: "Allow", Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"], Resource: [args.anomaliesStreamArn] },
          { Sid: "Publish", Effect: "Allow", Action: ["sns:Publish"], Resource: [args.topicArn] },
          { Sid: "WriteProcessed", Effect: "Allow", Action: ["s3:PutObject"], Resource: [pulumi.interpolate`${args.processedBucketArn}/${PROCESSED_PREFIX}*`] },
          // One entry per alerted window, written with If-None-Match / If-Match and read back
          // after a 412 (conditional writes need only s3:PutObject).
          { Sid: "WindowLedger", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [pulumi.interpolate`${args.processedBucketArn}/${LEDGER_PREFIX}*`] },
          { Sid: "KeepFailed", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [this.failedQueue.arn] },
          { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroup.arn}:log-stream:*`] },
        ],
      },
      this,
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: "Clickstream anomaly lab: e-mail/SMS and a CSV per anomaly",
        runtime: ALERT_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleAlert()) }),
        role: role.arn,
        memorySize: 128,
        timeout: ALERT_TIMEOUT_SECONDS,
        environment: { variables: { TOPIC_ARN: args.topicArn, PROCESSED_BUCKET: args.processedBucketName, WINDOW_SECONDS: windowSeconds() } },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      },
      { parent: this, dependsOn: [policy, logGroup] },
    );

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
    this.registerOutputs({ functionName: this.functionName, failedQueueUrl: this.failedQueue.url });
  }
}
