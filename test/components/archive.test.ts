import { strict as assert } from "node:assert";
import { grants, runTeam, statements, type TeamRun } from "../support";

const RAW = "clickstream-alpha-raw-123456789012";

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

  // The raw bucket's settings, with the other buckets': test/components/buckets.test.ts.
  it("writes only the raw bucket: the processed bucket is the alert's", () => {
    const raw = run.one("aws:s3/bucket:Bucket", "archive-raw");
    assert.equal(raw.inputs.bucket, RAW);
    assert.deepEqual(
      run
        .all("aws:s3/bucket:Bucket")
        .filter((b) => b.name.startsWith("archive"))
        .map((b) => b.name),
      ["archive-raw"],
    );
  });

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
    assert.deepEqual(Object.fromEntries(grants(run, "clickstream-alpha-firehose")), {
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
    });
  });
});
