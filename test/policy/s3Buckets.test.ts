import { strict as assert } from "node:assert";
import { partialCoverage, s3BucketsPolicy } from "../../policy/rules/s3Buckets";
import { check, UNKNOWN, type FakeResource } from "./harness";

interface Settings {
  block?: boolean;
  sse?: boolean;
  rules?: Record<string, unknown>[];
}

const expire = (days: number, extra: Record<string, unknown> = {}) => ({
  id: "expire",
  status: "Enabled",
  filter: { prefix: "" },
  expiration: { days },
  ...extra,
});

/**
 * A bucket and its settings. `firstPreview`: the bucket's id (what settings get as `bucket`) is
 * unknown, as in a real first preview, and the settings are tied to the bucket by URN only.
 */
function bucketWith(name: string, s: Settings, firstPreview = false): FakeResource[] {
  const ref = firstPreview ? UNKNOWN : name;
  const deps = firstPreview ? { bucket: [name] } : undefined;
  const setting = (type: string, suffix: string, props: Record<string, unknown>): FakeResource => ({
    type,
    name: `${name}-${suffix}`,
    props: { bucket: ref, ...props },
    propertyDependencies: deps,
  });
  return [
    {
      type: "aws:s3/bucket:Bucket",
      name,
      props: { bucket: name, forceDestroy: true },
      outputs: { bucket: name, id: firstPreview ? UNKNOWN : name, arn: firstPreview ? UNKNOWN : `arn:aws:s3:::${name}` },
    },
    ...(s.block === undefined || s.block
      ? [
          setting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: s.block ?? true,
          }),
        ]
      : [
          setting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: false,
          }),
        ]),
    ...(s.sse === false
      ? []
      : [
          setting("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          }),
        ]),
    ...(s.rules === undefined
      ? []
      : [setting("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", { rules: s.rules })]),
  ];
}

describe("s3-private-encrypted-expiring", () => {
  it("passes a private, encrypted bucket expiring everything after 7 days", async () =>
    assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(7)] })), []));
  it("passes a rule with no filter at all", async () =>
    assert.deepEqual(
      await check(s3BucketsPolicy, bucketWith("raw", { rules: [{ id: "x", status: "Enabled", expiration: { days: 3 } }] })),
      [],
    ));
  it("refuses a bucket that is not fully private, not encrypted and never expires", async () => {
    const found = await check(s3BucketsPolicy, bucketWith("raw", { block: false, sse: false }));
    assert.deepEqual(found, [
      "Bucket raw does not block all public access (all four BucketPublicAccessBlock settings true).",
      "Bucket raw has no default encryption configuration.",
      "Bucket raw has no enabled lifecycle rule expiring every object.",
    ]);
  });
  // Issue 14, input 6: the config value 30 that config used to accept.
  it("refuses expiry after 30 days", async () =>
    assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(30)] })), [
      "Bucket raw expires objects after 30 days; at most 14.",
    ]));
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
    it("pairs settings with their bucket by URN and passes the program's shape", async () =>
      assert.deepEqual(await check(s3BucketsPolicy, bucketWith("raw", { rules: [expire(7)] }, true)), []));
    it("refuses a public bucket before it exists", async () => {
      const found = await check(s3BucketsPolicy, bucketWith("raw", { block: false, rules: [expire(7)] }, true));
      assert.deepEqual(found, ["Bucket raw does not block all public access (all four BucketPublicAccessBlock settings true)."]);
    });
    it("does not let one bucket's settings stand in for another's", async () => {
      const [bucketB] = bucketWith("other", {});
      const found = await check(s3BucketsPolicy, [
        ...bucketWith("raw", { rules: [expire(7)] }, true),
        { ...bucketB!, outputs: { bucket: "other", id: UNKNOWN } },
      ]);
      assert.equal(found.length, 3, found.join("\n"));
      assert.ok(found.every((f) => f.startsWith("Bucket other ")));
    });
  });
  // The Flink job's code bucket keeps the JAR until destroy (components/analytics.ts): allowed only
  // for a bucket holding the stack's own objects that no policy of the stack lets anyone write.
  describe("a bucket that keeps the stack's own objects", () => {
    const abortOnly = [
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: { prefix: "" },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ];
    const jar: FakeResource = { type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "jar", props: { bucket: "code", key: "code/job.jar" } };
    const role = (statement: Record<string, unknown>, firstPreview = false): FakeResource => ({
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "app-role-policy",
      props: { role: "app", policy: { Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", ...statement }] } },
      propertyDependencies: firstPreview ? { policy: ["code"] } : undefined,
    });
    const code = (...more: FakeResource[]) => [...bucketWith("code", { rules: abortOnly }), jar, ...more];

    it("passes when the stack only reads it", async () =>
      assert.deepEqual(
        await check(
          s3BucketsPolicy,
          code(role({ Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "arn:aws:s3:::code/code/job.jar" })),
        ),
        [],
      ));
    it("passes at a first preview, the reader's ARN unknown but its action known", async () =>
      assert.deepEqual(await check(s3BucketsPolicy, code(role({ Action: "s3:GetObject", Resource: [UNKNOWN] }, true))), []));
    it("still needs expiry without an object of the stack in it", async () =>
      assert.deepEqual(await check(s3BucketsPolicy, bucketWith("code", { rules: abortOnly })), [
        "Bucket code has no enabled lifecycle rule expiring every object: rule abort-incomplete-uploads has no expiration in days.",
      ]));
    for (const [label, statement] of [
      ["s3:PutObject on its objects", { Action: "s3:PutObject", Resource: "arn:aws:s3:::code/uploads/*" }],
      ["s3:Put* on every bucket", { Action: "S3:Put*", Resource: "arn:aws:s3:::*" }],
      ["s3:* on *", { Action: "s3:*", Resource: "*" }],
      ["ReplicateObject into it", { Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::code/*" }],
      ["NotAction", { NotAction: "iam:*", Resource: "arn:aws:s3:::code/*" }],
      ["NotResource", { Action: "s3:PutObject", NotResource: "arn:aws:s3:::raw/*" }],
    ] as const) {
      it(`refuses it when a role may write it: ${label}`, async () => {
        const found = await check(s3BucketsPolicy, code(role(statement)));
        assert.deepEqual(found, [
          "Bucket code has no enabled lifecycle rule expiring every object: rule abort-incomplete-uploads has no expiration in days (objects may be put into it by app-role-policy (policy, statement S)).",
        ]);
      });
    }
    it("does not count a writer of another bucket, nor of a bucket whose name merely starts the same", async () =>
      assert.deepEqual(
        await check(s3BucketsPolicy, code(role({ Action: "s3:PutObject", Resource: ["arn:aws:s3:::raw/*", "arn:aws:s3:::code-other/*"] }))),
        [],
      ));
    it("refuses it at a first preview when a writer's ARN, still unknown, was built from it", async () => {
      const found = await check(s3BucketsPolicy, code(role({ Action: "s3:PutObject", Resource: [UNKNOWN] }, true)));
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0]!, /objects may be put into it by app-role-policy/);
    });
    it("refuses it when its bucket policy lets a principal write it", async () => {
      const policy: FakeResource = {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        name: "code-open",
        props: {
          bucket: "code",
          policy: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "Drop",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::code/*",
              },
            ],
          },
        },
      };
      const found = await check(s3BucketsPolicy, code(policy));
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0]!, /objects may be put into it by code-open \(policy, statement Drop\)/);
    });
  });
});
