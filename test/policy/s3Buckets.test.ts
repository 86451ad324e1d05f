import { strict as assert } from "node:assert";
import { partialCoverage, s3BucketsPolicy } from "../../policy/rules/s3Buckets";
import { check, UNKNOWN, type FakeResource } from "./harness";

interface Settings {
  block?: boolean;
  sse?: boolean;
  rules?: Record<string, unknown>[];
}

const expire = (days: number, extra: Record<string, unknown> = {}) => ({ id: "expire", status: "Enabled", filter: { prefix: "" }, expiration: { days }, ...extra });

/**
 * A bucket and its settings. `firstPreview`: the bucket's id (what settings get as `bucket`) is
 * unknown, as in a real first preview, and the settings are tied to the bucket by URN only.
 */
function bucketWith(name: string, s: Settings, firstPreview = false): FakeResource[] {
  const ref = firstPreview ? UNKNOWN : name;
  const deps = firstPreview ? { bucket: [name] } : undefined;
  const setting = (type: string, suffix: string, props: Record<string, unknown>): FakeResource => ({ type, name: `${name}-${suffix}`, props: { bucket: ref, ...props }, propertyDependencies: deps });
  return [
    { type: "aws:s3/bucket:Bucket", name, props: { bucket: name, forceDestroy: true }, outputs: { bucket: name, id: firstPreview ? UNKNOWN : name, arn: firstPreview ? UNKNOWN : `arn:aws:s3:::${name}` } },
    ...(s.block === undefined || s.block
      ? [setting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: s.block ?? true })]
      : [setting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false })]),
    ...(s.sse === false ? [] : [setting("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })]),
    ...(s.rules === undefined ? [] : [setting("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", { rules: s.rules })]),
  ];
}

describe("s3-private-encrypted-expiring", () => {
  it("passes a private, encrypted bucket expiring everything after 7 days", async () => assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(7)] })), []));
  it("passes a rule with no filter at all", async () => assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [{ id: "x", status: "Enabled", expiration: { days: 3 } }] })), []));
  it("refuses a bucket that is not fully private, not encrypted and never expires", async () => {
    const found = await check(s3BucketsPolicy, bucketWith("raw", { block: false, sse: false }));
    assert.deepEqual(found, [
      "Bucket raw does not block all public access (all four BucketPublicAccessBlock settings true).",
      "Bucket raw has no default encryption configuration.",
      "Bucket raw has no enabled lifecycle rule expiring every object.",
    ]);
  });
  // Issue 14, input 6: the config value 30 that config used to accept.
  it("refuses expiry after 30 days", async () => assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(30)] })), ["Bucket raw expires objects after 30 days; at most 14."]));
  // Issue 14, input 3: lifecycle rules that expire almost nothing.
  for (const [label, rule, words] of [
    ["a tag filter", expire(1, { filter: { tag: { key: "expire", value: "yes" } } }), /applies only to objects with a tag/],
    ["objectSizeGreaterThan", expire(1, { filter: { objectSizeGreaterThan: 1_000_000_000 } }), /applies only to objects of some sizes/],
    ["an and with a prefix", expire(1, { filter: { and: { prefix: "never/", tags: { a: "b" } } } }), /has an "and" filter/],
    ["a prefix", expire(1, { filter: { prefix: "weblogs/raw/tmp/" } }), /applies only to the prefix weblogs\/raw\/tmp\//],
    ["the deprecated rule-level prefix", expire(1, { prefix: "x/" }), /applies only to the prefix x\//],
    ["a disabled rule", expire(1, { status: "Disabled" }), /is Disabled/],
  ] as const) {
    it(`refuses a lifecycle rule with ${label}`, async () => {
      const found = await check(s3BucketsPolicy, bucketWith("raw", { rules: [rule] }));
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0]!, words);
    });
  }
  it("reads rule coverage as S3 does: only empty prefixes and no filters cover everything", () => {
    assert.equal(partialCoverage(expire(1)), undefined);
    assert.equal(partialCoverage({ id: "a", status: "Enabled", filter: { objectSizeGreaterThan: 0 }, expiration: { days: 1 } }), undefined);
  });

  describe("at a first preview, with the bucket's id unknown", () => {
    it("pairs settings with their bucket by URN and passes the program's shape", async () => assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(7)] }, true)), []));
    it("refuses a public bucket before it exists", async () => {
      const found = await check(s3BucketsPolicy, bucketWith("raw", { block: false, rules: [expire(7)] }, true));
      assert.deepEqual(found, ["Bucket raw does not block all public access (all four BucketPublicAccessBlock settings true)."]);
    });
    it("does not let one bucket's settings stand in for another's", async () => {
      const [bucketB] = bucketWith("other", {});
      const found = await check(s3BucketsPolicy, [...bucketWith("raw", { rules: [expire(7)] }, true), { ...bucketB!, outputs: { bucket: "other", id: UNKNOWN } }]);
      assert.equal(found.length, 3, found.join("\n"));
      assert.ok(found.every((f) => f.startsWith("Bucket other ")));
    });
  });
});
