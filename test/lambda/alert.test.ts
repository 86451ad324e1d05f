import { strict as assert } from "node:assert";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { KinesisStreamEvent } from "aws-lambda";
import { alertHandler, csvLine, ledgerKey, message, objectKey, parseRow, readable } from "../../lambda/alert";
import { WindowLedger, type LedgerEntry } from "../../lambda/ledger";
import { conditionalS3 } from "./conditionalS3";
import { record, ROW } from "./records";

const json = (o: object) => JSON.stringify(o);

/** A topic that counts what it was asked to publish. */
function countingTopic(): { sns: SNSClient; published: string[] } {
  const published: string[] = [];
  return {
    published,
    sns: {
      send: (c: { input: { Message: string } }) => (
        published.push(c.input.Message),
        Promise.resolve({ MessageId: `m${published.length}` })
      ),
    } as unknown as SNSClient,
  };
}

describe("alert Lambda", () => {
  it("writes the 2020 lab's message, its numbers to two decimals as the 2020 console showed them", () => {
    assert.equal(
      message({ ...ROW, ctrPercent: 3231.818181818182, anomalyScore: 2.1384996930666254 }),
      "Anomaly detected with a click through rate of 3231.82% and an anomaly score of 2.14",
    );
  });

  it("prints no floating-point noise (issue #26: 220.00000000000003%)", () => {
    assert.equal((11 / 5) * 100, 220.00000000000003, "the reported input: the job's clicks / impressions * 100");
    assert.equal(
      message({ ...ROW, ctrPercent: (11 / 5) * 100, anomalyScore: 3 }),
      "Anomaly detected with a click through rate of 220% and an anomaly score of 3",
    );
    for (const [x, text] of [
      [0.1 + 0.2, "0.3"],
      [(7 / 100) * 100, "7"],
      [366.6666666666667, "366.67"],
      [2.0000000000000004, "2"],
      [2.805, "2.81"],
      [0, "0"],
      [-0, "0"],
      [1e6 / 3, "333333.33"],
    ] as const)
      assert.equal(readable(x), text, String(x));
  });

  it("files each anomaly by its window (UTC date, months 01 to 12), not by the record that carried it", () => {
    assert.equal(objectKey(ROW), "weblogs/processed/2026/12/31/20261231T235950Z-20270101T000000Z.csv");
    assert.equal(
      objectKey({ ...ROW, windowStart: "2027-01-05T00:00:00Z", windowEnd: "2027-01-05T00:00:10Z" }),
      "weblogs/processed/2027/01/05/20270105T000000Z-20270105T000010Z.csv",
    );
    assert.equal(ledgerKey("e-t-anomalies", ROW), "alert-ledger/e-t-anomalies/20261231T235950Z-20270101T000000Z.json");
    assert.equal(csvLine(ROW), "366.6666666666667,3.4977,44,12,2026-12-31T23:59:50Z,2027-01-01T00:00:00Z\n");
  });

  describe("rows are checked for meaning, naming the field", () => {
    const bad: [string, string, RegExp][] = [
      ["not JSON", "{nope", /not JSON/],
      ["an array", "[1]", /not a JSON object/],
      ["a count as a string", json({ ...ROW, clicks: "44" }), /clicks is not a finite number: "44"/],
      [
        "a score of 1e400 (Infinity once parsed)",
        `{"ctrPercent":366.6666666666667,"anomalyScore":1e400,"clicks":44,"impressions":12,"windowStart":"2026-12-31T23:59:50Z","windowEnd":"2027-01-01T00:00:00Z"}`,
        /anomalyScore is not a finite number/,
      ],
      [
        "a negative count",
        json({ ...ROW, clicks: -44, ctrPercent: -366.6666666666667 }),
        /clicks must be a whole number of at least 0, not -44/,
      ],
      ["a fractional count", json({ ...ROW, impressions: 12.5 }), /impressions must be a whole number above 0, not 12.5/],
      ["zero impressions", json({ ...ROW, impressions: 0, ctrPercent: 0 }), /impressions must be a whole number above 0, not 0/],
      [
        "a CTR that is not clicks / impressions",
        json({ ...ROW, ctrPercent: 5 }),
        /ctrPercent 5 is not clicks \/ impressions \* 100 = 366.66/,
      ],
      ["a negative score", json({ ...ROW, anomalyScore: -0.5 }), /anomalyScore must be 0 or more, not -0.5/],
      ["a score fraction above 1", json({ ...ROW, scoreFraction: 1.5 }), /scoreFraction must be between 0 and 1, not 1.5/],
      [
        "a time that is not ISO 8601 UTC",
        json({ ...ROW, windowEnd: "yesterday" }),
        /windowEnd is not an ISO 8601 UTC time like 2026-12-31T23:59:50Z: "yesterday"/,
      ],
      ["a local time", json({ ...ROW, windowStart: "2026-12-31T23:59:50+01:00" }), /windowStart is not an ISO 8601 UTC time/],
      [
        "30 February",
        json({ ...ROW, windowStart: "2027-02-30T00:00:00Z", windowEnd: "2027-02-30T00:00:10Z" }),
        /windowStart is not a real date and time: 2027-02-30T00:00:00Z/,
      ],
      ["24:00", json({ ...ROW, windowEnd: "2026-12-31T24:00:00Z" }), /windowEnd is not a real date and time/],
      [
        "an end before the start",
        json({ ...ROW, windowStart: "2027-01-01T00:00:00Z", windowEnd: "2026-12-31T23:59:50Z" }),
        /windowEnd 2026-12-31T23:59:50Z is not after windowStart 2027-01-01T00:00:00Z/,
      ],
      ["an empty window", json({ ...ROW, windowEnd: ROW.windowStart }), /is not after windowStart/],
      [
        "a window of another length",
        json({ ...ROW, windowEnd: "2027-01-01T00:00:10Z" }),
        /the window is 20 s long, not the configured 10 s \(WINDOW_SECONDS\)/,
      ],
    ];
    for (const [what, data, reason] of bad) it(`refuses ${what}`, () => assert.throws(() => parseRow(data, { windowSeconds: 10 }), reason));

    it("accepts the job's rows, with or without scoreFraction, and a leap day", () => {
      assert.deepEqual(parseRow(json(ROW), { windowSeconds: 10 }), ROW);
      assert.deepEqual(parseRow(json({ ...ROW, scoreFraction: 0.9461 }), { windowSeconds: 10 }), { ...ROW, scoreFraction: 0.9461 });
      assert.equal(
        parseRow(json({ ...ROW, windowStart: "2028-02-29T23:59:50Z", windowEnd: "2028-03-01T00:00:00Z" }), { windowSeconds: 10 })
          .windowStart,
        "2028-02-29T23:59:50Z",
      );
      // Two decimals, as a report might round it.
      assert.equal(parseRow(json({ ...ROW, ctrPercent: 366.67 }), { windowSeconds: 10 }).ctrPercent, 366.67);
    });
  });

  describe("the handler (SNS and S3 stand-ins; moto in alert.integration.test.ts)", () => {
    it("says what it takes when the event is not a Kinesis batch", async () => {
      const handler = alertHandler({ ...countingTopic(), s3: conditionalS3().client, topicArn: "t", bucket: "b", windowSeconds: 10 });
      await assert.rejects(handler({} as KinesisStreamEvent), /takes a Kinesis batch .*no Records array \(keys: none\)/);
      await assert.rejects(handler({ Records: "x" } as unknown as KinesisStreamEvent), /no Records array \(keys: Records\)/);
      await assert.rejects(handler(null as unknown as KinesisStreamEvent), /no Records array/);
      await assert.rejects(
        handler({ Records: [{ kinesis: { data: "e30=" } }] } as unknown as KinesisStreamEvent),
        /Records\[0\] is not a Kinesis record: it needs kinesis.sequenceNumber/,
      );
    });

    const later = { ...ROW, windowStart: "2027-01-01T00:00:00Z", windowEnd: "2027-01-01T00:00:10Z" };

    it("reports a bad row with every record after it, and still alerts the rows after it", async () => {
      const topic = countingTopic();
      const logs: string[] = [];
      const handler = alertHandler({
        ...topic,
        s3: conditionalS3().client,
        topicArn: "t",
        bucket: "b",
        windowSeconds: 10,
        log: (l) => logs.push(l),
      });
      const result = await handler({
        Records: [record(json(ROW), "1"), record(json({ ...ROW, impressions: 0, ctrPercent: 0 }), "2"), record(json(later), "3")],
      });
      assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "2" }, { itemIdentifier: "3" }] });
      assert.deepEqual(topic.published, [message(ROW), message(later)]);
      assert.deepEqual(
        logs.map((l) => JSON.parse(l) as object),
        [{ level: "error", sequenceNumber: "2", reason: "impressions must be a whole number above 0, not 0", badRow: true }],
      );
    });

    it("stops at the first failure of SNS or S3 and reports that record with every one after it", async () => {
      const published: string[] = [];
      let calls = 0;
      const sns = {
        send: (c: { input: { Message: string } }) => {
          if (++calls === 2)
            return Promise.reject(
              Object.assign(new Error("User is not authorized to perform SNS:Publish"), {
                name: "AuthorizationErrorException",
                $metadata: { httpStatusCode: 403 },
              }),
            );
          published.push(c.input.Message);
          return Promise.resolve({ MessageId: "m" });
        },
      } as unknown as SNSClient;
      const logs: string[] = [];
      const third = { ...later, windowStart: "2027-01-01T00:00:10Z", windowEnd: "2027-01-01T00:00:20Z" };
      const handler = alertHandler({
        sns,
        s3: conditionalS3().client,
        topicArn: "t",
        bucket: "b",
        windowSeconds: 10,
        log: (l) => logs.push(l),
      });
      const result = await handler({ Records: [record(json(ROW), "1"), record(json(later), "2"), record(json(third), "3")] });
      assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "2" }, { itemIdentifier: "3" }] });
      assert.equal(calls, 2, "a refusal that is not throttling is not retried, and the third record is not attempted");
      assert.deepEqual(published, [message(ROW)]);
      assert.deepEqual(JSON.parse(logs[0]!), {
        level: "error",
        sequenceNumber: "2",
        reason: "AuthorizationErrorException: User is not authorized to perform SNS:Publish",
        notAttempted: 1,
      });
    });

    it("publishes the same record twice in one batch once, and the batch delivered again not at all", async () => {
      const topic = countingTopic();
      const s3 = conditionalS3();
      const handler = alertHandler({ ...topic, s3: s3.client, topicArn: "t", bucket: "b", windowSeconds: 10, log: () => {} });
      const batch = { Records: [record(json(ROW), "1"), record(json(ROW), "1")] };
      assert.deepEqual(await handler(batch), { batchItemFailures: [] });
      assert.deepEqual(await handler(batch), { batchItemFailures: [] });
      assert.deepEqual(topic.published, [message(ROW)]);
      const entry = JSON.parse(s3.objects.get(ledgerKey("e-t-anomalies", ROW))!.body) as LedgerEntry;
      assert.deepEqual([entry.state, entry.sequenceNumber, entry.messageId], ["published", "1", "m1"]);
    });
  });

  describe("the window ledger against S3's documented conditional writes", () => {
    // A live claim's deadline lies within the function's timeout (10 s): further ahead, it is taken for dead.
    const entry = (owner: string, deadline = Date.now() + 8_000): LedgerEntry => ({
      state: "claimed",
      owner,
      sequenceNumber: "1",
      deadline,
      at: new Date().toISOString(),
    });

    it("gives a window to exactly one of 20 concurrent claims; the others wait and then find it published", async () => {
      const s3 = conditionalS3(20);
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b" });
      let published = 0;
      const attempt = async (i: number) => {
        const mine = entry(`o${i}`);
        const claim = await ledger.claim("k", mine, Date.now() + 5000);
        if (claim.outcome !== "claimed") return "found published";
        published++;
        await ledger.published("k", mine, `m${i}`);
        return "published";
      };
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i)));
      assert.equal(published, 1);
      assert.equal(outcomes.filter((o) => o === "published").length, 1);
    });

    it("retries a write that lost a race (409 ConditionalRequestConflict)", async () => {
      const s3 = conditionalS3();
      s3.conflictNext(2);
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b" });
      const claim = await ledger.claim("k", entry("a"), Date.now() + 1000);
      assert.equal(claim.outcome, "claimed");
      assert.equal(s3.conflicts, 2);
    });

    it("recognises its own claim when S3's first answer was lost and the retried write met it", async () => {
      const s3 = conditionalS3();
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b" });
      const mine = entry("a");
      await ledger.claim("k", mine, Date.now());
      const again = await ledger.claim("k", mine, Date.now());
      assert.equal(again.outcome, "claimed");
    });

    it("takes over a claim only after its owner's deadline (plus the clock allowance), and a released one at once", async () => {
      const s3 = conditionalS3();
      let now = 1_000_000;
      let waited = 0;
      const clock = { now: () => now, sleep: (ms: number) => ((waited += ms), (now += ms), Promise.resolve()) };
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b", clock, clockSkewMs: 1000 });
      await ledger.claim("k", entry("dead", now + 4000), now);
      // Not enough time left to wait it out: the record is reported, after waiting what it could.
      await assert.rejects(
        ledger.claim("k", entry("b"), now + 2000),
        /window k is being alerted by another invocation \(sequence number 1\) until/,
      );
      assert.equal(waited, 2000);
      const taken = await ledger.claim("k", entry("c"), now + 10_000);
      assert.equal(taken.outcome, "claimed");
      assert.equal(waited, 5000, "waited until the dead owner's deadline + 1 s");
      await ledger.release("k", entry("c"), taken.outcome === "claimed" ? taken.etag : undefined, "Throttled");
      const after = await ledger.claim("k", entry("d"), now);
      assert.equal(after.outcome, "claimed");
      assert.equal(waited, 5000, "a released window is claimed without waiting");
    });

    it("refuses to guess when an entry is not its own format", async () => {
      const s3 = conditionalS3();
      s3.objects.set("k", { body: "garbage", etag: '"x"' });
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b" });
      await assert.rejects(
        ledger.claim("k", entry("a"), Date.now()),
        /alert ledger entry s3:\/\/b\/k is not JSON; delete it to let the window alert again/,
      );
    });
  });
});
