import { strict as assert } from "node:assert";
import { grants, runTeam, statements, type TeamRun } from "../support";

const RAW = "clickstream-alpha-raw-123456789012";
const PROCESSED = "clickstream-alpha-processed-123456789012";

describe("archive", () => {
  let run: TeamRun;
  before(async () => {
    run = await runTeam({ bucketExpirationDays: "3", logRetentionDays: "14" });
  });

  it("delivers the ingest stream to the raw bucket as GZIP under weblogs/raw/, every 60 s", () => {
    const f = run.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
    assert.equal(f.inputs.name, "clickstream-alpha-archive");
    assert.equal(f.inputs.destination, "extended_s3");
    const source = f.inputs.kinesisSourceConfiguration as Record<string, string>;
    assert.equal(source.kinesisStreamArn, "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-clicks");
    const s3 = f.inputs.extendedS3Configuration as Record<string, unknown>;
    assert.equal(s3.bucketArn, `arn:aws:s3:::${RAW}`);
    assert.equal(s3.prefix, "weblogs/raw/");
    assert.match(String(s3.errorOutputPrefix), /^weblogs\/raw-errors\/!\{firehose:error-output-type\}\/$/);
    assert.equal(s3.compressionFormat, "GZIP");
    assert.equal(s3.bufferingInterval, 60);
    assert.deepEqual(s3.cloudwatchLoggingOptions, {
      enabled: true,
      logGroupName: "/aws/kinesisfirehose/clickstream-alpha-archive",
      logStreamName: "S3Delivery",
    });
    assert.equal(run.one("aws:cloudwatch/logGroup:LogGroup", "archive-logs").inputs.retentionInDays, 14);
  });

  for (const [label, bucket] of [["raw", RAW], ["processed", PROCESSED]] as const) {
    describe(`the ${label} bucket`, () => {
      const of = (type: string) => run.all(type).find((r) => r.inputs.bucket === bucket)!;

      it("is emptied on destroy", () => assert.equal(of("aws:s3/bucket:Bucket").inputs.forceDestroy, true));

      it("blocks all public access", () => {
        const b = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([b.blockPublicAcls, b.blockPublicPolicy, b.ignorePublicAcls, b.restrictPublicBuckets], [true, true, true, true]);
      });

      it("encrypts by default", () => {
        const rules = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        assert.equal(rules[0]!.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
      });

      it("expires objects after the configured days", () => {
        const rules = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as { status: string; expiration: { days: number } }[];
        assert.equal(rules.length, 1);
        assert.equal(rules[0]!.status, "Enabled");
        assert.equal(rules[0]!.expiration.days, 3);
      });

      it("denies every request that is not TLS", () => {
        const [s] = statements(of("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
        assert.equal(s!.Effect, "Deny");
        assert.equal(s!.Principal, "*");
        assert.deepEqual(s!.Resource, [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
        assert.deepEqual(s!.Condition, { Bool: { "aws:SecureTransport": "false" } });
      });
    });
  }

  it("lets Firehose assume its role only for this account", () => {
    const role = run.one("aws:iam/role:Role", "archive-role");
    assert.equal(role.inputs.name, "clickstream-alpha-firehose");
    const [t] = statements(role.inputs.assumeRolePolicy);
    assert.deepEqual(t!.Principal, { Service: "firehose.amazonaws.com" });
    assert.equal(t!.Action, "sts:AssumeRole");
    assert.deepEqual(t!.Condition, { StringEquals: { "sts:ExternalId": "123456789012" } });
  });

  it("grants Firehose exactly the reads, writes and log calls it needs, on this team's resources", () => {
    const stream = "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-clicks";
    const raw = [`arn:aws:s3:::${RAW}`, `arn:aws:s3:::${RAW}/*`];
    assert.deepEqual(
      Object.fromEntries(grants(run, "clickstream-alpha-firehose")),
      {
        "kinesis:DescribeStream": [stream],
        "kinesis:GetShardIterator": [stream],
        "kinesis:GetRecords": [stream],
        "kinesis:ListShards": [stream],
        "s3:AbortMultipartUpload": raw,
        "s3:GetBucketLocation": raw,
        "s3:GetObject": raw,
        "s3:ListBucket": raw,
        "s3:ListBucketMultipartUploads": raw,
        "s3:PutObject": raw,
        "logs:PutLogEvents": ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/clickstream-alpha-archive:log-stream:*"],
      },
    );
  });
});
