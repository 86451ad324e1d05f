// The team's three buckets: each owned by the component that writes it, each private, encrypted,
// TLS-only and emptied on destroy; lab data expires, the Flink job's code does not.

import { strict as assert } from "node:assert";
import { MockAccount } from "../../offline/fakeAws/account";
import { SecureBucket } from "../../components/secureBucket";
import { statements, type TeamRun } from "../support";
import { runTeamComponents, type RegisteredComponent } from "./componentTree";

const STACK = "urn:pulumi:clickstream-alpha::clickstream-lab::";
const BUCKETS = [
  { purpose: "raw", component: "archive-raw", owner: "clickstream:index:Archive", writer: "Firehose", expires: 3 },
  { purpose: "processed", component: "alert-processed", owner: "clickstream:index:Alert", writer: "the alert Lambda", expires: 3 },
  { purpose: "code", component: "analytics-code", owner: "clickstream:index:Analytics", writer: "Pulumi (the JAR)", expires: undefined },
] as const;

describe("buckets", () => {
  let run: TeamRun;
  let components: RegisteredComponent[];
  before(async () => {
    ({ run, components } = await runTeamComponents({ bucketExpirationDays: "3" }));
  });

  for (const b of BUCKETS) {
    const name = `clickstream-alpha-${b.purpose}-123456789012`;
    describe(`the ${b.purpose} bucket`, () => {
      const of = (type: string) => {
        const found = run.all(type).filter((r) => r.inputs.bucket === name);
        assert.equal(found.length, 1, `${type} of ${name}`);
        return found[0]!;
      };

      it(`belongs to the component of its writer, ${b.writer}`, () => {
        assert.ok(
          components.some((c) => c.urn === `${STACK}${b.owner}$clickstream:index:SecureBucket::${b.component}`),
          components.map((c) => c.urn).join("\n"),
        );
        assert.equal(of("aws:s3/bucket:Bucket").name, b.component);
      });

      it("is emptied on destroy", () => assert.equal(of("aws:s3/bucket:Bucket").inputs.forceDestroy, true));

      it("blocks all public access", () => {
        const p = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([p.blockPublicAcls, p.blockPublicPolicy, p.ignorePublicAcls, p.restrictPublicBuckets], [true, true, true, true]);
      });

      it("encrypts by default", () => {
        const rules = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as {
          applyServerSideEncryptionByDefault: { sseAlgorithm: string };
        }[];
        assert.equal(rules[0]!.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
      });

      it("denies every request that is not TLS", () => {
        const [s] = statements(of("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
        assert.deepEqual([s!.Effect, s!.Principal, s!.Action], ["Deny", "*", "s3:*"]);
        assert.deepEqual(s!.Resource, [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`]);
        assert.deepEqual(s!.Condition, { Bool: { "aws:SecureTransport": "false" } });
      });

      const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } };
      if (b.expires !== undefined) {
        it("expires every object after the configured days, and unfinished uploads after one", () =>
          assert.deepEqual(of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules, [
            { id: "expire-lab-data", status: "Enabled", filter: { prefix: "" }, expiration: { days: b.expires }, ...abort },
          ]));
      } else {
        it("keeps its objects until destroy, and cleans up only unfinished uploads", () =>
          assert.deepEqual(of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules, [
            { id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "" }, ...abort },
          ]));
      }
    });
  }

  it("creates no bucket but these three", () =>
    assert.deepEqual(
      run
        .all("aws:s3/bucket:Bucket")
        .map((b) => b.name)
        .sort(),
      BUCKETS.map((b) => b.component).sort(),
    ));

  it("keeps a deployed stack's processed bucket: aliased to the URN it had under the Archive component", () => {
    const processed = components.find((c) => c.name === "alert-processed")!;
    assert.ok(
      processed.aliases.includes(`${STACK}clickstream:prelab:Archive$clickstream:storage:SecureBucket::archive-processed`),
      processed.aliases.join("\n"),
    );
  });

  it("refuses an expiry that is not a whole number of days, 1 or more, naming the field", async () => {
    for (const days of [0, -1, 1.5, Number.NaN]) {
      const account = new MockAccount();
      await assert.rejects(
        account.run("s", () => new SecureBucket("b", { bucketName: "b-123", expirationDays: days })),
        /SecureBucket b: expirationDays must be a whole number of days, 1 or more/,
      );
    }
  });
});
