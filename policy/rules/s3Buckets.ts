// Every bucket is private and encrypted, and expires its objects: lab data has no use after the
// event, and an expiring bucket is cheap to forget. Bucket settings live in separate resources
// in provider 7, so this is a stack rule that pairs them with their bucket.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

const BUCKET = "aws:s3/bucket:Bucket";

function forBucket(resources: PolicyResource[], type: string, bucket: string): PolicyResource[] {
  return resources.filter((r) => r.type === type && r.props.bucket === bucket);
}

export const s3BucketsPolicy: StackValidationPolicy = {
  name: "s3-private-encrypted-expiring",
  description: "Every S3 bucket blocks public access, has default encryption and expires objects within maxExpirationDays.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxExpirationDays: { type: "integer", default: 14, minimum: 1 } } },
  validateStack: (args, report) => {
    const { maxExpirationDays } = args.getConfig<{ maxExpirationDays: number }>();
    for (const b of args.resources.filter((r) => r.type === BUCKET)) {
      const name = String(b.props.bucket);
      const block = forBucket(args.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name)[0]?.props;
      if (!block || !(block.blockPublicAcls && block.blockPublicPolicy && block.ignorePublicAcls && block.restrictPublicBuckets)) {
        report(`Bucket ${name} does not block all public access (all four BucketPublicAccessBlock settings true).`, b.urn);
      }
      if (forBucket(args.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name).length === 0) {
        report(`Bucket ${name} has no default encryption configuration.`, b.urn);
      }
      const days = forBucket(args.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", name)
        .flatMap((l) => (l.props.rules as { status?: string; expiration?: { days?: number }; filter?: { prefix?: string } }[] | undefined) ?? [])
        .filter((rule) => rule.status === "Enabled" && (rule.filter?.prefix ?? "") === "" && rule.expiration?.days !== undefined)
        .map((rule) => Number(rule.expiration!.days));
      if (days.length === 0) report(`Bucket ${name} has no enabled lifecycle rule expiring all its objects.`, b.urn);
      else if (Math.min(...days) > maxExpirationDays) report(`Bucket ${name} expires objects after ${Math.min(...days)} days; at most ${maxExpirationDays}.`, b.urn);
    }
  },
};
