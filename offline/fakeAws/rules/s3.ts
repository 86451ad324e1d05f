// Amazon S3: buckets, their configuration sub-resources, policies and objects.

import { exists, oneOf, tagProblems, type Inputs, type Rule } from "./common";
import { NAMES } from "./names";
import { asList, policyProblems, statementsOf, type PolicyJson } from "../policyGrammar";

export const S3_RULES: Record<string, Rule> = {
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
        ...(r.expiration?.days !== undefined && !(Number.isInteger(r.expiration.days) && r.expiration.days > 0)
          ? ["expiration days must be a positive whole number"]
          : []),
        ...(r.abortIncompleteMultipartUpload && (r.filter?.tag || r.filter?.and?.tags)
          ? ["abortIncompleteMultipartUpload cannot be used with a tag filter"]
          : []),
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
        if (r !== arn && !r.startsWith(`${arn}/`))
          p.push(`bucket policy names a resource outside the bucket: ${r} (Policy has invalid resource)`);
      }
    }
    return p;
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (key: up to 1,024 bytes of UTF-8)
  "aws:s3/bucketObjectv2:BucketObjectv2": (i, ctx) => [
    ...exists(ctx, "aws:s3/bucket:Bucket", i.bucket, "bucket"),
    ...(typeof i.key === "string" && i.key.length > 0 && Buffer.byteLength(i.key) <= 1024 ? [] : ["object key must be 1 to 1,024 bytes"]),
    ...(i.source === undefined && i.content === undefined ? ["an object needs a source or content"] : []),
  ],
};
