// Ingest → archive: Firehose reads the ingest stream and keeps every raw record in S3 as GZIP
// (what the 2020 lab's Firehose did, now fed by the stream instead of by the KDG directly). The
// processed bucket beside it receives the alert Lambda's CSV copies of anomalies.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { scopedRole, serviceTrust } from "./iam";
import { SecureBucket } from "./secureBucket";

export interface ArchiveArgs {
  readonly accountId: pulumi.Input<string>;
  /** The ingest stream Firehose reads. */
  readonly sourceStreamArn: pulumi.Input<string>;
  readonly deliveryStreamName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly rawBucketName: pulumi.Input<string>;
  readonly processedBucketName: pulumi.Input<string>;
  readonly expirationDays: number;
  readonly logRetentionDays: number;
}

export const RAW_PREFIX = "weblogs/raw/";
export const RAW_ERROR_PREFIX = "weblogs/raw-errors/!{firehose:error-output-type}/";
/** As in 2020: flush every 60 s, so attendees see objects appear during the lab. */
export const BUFFER_SECONDS = 60;
export const BUFFER_MIB = 50;

export class Archive extends pulumi.ComponentResource {
  public readonly rawBucket: SecureBucket;
  public readonly processedBucket: SecureBucket;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
  public readonly deliveryStreamName: pulumi.Output<string>;

  constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:prelab:Archive", name, {}, opts);

    this.rawBucket = new SecureBucket(
      `${name}-raw`,
      { bucketName: args.rawBucketName, expirationDays: args.expirationDays },
      { parent: this },
    );
    this.processedBucket = new SecureBucket(
      `${name}-processed`,
      { bucketName: args.processedBucketName, expirationDays: args.expirationDays },
      { parent: this },
    );

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const logStream = new aws.cloudwatch.LogStream(
      `${name}-log-stream`,
      { name: "S3Delivery", logGroupName: this.logGroup.name },
      { parent: this },
    );

    const raw = this.rawBucket.arn;
    const access = scopedRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: "Firehose: read this team's ingest stream, write its raw bucket and delivery log.",
        trust: serviceTrust("firehose.amazonaws.com", args.accountId, "sts:ExternalId"),
        statements: [
          {
            Sid: "ReadIngestStream",
            Effect: "Allow",
            Action: ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
            Resource: args.sourceStreamArn,
          },
          {
            Sid: "WriteRawBucket",
            Effect: "Allow",
            Action: [
              "s3:AbortMultipartUpload",
              "s3:GetBucketLocation",
              "s3:GetObject",
              "s3:ListBucket",
              "s3:ListBucketMultipartUploads",
              "s3:PutObject",
            ],
            Resource: [raw, pulumi.interpolate`${raw}/*`],
          },
          {
            Sid: "WriteDeliveryLog",
            Effect: "Allow",
            Action: "logs:PutLogEvents",
            Resource: pulumi.interpolate`${this.logGroup.arn}:log-stream:*`,
          },
        ],
      },
      this,
    );
    this.role = access.role;

    this.deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-firehose`,
      {
        name: args.deliveryStreamName,
        destination: "extended_s3",
        kinesisSourceConfiguration: { kinesisStreamArn: args.sourceStreamArn, roleArn: this.role.arn },
        extendedS3Configuration: {
          roleArn: this.role.arn,
          bucketArn: raw,
          prefix: RAW_PREFIX,
          errorOutputPrefix: RAW_ERROR_PREFIX,
          bufferingInterval: BUFFER_SECONDS,
          bufferingSize: BUFFER_MIB,
          compressionFormat: "GZIP",
          cloudwatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.name, logStreamName: logStream.name },
        },
      },
      // Firehose checks its role's permissions on create; the inline policy must exist first.
      { parent: this, dependsOn: [access.policy] },
    );

    this.deliveryStreamName = this.deliveryStream.name;
    this.registerOutputs({
      deliveryStreamName: this.deliveryStreamName,
      rawBucket: this.rawBucket.name,
      processedBucket: this.processedBucket.name,
    });
  }
}
