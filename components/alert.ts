// Analytics → alert: the Lambda from lambda/alert.ts on the anomalies stream. The event source
// mapping reports partial batch failures, bisects a failing batch, retries a bounded number of
// times, and sends what still fails to an SQS queue, so a bad record neither blocks the shard
// nor disappears.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROCESSED_PREFIX } from "../lambda/alert";
import { bundleAlert } from "../lambda/bundle";
import { scopedRole, serviceTrust } from "./iam";

/** The newest Node.js runtime @pulumi/aws 7 offers (aws.lambda.Runtime). */
export const ALERT_RUNTIME = aws.lambda.Runtime.NodeJS24dX;
export const ALERT_RETRIES = 3;

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
        timeout: 10,
        environment: { variables: { TOPIC_ARN: args.topicArn, PROCESSED_BUCKET: args.processedBucketName } },
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
        batchSize: 10,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: ALERT_RETRIES,
        maximumRecordAgeInSeconds: 3600,
        destinationConfig: { onFailure: { destinationArn: this.failedQueue.arn } },
      },
      { parent: this, dependsOn: [policy] },
    );

    this.functionName = this.function.name;
    this.registerOutputs({ functionName: this.functionName, failedQueueUrl: this.failedQueue.url });
  }
}
