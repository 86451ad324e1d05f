// Every bucket is private and encrypted, and expires every object it holds: lab data has no use
// after the event, and an expiring bucket is cheap to forget. Bucket settings are separate
// resources in provider 7, so this stack rule pairs each one with its bucket by URN (the setting's
// `bucket` property depends on the bucket), which a first preview knows although the bucket's id
// is not known until it exists; a known `bucket` value equal to the bucket's name pairs too.
// Lifecycle expiry counts only when it covers every object: no tag, size or `and` filter, and an
// empty prefix (or none). S3 applies a rule's expiration only to the objects its filter selects.
//
// One kind of bucket may keep its objects: one that holds only what the stack uploads itself
// (aws:s3/bucketObjectv2 resources, which `destroy` deletes) and that no identity or resource
// policy of the stack lets anyone put objects into. That is the Flink job's code bucket: Managed
// Flink reads the JAR at every start, and `workshop extend` can start the application at any time
// before destroy, so an expiring JAR would be missing then (components/analytics.ts).

import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LIMITS, MESSAGES } from "../limits";
import type { Resource } from "@pulumi/pulumi";
import { knownValues, placedStatements, values } from "./iamDocuments";
import { asList, builtFrom, knownOrUndefined, pulumiType, resourcesOfType, stackRule, type ResourceClass } from "./support";

/** A lifecycle rule as the engine hands it over: any field may be absent or null. */
type LifecycleRule = Omit<aws.types.output.s3.BucketLifecycleConfigurationRule, "expiration" | "filter"> & {
  expiration?: Partial<aws.types.output.s3.BucketLifecycleConfigurationRuleExpiration>;
  filter?: Partial<aws.types.output.s3.BucketLifecycleConfigurationRuleFilter>;
};

const absent = (v: unknown) => v === undefined || v === null || v === "" || v === 0;

/** Why a lifecycle rule does not expire every object of its bucket, or undefined when it does. */
export function partialCoverage(rule: Partial<LifecycleRule>): string | undefined {
  if (rule.status !== "Enabled") return `rule ${String(rule.id)} is ${String(rule.status)}`;
  if (!absent(rule.prefix)) return `rule ${String(rule.id)} applies only to the prefix ${String(rule.prefix)}`;
  const f = rule.filter;
  if (f) {
    if (!absent(f.and)) return `rule ${String(rule.id)} has an "and" filter`;
    if (!absent(f.tag)) return `rule ${String(rule.id)} applies only to objects with a tag`;
    if (!absent(f.objectSizeGreaterThan) || !absent(f.objectSizeLessThan))
      return `rule ${String(rule.id)} applies only to objects of some sizes`;
    if (!absent(f.prefix)) return `rule ${String(rule.id)} applies only to the prefix ${String(f.prefix)}`;
  }
  if (absent(rule.expiration?.days)) return `rule ${String(rule.id)} has no expiration in days`;
  return undefined;
}

/** The actions that put objects into a bucket (CopyObject and multipart uploads need s3:PutObject). */
const OBJECT_WRITES = ["s3:PutObject", "s3:ReplicateObject"];

/** An IAM pattern (`*`, `?`; actions case-insensitive) as a regular expression. */
const pattern = (p: string, flags = "") =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    flags,
  );

/** Whether a Resource value may name an object of bucket `name` (undefined: the name is not known yet). */
function reachesObjects(resource: string, name: string | undefined): boolean {
  if (name === undefined) return resource === "*" || resource.startsWith("arn:aws:s3:::");
  const objects = `arn:aws:s3:::${name}/`;
  const wild = resource.search(/[*?]/);
  if (wild === -1) return resource.startsWith(objects);
  const literal = resource.slice(0, wild);
  return literal.startsWith(objects) || objects.startsWith(literal);
}

/**
 * Statements of the stack's identity and resource policies that may let someone put objects into
 * `bucket`, for messages. A Resource still unknown (a first preview) counts when its document was
 * built from the bucket; NotAction and NotResource count, since they allow almost everything.
 */
function objectWriters(resources: readonly PolicyResource[], bucket: PolicyResource, name: string | undefined): string[] {
  const found: string[] = [];
  for (const r of resources) {
    for (const { doc, s, at } of placedStatements(r, ["identity", "resource"])) {
      if (s.Effect !== "Allow") continue;
      const writes = s.NotAction !== undefined || values(s.Action).some((a) => OBJECT_WRITES.some((w) => pattern(a, "i").test(w)));
      if (!writes) continue;
      const { known, unknown } = knownValues(() => s.Resource);
      const fromBucket = (r.propertyDependencies[doc.where.split("[")[0]!] ?? []).some((d) => d.urn === bucket.urn);
      if (s.NotResource !== undefined || known.some((k) => reachesObjects(k, name)) || (unknown > 0 && fromBucket))
        found.push(`${r.name} (${at})`);
    }
  }
  return found;
}

export const s3BucketsPolicy: StackValidationPolicy = {
  name: "s3-private-encrypted-expiring",
  description:
    "Every S3 bucket blocks public access, has default encryption, and has an enabled lifecycle rule expiring every object within maxExpirationDays, unless it holds only the stack's own uploaded objects and no policy of the stack lets anyone put objects into it.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxExpirationDays: { type: "integer", default: LIMITS.maxExpirationDays, minimum: 1 } } },
  validateStack: stackRule((args, report) => {
    const { maxExpirationDays } = args.getConfig<{ maxExpirationDays: number }>();
    for (const { resource: b, props } of resourcesOfType(args.resources, aws.s3.Bucket)) {
      const name = knownOrUndefined(() => props.bucket);
      const label = name ?? b.name;
      const values = [name, knownOrUndefined(() => props.id)];
      const settings = (cls: ResourceClass<Resource, never>): PolicyResource[] =>
        args.resources.filter((r) => r.type === pulumiType(cls) && builtFrom(r, "bucket", b, values));

      const blocks = settings(aws.s3.BucketPublicAccessBlock);
      const fullBlock = blocks.some((k) =>
        ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((s) => k.props[s] === true),
      );
      if (!fullBlock) report(`Bucket ${label} does not block all public access (all four BucketPublicAccessBlock settings true).`, b.urn);

      if (settings(aws.s3.BucketServerSideEncryptionConfiguration).length === 0)
        report(`Bucket ${label} has no default encryption configuration.`, b.urn);

      const rules = settings(aws.s3.BucketLifecycleConfiguration).flatMap((l) =>
        asList(l.props.rules as Partial<LifecycleRule>[] | undefined),
      );
      const covering = rules.filter((r) => partialCoverage(r) === undefined).map((r) => Number(r.expiration!.days));
      if (covering.length === 0) {
        const writers = objectWriters(args.resources, b, name);
        // Only the stack's own objects, which destroy deletes: nothing in it outlives the stack.
        if (writers.length === 0 && settings(aws.s3.BucketObjectv2).length > 0) continue;
        const why = rules.map(partialCoverage).filter((w) => w !== undefined);
        const who = writers.length ? ` (objects may be put into it by ${writers.join(", ")})` : "";
        report(
          `Bucket ${label} has no enabled lifecycle rule expiring every object${why.length ? `: ${why.join("; ")}` : ""}${who}.`,
          b.urn,
        );
      } else if (Math.min(...covering) > maxExpirationDays) {
        report(`Bucket ${label} ${MESSAGES.expirationDays(Math.min(...covering), maxExpirationDays)}.`, b.urn);
      }
    }
  }),
};
