import { strict as assert } from "node:assert";
import { s3BucketInlinePolicy } from "../../policy/rules/s3BucketInline";
import { check } from "./harness";

const bucket = (props: Record<string, unknown>) => ({ type: "aws:s3/bucket:Bucket", props: { bucket: "b", forceDestroy: true, ...props } });

describe("s3-bucket-destroyable", () => {
  it("passes the lab's bucket, and versioning a provider filled in as disabled", async () => {
    assert.deepEqual(
      await check(s3BucketInlinePolicy, [
        bucket({ tags: { team: "t" } }),
        bucket({ versioning: { enabled: false, mfaDelete: false }, objectLockEnabled: false }),
      ]),
      [],
    );
  });
  it("refuses a bucket destroy cannot empty", async () =>
    assert.deepEqual(await check(s3BucketInlinePolicy, [bucket({ forceDestroy: false })]), [
      "forceDestroy must be true: `pulumi destroy` must be able to empty the bucket.",
    ]));
  // Issue 14, input 5: versioning, and an object lock in COMPLIANCE mode until 2099.
  it("refuses versioning", async () =>
    assert.match(
      (await check(s3BucketInlinePolicy, [bucket({ versioning: { enabled: true } })])).join(),
      /versioning keeps every deleted object/,
    ));
  it("refuses an object lock in COMPLIANCE mode", async () => {
    const found = await check(s3BucketInlinePolicy, [
      bucket({
        objectLockEnabled: true,
        objectLockConfiguration: { objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", years: 73 } } },
      }),
    ]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found.join(), /an object lock can make destroy impossible/);
  });
  it("refuses a public-read ACL and a website", async () =>
    assert.equal(
      (await check(s3BucketInlinePolicy, [bucket({ acl: "public-read", website: { indexDocument: "index.html" } })])).length,
      2,
    ));
});
