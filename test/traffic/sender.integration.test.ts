import { strict as assert } from "node:assert";
import { CreateDeliveryStreamCommand, FirehoseClient } from "@aws-sdk/client-firehose";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { profile, schedule, withSequence, type ScheduledRecord } from "../../traffic/profiles";
import { send } from "../../traffic/sender";
import { firehoseTarget, kinesisClientConfig, kinesisTarget } from "../../traffic/targets";
import { startMoto, type LocalAws } from "../../offline/moto";
import { startLocalKinesis } from "../../local/kinesisServer";

const region = "us-east-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

interface Tagged {
  browseraction: string;
  producer: string;
  seq: number;
}

async function readStream(client: KinesisClient, stream: string): Promise<{ key: string; rec: Tagged }[]> {
  const out: { key: string; rec: Tagged }[] = [];
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  for (const shard of shards) {
    let it = (
      await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: "TRIM_HORIZON" }))
    ).ShardIterator;
    for (;;) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: it!, Limit: 10_000 }));
      for (const r of page.Records ?? [])
        out.push({ key: r.PartitionKey!, rec: JSON.parse(Buffer.from(r.Data!).toString("utf8")) as Tagged });
      if (!page.Records?.length) break;
      it = page.NextShardIterator;
    }
  }
  return out;
}

/** Every scheduled record arrived once, and each producer's in its own order. */
function assertExactlyOnceInOrder(arrived: { key: string; rec: Tagged }[], sent: readonly ScheduledRecord[]): void {
  const byProducer = new Map<string, number[]>();
  for (const { key, rec } of arrived) {
    assert.equal(key, rec.producer, "partition key is the producer, so one window's records share a shard");
    byProducer.set(rec.producer, [...(byProducer.get(rec.producer) ?? []), rec.seq]);
  }
  const expected = new Map<string, number>();
  for (const r of sent) expected.set(r.producer, (expected.get(r.producer) ?? 0) + 1);
  assert.deepEqual([...byProducer.keys()].sort(), [...expected.keys()].sort());
  for (const [producer, seqs] of byProducer) assert.deepEqual(seqs, [...Array(expected.get(producer)).keys()], `records of ${producer}`);
}

describe("traffic sender against a local Kinesis endpoint (moto on 127.0.0.1)", function () {
  this.timeout(120_000);
  let moto: LocalAws;
  let kinesis: KinesisClient;
  before(async () => {
    moto = await startMoto();
    kinesis = new KinesisClient(kinesisClientConfig({ region, endpoint: moto.endpoint }));
  });
  after(async () => {
    kinesis?.destroy();
    await moto?.stop();
  });

  it("delivers the lab's script exactly once, in order per window, with the lab's mix", async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: "lab-clicks", ShardCount: 2 }));
    const records = withSequence(
      schedule(profile("lab", { steadySeconds: 40, afterBurstSeconds: 20, burstSeconds: 20 }), { compression: 40 }),
    );
    const target = kinesisTarget("lab-clicks", { region, endpoint: moto.endpoint });
    const report = await send(records, target);
    target.close();
    assert.deepEqual([report.sent, report.failed, report.unsent], [records.length, 0, 0]);
    const arrived = await readStream(kinesis, "lab-clicks");
    assertExactlyOnceInOrder(arrived, records);
    const count = (a: string) => arrived.filter((x) => x.rec.browseraction === a).length;
    assert.equal(count("Impression"), 60);
    assert.equal(count("Click"), 60 + 3 * 20);
  });

  it("plays in real time: a compressed 20 s profile takes about 2 s", async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: "paced", ShardCount: 1 }));
    const records = schedule(profile("steady", { steadySeconds: 20 }), { compression: 10 });
    const target = kinesisTarget("paced", { region, endpoint: moto.endpoint });
    const report = await send(records, target);
    target.close();
    assert.equal(report.sent, 40);
    // The last send is due at about 1.9 s; a sender that ignores the schedule finishes in a few ms.
    assert.ok(report.elapsedMs > 1500, `took ${report.elapsedMs} ms`);
  });

  it("stops with a report when a named stream does not exist, saying which, and accounts for every record", async () => {
    const target = kinesisTarget("no-such-stream", { region, endpoint: moto.endpoint });
    const report = await send(schedule(profile("steady", { steadySeconds: 1 }), { compression: 100 }), target);
    target.close();
    assert.ok(report.stopped);
    assert.match(report.stopReason!, /Kinesis data stream no-such-stream failed: ResourceNotFoundException: .*no-such-stream/);
    assert.equal(report.retried, 0, "not a reason to try again");
    assert.equal(report.sent + report.failed + report.unsent, 2);
    assert.ok(report.failed > 0 && report.failures.every((f) => f.code === "ResourceNotFoundException"));
  });

  it("sends to a Firehose direct-put delivery stream, one JSON object per line", async () => {
    const s3 = new S3Client({ region, endpoint: moto.endpoint, credentials, forcePathStyle: true });
    const firehose = new FirehoseClient({ region, endpoint: moto.endpoint, credentials });
    await s3.send(new CreateBucketCommand({ Bucket: "raw" }));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: "lab-archive",
        DeliveryStreamType: "DirectPut",
        ExtendedS3DestinationConfiguration: {
          BucketARN: "arn:aws:s3:::raw",
          RoleARN: "arn:aws:iam::123456789012:role/firehose",
          Prefix: "weblogs/raw/",
        },
      }),
    );
    const records = withSequence(schedule(profile("steady", { steadySeconds: 5 }), { compression: 50 }));
    const target = firehoseTarget("lab-archive", { region, endpoint: moto.endpoint });
    const report = await send(records, target);
    target.close();
    assert.equal(report.sent, 10);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: "raw", Prefix: "weblogs/raw/" }))).Contents ?? [];
    const lines: string[] = [];
    for (const k of keys)
      lines.push(
        ...(await (await s3.send(new GetObjectCommand({ Bucket: "raw", Key: k.Key! }))).Body!.transformToString())
          .split("\n")
          .filter(Boolean),
      );
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as Tagged).seq).sort(), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    s3.destroy();
    firehose.destroy();
  });
});

describe("traffic sender's retries against a throttling endpoint", function () {
  this.timeout(60_000);

  it("retries only the refused records: nothing lost, nothing duplicated", async () => {
    const stub = await startLocalKinesis({ streams: { s: 1 }, writeLimit: { refuseEvery: 3 } });
    const records = withSequence(
      schedule(profile("lab", { steadySeconds: 20, afterBurstSeconds: 10, burstSeconds: 10 }), { compression: 100 }),
    );
    const target = kinesisTarget("s", { region, endpoint: stub.endpoint });
    const report = await send(records, target, { startingDelayMs: 1 });
    target.close();
    await stub.close();
    assert.ok(stub.refusals > 0 && report.retried === stub.refusals, `retried ${report.retried}, refused ${stub.refusals}`);
    assert.deepEqual([report.sent, report.failed], [records.length, 0]);
    const seen = stub.records("s").map((a) => JSON.parse(a.data) as Tagged);
    assert.equal(new Set(seen.map((t) => `${t.producer}/${t.seq}`)).size, records.length, "each record accepted exactly once");
  });

  it("backs off under a one-shard limit (1,000 records/s) and loses nothing at 2,000/s offered", async () => {
    const stub = await startLocalKinesis({ streams: { s: 1, bench: 1 }, writeLimit: { recordsPerSecond: 1000 } });
    const records = withSequence(schedule(profile("steady", { steadySeconds: 2, rate: 1000 }), { jitterMs: 0 }));
    const target = kinesisTarget("s", { region, endpoint: stub.endpoint });
    const report = await send(records, target, { startingDelayMs: 20, maxAttempts: 20 });
    target.close();
    await stub.close();
    assert.ok(stub.refusals > 0, "the limit was hit");
    assert.deepEqual([report.sent, report.failed, stub.records("s").length], [4000, 0, 4000]);
  });

  it("counts records that still fail after the last attempt, and reports them instead of dropping them", async () => {
    const stub = await startLocalKinesis({ streams: { s: 1 }, writeLimit: { recordsPerSecond: 0 } });
    const records = schedule(profile("steady", { steadySeconds: 3 }), { compression: 100 });
    const target = kinesisTarget("s", { region, endpoint: stub.endpoint });
    const report = await send(records, target, { startingDelayMs: 1, maxAttempts: 3 });
    target.close();
    await stub.close();
    assert.deepEqual([report.sent, report.failed], [0, 6]);
    assert.equal(report.retried, 6 * 2, "two retries of each of the six records");
    assert.ok(report.failures.every((f) => f.code === "ProvisionedThroughputExceededException"));
  });

  it("on stop, delivers what is batched and counts the rest as unsent", async () => {
    const stub = await startLocalKinesis({ streams: { s: 1, bench: 1 } });
    const records = schedule(profile("steady", { steadySeconds: 30 }), { compression: 10 });
    const target = kinesisTarget("s", { region, endpoint: stub.endpoint });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1000);
    const report = await send(records, target, { signal: stop.signal });
    target.close();
    await stub.close();
    assert.ok(report.stopped && report.unsent > 0 && report.sent > 0);
    assert.equal(report.stopReason, "interrupted");
    assert.equal(report.sent + report.failed + report.unsent, records.length);
    assert.equal(stub.records("s").length, report.sent);
  });
});
