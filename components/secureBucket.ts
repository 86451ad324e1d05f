// One S3 bucket as the lab wants every bucket: private, encrypted, TLS-only, with a lifecycle, and
// emptied on `pulumi destroy` so that tearing down an event leaves nothing (the 2020 template
// failed on non-empty buckets).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";
import { policyDocument } from "./iam";

export interface SecureBucketArgs {
  /**
   * Physical bucket name: 3-63 characters of lower-case letters, digits, hyphens and dots, unique
   * across all of S3 (infra/naming.ts builds it from event, team, purpose and account).
   */
  readonly bucketName: pulumi.Input<string>;
  /**
   * Whole days after an object's creation at which S3 expires it; one lifecycle rule covers every
   * object. At least 1; the policy pack allows at most 14 (policy/limits.ts maxExpirationDays).
   * Absent: objects are kept until `pulumi destroy` empties the bucket; only for a bucket that
   * holds nothing but what the stack uploads itself (the Flink job's code, see Analytics).
   */
  readonly expirationDays?: number;
}

/** How long an unfinished multipart upload may hold storage (days); S3 bills its parts meanwhile. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

/**
 * An S3 bucket with its settings, each a separate resource in provider 7: all public access
 * blocked, SSE-S3 (AES256) default encryption, a lifecycle configuration (expiry of every object,
 * or only the clean-up of unfinished uploads when `expirationDays` is absent), and a bucket policy
 * denying any request not made over TLS. `forceDestroy` lets `pulumi destroy` delete it non-empty.
 *
 * Children: `<name>` (the bucket), `<name>-public-access`, `<name>-encryption`, `<name>-lifecycle`,
 * `<name>-tls-only`.
 */
export class SecureBucket extends pulumi.ComponentResource {
  /** The bucket itself. */
  public readonly bucket: aws.s3.Bucket;
  /** The bucket's name, as given in `bucketName`. */
  public readonly name: pulumi.Output<string>;
  /** `arn:aws:s3:::<name>`; object ARNs are `<arn>/<key>`. */
  public readonly arn: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args the bucket's name and how long its objects live.
   * @param opts options for the component (parent, provider, aliases).
   * @throws Error when `expirationDays` is given and is not a whole number of days, 1 or more.
   */
  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("SecureBucket"), name, {}, withFormerTypes(opts, "clickstream:storage:SecureBucket"));
    const days = args.expirationDays;
    if (days !== undefined && !(Number.isInteger(days) && days >= 1)) {
      throw new Error(`SecureBucket ${name}: expirationDays must be a whole number of days, 1 or more (S3 lifecycle Days), not ${days}`);
    }

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
    const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS } };
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          days === undefined
            ? { id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "" }, ...abort }
            : { id: "expire-lab-data", status: "Enabled", filter: { prefix: "" }, expiration: { days }, ...abort },
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
