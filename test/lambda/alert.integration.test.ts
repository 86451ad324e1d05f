// The alert path against moto's Kinesis, SNS, SQS and S3 on 127.0.0.1, fed by a replay of
// Lambda's documented retry rules (eventSourceMapping.ts) with the deployed mapping's settings:
// whatever fails, retries, bisects or comes again, each anomalous window is e-mailed once (the
// inbox is an SQS queue subscribed to the topic). The one documented exception, a function that
// dies after SNS took the message and before the ledger recorded it, is shown as such.

import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { ROOT } from "../../paths";
import { bundleAlert } from "../../lambda/bundle";
import { startMoto, type LocalAws } from "../../offline/moto";
import { ALERT_MAPPING } from "../../components/alert";
import { injectFaults, ledgerWrite, s3InternalError, snsThrottled } from "./faults";
import { deployedSettings, row, team, type Team } from "./harness";

describe("alert path on moto, under Lambda's retry rules", function () {
  this.timeout(120_000);
  let moto: LocalAws;
  let t: Team;
  before(async () => {
    moto = await startMoto();
  });
  beforeEach(async () => {
    t = await team(moto.endpoint);
  });
  afterEach(() => t?.destroy());
  after(async () => moto?.stop());

  const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i));
  const ones = (n: number) => Array<number>(n).fill(1);

  it("moto's S3 honours If-None-Match: * on PutObject (412 PreconditionFailed), which the ledger relies on", async () => {
    const put = () => t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: "alert-ledger/probe", Body: "{}", IfNoneMatch: "*" }));
    await put();
    await assert.rejects(
      put(),
      (e: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        e.name === "PreconditionFailed" && e.$metadata?.httpStatusCode === 412,
    );
  });

  it("e-mails each of 25 anomalies once, stores its CSV and records it published (3 batches)", async () => {
    await t.put(rows(25));
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    assert.deepEqual(await t.mailsPer(25), ones(25));
    assert.equal(mapping.invocations.length, 3);
    assert.equal((await t.csvKeys()).length, 25);
    const ledger = [...(await t.ledger()).values()];
    assert.equal(ledger.length, 25);
    assert.ok(ledger.every((e) => e.state === "published" && e.messageId));
  });

  it("a transient S3 failure in a batch of three: the rest is delivered again, nothing is e-mailed twice", async () => {
    const seqs = await t.put(rows(3));
    // The second window's claim fails after the SDK's own retries.
    const faults = injectFaults(t.s3, [{ command: "PutObjectCommand", when: ledgerWrite("claimed"), skip: 1, effect: s3InternalError() }]);
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    assert.equal(faults.fired[0], 1);
    assert.deepEqual(mapping.invocations[0]!.reported, [seqs[1], seqs[2]], "the failed record and every one after it");
    assert.ok(mapping.invocations.length > 1, "Lambda delivered the rest again");
    assert.deepEqual(await t.mailsPer(3), [1, 1, 1]);
    assert.deepEqual(await t.failed(), []);
  });

  it("a transient failure of the CSV write releases the window, and the retry e-mails it once", async () => {
    await t.put(rows(3));
    injectFaults(t.s3, [
      { command: "PutObjectCommand", when: (i) => String(i.Key).startsWith("weblogs/processed/"), skip: 1, effect: s3InternalError() },
    ]);
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    assert.deepEqual(await t.mailsPer(3), [1, 1, 1]);
    assert.equal((await t.csvKeys()).length, 3);
  });

  it("a failed write of the 'published' mark does not send the e-mail again", async () => {
    await t.put(rows(3));
    injectFaults(t.s3, [{ command: "PutObjectCommand", when: ledgerWrite("published"), skip: 1, effect: s3InternalError() }]);
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    assert.deepEqual(await t.mailsPer(3), [1, 1, 1]);
    assert.equal(mapping.invocations.length, 1, "the record succeeded: its e-mail went out");
    assert.ok(t.logs.some((l) => /"ledger":"not recorded: InternalError/.test(l)));
  });

  it("SNS throttling the 2nd publish of 5: retried in the handler when brief, by Lambda when longer; once each", async () => {
    await t.put(rows(5));
    const brief = injectFaults(t.sns, [{ command: "PublishCommand", skip: 1, times: 2, effect: snsThrottled() }]);
    const first = t.mapping(t.handler());
    await first.drain();
    assert.equal(brief.fired[0], 2);
    assert.equal(first.invocations.length, 1, "two throttled answers are retried inside the invocation");
    assert.deepEqual(await t.mailsPer(5), ones(5));

    const t2 = await team(moto.endpoint);
    try {
      await t2.put(rows(5));
      const long = injectFaults(t2.sns, [{ command: "PublishCommand", skip: 1, times: 4, effect: snsThrottled() }]);
      const mapping = t2.mapping(t2.handler());
      await mapping.drain();
      assert.equal(long.fired[0], 4);
      assert.ok(mapping.invocations.length > 1);
      assert.deepEqual(await t2.mailsPer(5), ones(5));
      assert.deepEqual(await t2.failed(), []);
    } finally {
      t2.destroy();
    }
  });

  // Both readings of how bisect treats the records after a partial response (eventSourceMapping.ts).
  for (const partialResponse of ["halves", "whole"] as const)
    for (const [where, at] of [
      ["first", 0],
      ["in the middle", 4],
      ["last", 9],
    ] as const) {
      it(`a poison record ${where} of a batch of ten (${partialResponse}) is reported until it goes to the on-failure queue; the nine anomalies go out once`, async () => {
        const data: (ReturnType<typeof row> | string)[] = rows(9);
        data.splice(at, 0, "{not json");
        const seqs = await t.put(data);
        const poison = seqs[at]!;
        const mapping = t.mapping(t.handler(), { ...deployedSettings(), partialResponse });
        await mapping.drain();
        assert.deepEqual(await t.mailsPer(9), ones(9));
        // Every invocation that held the poison record reported it, and every record after it.
        const held = mapping.invocations.filter((i) => i.sequenceNumbers.includes(poison));
        assert.ok(
          held.every((i) => i.reported[0] === poison && i.reported.length === i.sequenceNumbers.length - i.sequenceNumbers.indexOf(poison)),
        );
        assert.equal(
          held.length,
          (partialResponse === "halves" ? Math.ceil(Math.log2(10 - at)) : 0) + 1 + ALERT_MAPPING.maximumRetryAttempts,
        );
        // Then the mapping gave up on it: the queue names it (alone once bisected, or with the records after it).
        const failed = await t.failed();
        assert.equal(failed.length, 1);
        const info = failed[0]!.KinesisBatchInfo;
        const discarded = partialResponse === "halves" ? 1 : 10 - at;
        assert.deepEqual(
          [
            info.startSequenceNumber,
            info.endSequenceNumber,
            info.batchSize,
            failed[0]!.requestContext.condition,
            failed[0]!.requestContext.approximateInvokeCount,
          ],
          [poison, seqs[at + discarded - 1], discarded, "RetryAttemptsExhausted", 1 + ALERT_MAPPING.maximumRetryAttempts],
        );
        assert.ok(t.logs.some((l) => l.includes(`"sequenceNumber":"${poison}","reason":"not JSON","badRow":true`)));
      });
    }

  it("a row that cannot be true (30 February) is a poison record too, with its reason", async () => {
    const feb30 = { ...row(1), windowStart: "2027-02-30T00:00:00Z", windowEnd: "2027-02-30T00:00:10Z" };
    const [, bad] = await t.put([row(0), JSON.stringify(feb30), row(2)]);
    await t.mapping(t.handler()).drain();
    assert.deepEqual(await t.mailsPer(3), [1, 0, 1]);
    assert.equal((await t.failed())[0]!.KinesisBatchInfo.startSequenceNumber, bad);
    assert.ok(t.logs.some((l) => l.includes("windowStart is not a real date and time: 2027-02-30T00:00:00Z")));
    assert.ok(!(await t.csvKeys()).some((k) => k.includes("/03/02/")), "not filed under 2 March");
  });

  it("the same window twice in one batch (two records) is e-mailed once", async () => {
    await t.put([row(0), row(1), row(1), row(2)]);
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    assert.equal(mapping.invocations.length, 1);
    assert.deepEqual(await t.mailsPer(3), [1, 1, 1]);
    assert.ok(t.logs.some((l) => l.includes('"skipped":"already alerted"')));
  });

  it("a whole batch delivered again e-mails nothing more", async () => {
    await t.put(rows(4));
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    mapping.rewind();
    await mapping.drain();
    assert.equal(mapping.invocations.length, 2);
    assert.deepEqual(await t.mailsPer(4), ones(4));
  });

  it("a window the Flink job emits again after a restart (same window, new sequence number) e-mails nothing more", async () => {
    await t.put(rows(3));
    const mapping = t.mapping(t.handler());
    await mapping.drain();
    // Restored from a checkpoint before windows 1 and 2 were acknowledged: they come again, later in the shard.
    const [again] = await t.put([row(1), row(2), row(3)]);
    await mapping.drain();
    assert.deepEqual(await t.mailsPer(4), ones(4));
    const entry = [...(await t.ledger()).values()].find((e) => e.sequenceNumber === again);
    assert.equal(entry, undefined, "the ledger keeps the first record that alerted the window");
  });

  describe("a function that dies mid-way (a call that never returns; the mapping times it out)", () => {
    // A short timeout keeps the test quick; the deadline logic is the same at 10 s.
    const settings = () => deployedSettings(1500);

    it("after claiming, before publishing: the retry takes the claim over at its deadline and e-mails once", async () => {
      await t.put(rows(3));
      injectFaults(t.sns, [{ command: "PublishCommand", skip: 1, effect: "hang" }]);
      const mapping = t.mapping(t.handler(), settings());
      await mapping.drain();
      assert.equal(mapping.invocations[0]!.outcome, "timeout");
      assert.deepEqual(await t.mailsPer(3), [1, 1, 1]);
    });

    it("after publishing, before recording it: the retry cannot know and e-mails that window a second time (never zero)", async () => {
      await t.put(rows(3));
      injectFaults(t.s3, [{ command: "PutObjectCommand", when: ledgerWrite("published"), skip: 1, effect: "hang" }]);
      const mapping = t.mapping(t.handler(), settings());
      await mapping.drain();
      assert.equal(mapping.invocations[0]!.outcome, "timeout");
      assert.deepEqual(await t.mailsPer(3), [1, 2, 1]);
      assert.ok([...(await t.ledger()).values()].every((e) => e.state === "published"));
    });
  });
});

describe("the deployed bundle, run as Lambda runs it, against moto", function () {
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

  it("reads its configuration from the environment, publishes, files the CSV, and reports from the first bad record on", async () => {
    const t = await team(moto.endpoint);
    const dir = join(ROOT, "node_modules", ".cache", "alert-test");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), bundleAlert());
    Object.assign(process.env, {
      TOPIC_ARN: t.topicArn,
      PROCESSED_BUCKET: t.bucket,
      WINDOW_SECONDS: "10",
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(join(dir, "index.js")) as {
      handler: (e: KinesisStreamEvent, c: object) => Promise<KinesisStreamBatchResponse>;
    };
    const seqs = await t.put([row(0), "{not json", row(2)]);
    const mapping = t.mapping(handler);
    const logged: string[] = [];
    const log = console.log;
    console.log = (line: string) => logged.push(line);
    try {
      await mapping.drain();
    } finally {
      console.log = log;
    }
    assert.deepEqual(JSON.parse(logged[0]!), { level: "error", sequenceNumber: seqs[1], reason: "not JSON", badRow: true });
    assert.deepEqual(mapping.invocations[0]!.reported, [seqs[1], seqs[2]]);
    assert.deepEqual(await t.mailsPer(3), [1, 0, 1]);
    assert.deepEqual(await t.csvKeys(), [
      "weblogs/processed/2026/12/31/20261231T230000Z-20261231T230010Z.csv",
      "weblogs/processed/2026/12/31/20261231T230020Z-20261231T230030Z.csv",
    ]);
    await assert.rejects(handler({} as KinesisStreamEvent, {}), /takes a Kinesis batch/);
    t.destroy();
  });

  it("is bundled small, with the AWS SDK left to the runtime", () => {
    const code = bundleAlert();
    assert.ok(code.length < 100_000, `bundle is ${code.length} bytes`);
    assert.match(code, /require\("@aws-sdk\/client-sns"\)/);
  });
});
