// Ingest → archive: Firehose reads the ingest stream and keeps every raw record in S3 as GZIP
// (what the 2020 lab's Firehose did, now fed by the stream instead of by the KDG directly). The
// processed bucket, which held the alert Lambda's CSVs beside the raw one, belongs to the Alert
// component now: Firehose never wrote to it.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";
import { scopedRole, serviceTrust } from "./iam";
import { SecureBucket } from "./secureBucket";

export interface ArchiveArgs {
  /** The 12-digit AWS account ID: Firehose's role trusts Firehose only on behalf of this account. */
  readonly accountId: pulumi.Input<string>;
  /** ARN of the ingest stream Firehose reads (Kinesis stream as source). */
  readonly sourceStreamArn: pulumi.Input<string>;
  /** Physical delivery stream name: 1-64 characters of letters, digits, `_`, `-` and `.`. */
  readonly deliveryStreamName: string;
  /** Physical name of Firehose's IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** CloudWatch log group of Firehose's delivery errors (`/aws/kinesisfirehose/<delivery stream>`). */
  readonly logGroupName: string;
  /** Physical name of the raw bucket (see SecureBucketArgs.bucketName). */
  readonly rawBucketName: pulumi.Input<string>;
  /** Whole days after which raw objects expire (config bucketExpirationDays, 1-14). */
  readonly expirationDays: number;
  /** Days CloudWatch keeps the delivery log: one of CloudWatch's allowed values (config logRetentionDays). */
  readonly logRetentionDays: number;
}

/** Where Firehose writes the raw records, as the 2020 lab did. */
export const RAW_PREFIX = "weblogs/raw/";
/** Where Firehose writes records it could not deliver, one folder per error type (Firehose's namespace). */
export const RAW_ERROR_PREFIX = "weblogs/raw-errors/!{firehose:error-output-type}/";
/** As in 2020: flush every 60 s, so attendees see objects appear during the lab. */
export const BUFFER_SECONDS = 60;
/** Firehose's size buffer, MiB: whichever of the two fills first flushes. */
export const BUFFER_MIB = 50;

/**
 * The raw archive: a Firehose delivery stream reading the ingest stream and writing every record
 * to the raw bucket under RAW_PREFIX, GZIP-compressed, flushed every BUFFER_SECONDS s or
 * BUFFER_MIB MiB, with delivery errors under RAW_ERROR_PREFIX and in its log group; the raw
 * bucket (a SecureBucket whose objects expire); and Firehose's role, which may read only that
 * stream and write only that bucket and log.
 *
 * Children: `<name>-raw` (SecureBucket), `<name>-logs`, `<name>-log-stream`, `<name>-role` and its
 * `-policy`, `<name>-firehose`.
 */
export class Archive extends pulumi.ComponentResource {
  /** Where Firehose writes: `weblogs/raw/…` GZIP objects and `weblogs/raw-errors/…`. */
  public readonly rawBucket: SecureBucket;
  /** Firehose's role (trust pinned to this account by `sts:ExternalId`). */
  public readonly role: aws.iam.Role;
  /** Firehose's delivery error log group, with its retention. */
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** The delivery stream. */
  public readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
  /** The delivery stream's name, as given in `deliveryStreamName`. */
  public readonly deliveryStreamName: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args names, the stream to read, and how long objects and logs are kept.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Archive"), name, {}, withFormerTypes(opts, "clickstream:prelab:Archive"));

    this.rawBucket = new SecureBucket(
      `${name}-raw`,
      { bucketName: args.rawBucketName, expirationDays: args.expirationDays },
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

    const access = firehoseRole(name, args, this, { rawBucketArn: this.rawBucket.arn, logGroupArn: this.logGroup.arn });
    this.role = access.role;
    this.deliveryStream = deliveryStream(name, args, this, {
      roleArn: this.role.arn,
      rawBucketArn: this.rawBucket.arn,
      logGroupName: this.logGroup.name,
      logStreamName: logStream.name,
      // Firehose checks its role's permissions on create; the inline policy must exist first.
      policy: access.policy,
    });

    this.deliveryStreamName = this.deliveryStream.name;
    this.registerOutputs({ deliveryStreamName: this.deliveryStreamName, rawBucket: this.rawBucket.name });
  }
}

/** Firehose's role `<name>-role` and its policy: read the ingest stream, write the raw bucket and the delivery log. */
function firehoseRole(
  name: string,
  args: ArchiveArgs,
  parent: pulumi.Resource,
  own: { rawBucketArn: pulumi.Output<string>; logGroupArn: pulumi.Output<string> },
): ReturnType<typeof scopedRole> {
  const raw = own.rawBucketArn;
  return scopedRole(
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
          Resource: pulumi.interpolate`${own.logGroupArn}:log-stream:*`,
        },
      ],
    },
    parent,
  );
}

/** The delivery stream `<name>-firehose`: the ingest stream into the raw bucket, GZIP, under RAW_PREFIX. */
function deliveryStream(
  name: string,
  args: ArchiveArgs,
  parent: pulumi.Resource,
  own: {
    roleArn: pulumi.Input<string>;
    rawBucketArn: pulumi.Input<string>;
    logGroupName: pulumi.Input<string>;
    logStreamName: pulumi.Input<string>;
    policy: pulumi.Resource;
  },
): aws.kinesis.FirehoseDeliveryStream {
  return new aws.kinesis.FirehoseDeliveryStream(
    `${name}-firehose`,
    {
      name: args.deliveryStreamName,
      destination: "extended_s3",
      kinesisSourceConfiguration: { kinesisStreamArn: args.sourceStreamArn, roleArn: own.roleArn },
      extendedS3Configuration: {
        roleArn: own.roleArn,
        bucketArn: own.rawBucketArn,
        prefix: RAW_PREFIX,
        errorOutputPrefix: RAW_ERROR_PREFIX,
        bufferingInterval: BUFFER_SECONDS,
        bufferingSize: BUFFER_MIB,
        compressionFormat: "GZIP",
        cloudwatchLoggingOptions: { enabled: true, logGroupName: own.logGroupName, logStreamName: own.logStreamName },
      },
    },
    { parent, dependsOn: [own.policy] },
  );
}
