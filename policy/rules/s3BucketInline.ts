// A bucket as the lab makes it: a name, tags and forceDestroy, every other setting in its own
// resource where s3-private-encrypted-expiring reads it. The inline settings a Bucket still accepts
// are each a way around that rule or around `pulumi destroy`: versioning keeps every deleted
// object (and its cost), an object lock in COMPLIANCE mode makes objects undeletable by anyone
// until its date, ACLs, grants, a policy or a website make it public, replication copies the
// data out of the region. Without forceDestroy, destroy fails on the first non-empty bucket.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./support";

/** The Bucket arguments the lab sets; any other one, set, is refused. */
export const BUCKET_ARGS_ALLOWED: readonly string[] = ["bucket", "bucketPrefix", "forceDestroy", "tags", "region", "bucketNamespace"];

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && Object.keys(v).length === 0);

export const s3BucketInlinePolicy: ResourceValidationPolicy = {
  name: "s3-bucket-destroyable",
  description:
    "Buckets set only bucket, tags and forceDestroy: true; no versioning, object lock, ACL, grants, policy, website, CORS, logging, replication or lifecycle inline.",
  enforcementLevel: "mandatory",
  validateResource: resourceRule(aws.s3.Bucket, (bucket, args, report) => {
    if (bucket.forceDestroy !== true) report("forceDestroy must be true: `pulumi destroy` must be able to empty the bucket.");
    const props = args.props as Record<string, unknown>;
    for (const key of Object.keys(props)) {
      if (BUCKET_ARGS_ALLOWED.includes(key) || empty(props[key])) continue;
      if (key === "acl" && props[key] === "private") continue;
      // A provider's Check may fill versioning with its defaults: only an enabled one matters.
      if (key === "versioning" && (props[key] as { enabled?: unknown }).enabled !== true) continue;
      report(
        `Bucket setting ${key} is not part of the lab (${key === "objectLockEnabled" || key === "objectLockConfiguration" ? "an object lock can make destroy impossible" : key === "versioning" ? "versioning keeps every deleted object" : "settings live in their own resources, which the pack checks"}).`,
      );
    }
  }),
};
