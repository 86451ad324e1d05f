import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { csvLine, message, objectKey, parseRow, type AnomalyRow } from "../../lambda/alert";
import { bundleAlert } from "../../lambda/bundle";
import { startMoto, type LocalAws } from "../../offline/moto";

const ROW: AnomalyRow = { ctrPercent: 366.6666666666667, anomalyScore: 3.4977, clicks: 44, impressions: 12, windowStart: "2026-12-31T23:59:50Z", windowEnd: "2027-01-01T00:00:00Z" };

function kinesisEvent(datas: string[]): KinesisStreamEvent {
  return {
    Records: datas.map((d, i) => ({
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `shardId-000000000000:${4950 + i}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "arn:aws:iam::123456789012:role/x",
      awsRegion: "us-east-1",
      eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/e-t-anomalies",
      kinesis: { kinesisSchemaVersion: "1.0", partitionKey: "k", sequenceNumber: `4950${i}`, data: Buffer.from(d).toString("base64"), approximateArrivalTimestamp: 1_800_000_000 },
    })),
  };
}

describe("alert Lambda", () => {
  it("writes the 2020 lab's message", () => {
    assert.equal(
      message({ ...ROW, ctrPercent: 3231.818181818182, anomalyScore: 2.1384996930666254 }),
      "Anomaly detected with a click through rate of 3231.818181818182% and an anomaly score of 2.1384996930666254",
    );
  });

  it("files each anomaly by its window's UTC date, months 01 to 12", () => {
    assert.equal(objectKey(ROW, "4950"), "weblogs/processed/2026/12/31/4950.csv");
    assert.equal(objectKey({ ...ROW, windowStart: "2027-01-05T00:00:00Z" }, "1"), "weblogs/processed/2027/01/05/1.csv");
    assert.equal(csvLine(ROW), "366.6666666666667,3.4977,44,12,2026-12-31T23:59:50Z,2027-01-01T00:00:00Z\n");
  });

  it("names what is wrong with a record that is not an anomaly row", () => {
    assert.throws(() => parseRow("nope"), /not JSON/);
    assert.throws(() => parseRow("[1]"), /ctrPercent is not a number/);
    assert.throws(() => parseRow(JSON.stringify({ ...ROW, clicks: "44" })), /clicks is not a number/);
    assert.throws(() => parseRow(JSON.stringify({ ...ROW, windowEnd: "yesterday" })), /windowEnd is not an ISO 8601 UTC time/);
  });

  describe("the deployed bundle against SNS and S3 on a local endpoint (moto on 127.0.0.1)", function () {
    this.timeout(120_000);
    let moto: LocalAws;
    const saved = { ...process.env };
    before(async () => {
      moto = await startMoto();
    });
    after(async () => {
      process.env = saved;
      await moto?.stop();
    });

    it("publishes the message, stores the CSV, and reports exactly the malformed records as item failures", async () => {
      const config = { region: "us-east-1", endpoint: moto.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } };
      const sns = new SNSClient(config);
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      const sqs = new SQSClient(config);
      const topicArn = (await sns.send(new CreateTopicCommand({ Name: "e-t-alerts" }))).TopicArn!;
      await s3.send(new CreateBucketCommand({ Bucket: "e-t-processed-123456789012" }));
      // An e-mail inbox stand-in: a queue subscribed to the topic receives what e-mail would.
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "inbox" }))).QueueUrl!;
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn }));

      // The artifact the component deploys, run as Lambda would run it: from its own file, configured by environment.
      const dir = join(__dirname, "..", "..", "node_modules", ".cache", "alert-test");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "index.js"), bundleAlert());
      Object.assign(process.env, {
        TOPIC_ARN: topicArn,
        PROCESSED_BUCKET: "e-t-processed-123456789012",
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { handler } = require(join(dir, "index.js")) as { handler: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse> };

      const second: AnomalyRow = { ...ROW, ctrPercent: 3231.818181818182, anomalyScore: 2.1384996930666254, windowStart: "2027-01-01T00:00:00Z", windowEnd: "2027-01-01T00:00:10Z" };
      const result = await handler(kinesisEvent([JSON.stringify(ROW), "{not json", JSON.stringify(second), JSON.stringify({ ctrPercent: 1 })]));
      assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "49501" }, { itemIdentifier: "49503" }] });

      const got: { Subject: string; Message: string }[] = [];
      for (let i = 0; i < 10 && got.length < 2; i++) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of r.Messages ?? []) got.push(JSON.parse(m.Body!) as { Subject: string; Message: string });
      }
      assert.deepEqual(
        got.map((m) => [m.Subject, m.Message]).sort(),
        [
          ["Anomaly Detected", "Anomaly detected with a click through rate of 3231.818181818182% and an anomaly score of 2.1384996930666254"],
          ["Anomaly Detected", "Anomaly detected with a click through rate of 366.6666666666667% and an anomaly score of 3.4977"],
        ],
      );

      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: "e-t-processed-123456789012" }))).Contents ?? []).map((o) => o.Key!).sort();
      assert.deepEqual(keys, ["weblogs/processed/2026/12/31/49500.csv", "weblogs/processed/2027/01/01/49502.csv"]);
      const body = await (await s3.send(new GetObjectCommand({ Bucket: "e-t-processed-123456789012", Key: keys[0] }))).Body!.transformToString();
      assert.equal(body, "366.6666666666667,3.4977,44,12,2026-12-31T23:59:50Z,2027-01-01T00:00:00Z\n");
      [sns, s3, sqs].forEach((c) => c.destroy());
    });

    it("is bundled small, with the AWS SDK left to the runtime", () => {
      const code = bundleAlert();
      assert.ok(code.length < 100_000, `bundle is ${code.length} bytes`);
      assert.match(code, /require\("@aws-sdk\/client-sns"\)/);
    });
  });
});
