// The Flink job's JAR must be there whenever Managed Flink reads it: at the application's create,
// update and start. The last possible start is not endsAt: `npm run workshop -- extend` moves
// endsAt up to maxEventDays past the moment it runs and then starts the stopped application, and
// it may run again after that (docs/event-life.md), so a start can come at any time before destroy.
// The JAR is uploaded once, at the first `up`. So no lifecycle rule may expire it (or archive it
// where a GetObject cannot read it) at all. This test reads that off the offline plan: the object
// the application's code location names, its bucket's lifecycle rules, and what each would do to it.

import { strict as assert } from "node:assert";
import { MockAccount, type RecordedResource } from "../../offline/fakeAws/account";
import { planStack } from "../../offline/plan";
import { expiresAtProblem } from "../../policy/rules/expiresAt";

type Rule = {
  id?: string;
  status?: string;
  prefix?: string;
  filter?: {
    prefix?: string;
    tag?: { key: string; value: string };
    and?: { prefix?: string; tags?: Record<string, string> };
    objectSizeGreaterThan?: number;
    objectSizeLessThan?: number;
  };
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  transitions?: { days?: number; date?: string; storageClass: string }[];
};

/** Storage classes a plain GetObject cannot read until the object is restored (S3 user guide, "Archive retrieval"). */
const ARCHIVED = ["GLACIER", "DEEP_ARCHIVE"];

/**
 * What rule `r` would do to the object `key` with tags `tags`, or undefined when nothing. A size
 * filter is taken to select it (the plan does not know the JAR's size). Noncurrent-version rules
 * and delete-marker clean-up leave the current object alone.
 */
export function threat(r: Rule, key: string, tags: Record<string, string>): string | undefined {
  if (r.status !== "Enabled") return undefined;
  const prefix = r.prefix ?? r.filter?.prefix ?? r.filter?.and?.prefix ?? "";
  if (!key.startsWith(prefix)) return undefined;
  const wanted = { ...(r.filter?.tag ? { [r.filter.tag.key]: r.filter.tag.value } : {}), ...(r.filter?.and?.tags ?? {}) };
  if (Object.entries(wanted).some(([k, v]) => tags[k] !== v)) return undefined;
  if (r.expiration?.days !== undefined || r.expiration?.date !== undefined)
    return `rule ${r.id} expires it (${JSON.stringify(r.expiration)})`;
  const archive = (r.transitions ?? []).find((t) => ARCHIVED.includes(t.storageClass));
  if (archive) return `rule ${r.id} moves it to ${archive.storageClass}, which GetObject cannot read`;
  return undefined;
}

/** Every lifecycle rule that could take away the code of each Flink application of the stack. */
function codeThreats(resources: readonly RecordedResource[]): string[] {
  const apps = resources.filter((r) => r.type === "aws:kinesisanalyticsv2/application:Application");
  assert.ok(apps.length > 0, "the plan has a Flink application");
  return apps.flatMap((app) => {
    const location = (
      app.inputs.applicationConfiguration as {
        applicationCodeConfiguration: { codeContent: { s3ContentLocation: { bucketArn: string; fileKey: string } } };
      }
    ).applicationCodeConfiguration.codeContent.s3ContentLocation;
    const bucket = resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.state.arn === location.bucketArn);
    assert.ok(bucket, `the application's code bucket ${location.bucketArn} is in the stack`);
    const object = resources.find(
      (r) =>
        r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.inputs.bucket === bucket.state.bucket && r.inputs.key === location.fileKey,
    );
    assert.ok(object, `the stack uploads the object the application runs (${location.fileKey})`);
    // As AWS holds them: the provider's default tags under the object's own.
    const provider = resources.find((r) => r.type === "pulumi:providers:aws" && r.id === object.providerId);
    const defaultTags = provider?.inputs.defaultTags;
    const defaults =
      ((typeof defaultTags === "string" ? JSON.parse(defaultTags) : (defaultTags ?? {})) as { tags?: Record<string, string> }).tags ?? {};
    const tags = { ...defaults, ...((object.inputs.tags ?? {}) as Record<string, string>) };
    return resources
      .filter(
        (r) =>
          r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" &&
          (r.inputs.bucket === bucket.id || r.inputs.bucket === bucket.state.bucket),
      )
      .flatMap((l) => (l.inputs.rules as Rule[]).map((rule) => threat(rule, location.fileKey, tags)))
      .filter((t): t is string => t !== undefined)
      .map((t) => `${String(bucket.state.bucket)}/${location.fileKey}: ${t}`);
  });
}

async function planned(stack: string): Promise<RecordedResource[]> {
  const account = new MockAccount();
  await planStack(stack, { account });
  return account.ofStack(stack);
}

describe("the Flink job's code lives until destroy", () => {
  it("has no last start before destroy: extend can run again and again, each time up to 14 days ahead", () => {
    // extend checks --until with this function (workshop/extend.ts checkExtension), against the
    // moment it runs, not against the first endsAt: two extensions reach 28 days past an end.
    const firstEnd = new Date("2026-12-01T17:00:00Z");
    assert.equal(expiresAtProblem("2026-12-15T17:00:00Z", new Date(firstEnd.getTime() + 3_600_000)), undefined);
    assert.equal(expiresAtProblem("2026-12-29T17:00:00Z", new Date("2026-12-15T18:00:00Z")), undefined);
  });

  for (const stack of ["dev", "workshop"]) {
    it(`in the ${stack} stack, no lifecycle rule expires or archives the JAR the application runs`, async () => {
      assert.deepEqual(codeThreats(await planned(stack)), []);
    });
  }

  describe("fails a plan whose JAR could go", () => {
    let base: RecordedResource[];
    before(async () => {
      base = await planned("workshop");
    });
    const app = () => base.find((r) => r.type === "aws:kinesisanalyticsv2/application:Application")!;
    const codeLifecycle = () =>
      base.find(
        (r) => r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" && String(r.inputs.bucket).includes("-code-"),
      )!;
    const withRules = (rules: Rule[]) => base.map((r) => (r === codeLifecycle() ? { ...r, inputs: { ...r.inputs, rules } } : r));

    it("as it was: the JAR in the processed bucket, whose objects expire after bucketExpirationDays", () => {
      const processed = base.find((r) => r.type === "aws:s3/bucket:Bucket" && String(r.state.bucket).includes("-processed-"))!;
      const a = app();
      const location = (
        a.inputs.applicationConfiguration as { applicationCodeConfiguration: { codeContent: { s3ContentLocation: { fileKey: string } } } }
      ).applicationCodeConfiguration.codeContent.s3ContentLocation;
      const moved = base.map((r) => {
        if (r === a)
          return {
            ...r,
            inputs: {
              ...r.inputs,
              applicationConfiguration: {
                applicationCodeConfiguration: {
                  codeContent: { s3ContentLocation: { bucketArn: processed.state.arn, fileKey: location.fileKey } },
                },
              },
            },
          };
        if (r.type === "aws:s3/bucketObjectv2:BucketObjectv2") return { ...r, inputs: { ...r.inputs, bucket: processed.state.bucket } };
        return r;
      });
      assert.deepEqual(codeThreats(moved), [
        `${String(processed.state.bucket)}/${location.fileKey}: rule expire-lab-data expires it ({"days":3})`,
      ]);
    });

    for (const [label, rule, found] of [
      ["an expiry of every object", { id: "x", status: "Enabled", filter: { prefix: "" }, expiration: { days: 14 } }, /rule x expires it/],
      ["an expiry of code/", { id: "x", status: "Enabled", filter: { prefix: "code/" }, expiration: { days: 14 } }, /rule x expires it/],
      ["an expiry on a date", { id: "x", status: "Enabled", expiration: { date: "2027-01-01T00:00:00Z" } }, /rule x expires it/],
      [
        "an expiry of the event's tagged objects",
        { id: "x", status: "Enabled", filter: { tag: { key: "event", value: "immersion-day" } }, expiration: { days: 1 } },
        /rule x expires it/,
      ],
      [
        "a move to Glacier",
        { id: "x", status: "Enabled", filter: {}, transitions: [{ days: 30, storageClass: "GLACIER" }] },
        /moves it to GLACIER/,
      ],
    ] as const) {
      it(`with ${label}`, () => {
        const threats = codeThreats(withRules([rule as Rule]));
        assert.equal(threats.length, 1, threats.join("\n"));
        assert.match(threats[0]!, found);
      });
    }

    it("but not with rules that select other objects, are disabled, or clean up only uploads and old versions", () => {
      const harmless: Rule[] = [
        { id: "logs", status: "Enabled", filter: { prefix: "weblogs/" }, expiration: { days: 1 } },
        { id: "other-team", status: "Enabled", filter: { tag: { key: "event", value: "another-event" } }, expiration: { days: 1 } },
        { id: "off", status: "Disabled", expiration: { days: 1 } },
        { id: "markers", status: "Enabled", expiration: { expiredObjectDeleteMarker: true } },
        { id: "cheaper", status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER_IR" }] },
      ];
      assert.deepEqual(codeThreats(withRules(harmless)), []);
    });
  });
});
