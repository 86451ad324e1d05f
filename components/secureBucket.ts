// One S3 bucket as the lab wants every bucket: private, encrypted, TLS-only, expiring, and
// emptied on `pulumi destroy` so that tearing down an event leaves nothing (the 2020 template
// failed on non-empty buckets).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";

export interface SecureBucketArgs {
  /** Physical bucket name (3-63 characters, lower case; see naming.ts). */
  readonly bucketName: pulumi.Input<string>;
  /** Days after which every object expires. */
  readonly expirationDays: number;
}

export class SecureBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly name: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:storage:SecureBucket", name, {}, opts);

    this.bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: true }, { parent: this });
    const bucket = this.bucket.id;

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-lab-data",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { days: args.expirationDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this },
    );
    // A Deny with a wildcard action is the point here: it removes plain-HTTP access for everyone.
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket,
        policy: policyDocument([
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      },
      // S3 rejects a bucket policy while the public access block is still being applied.
      { parent: this, dependsOn: [publicAccess] },
    );

    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
