// The ledger's guarantee is about windows, not strings (issue 26, kind 6): a window is its two
// instants; a claim whose deadline no live invocation could have written is dead, and building
// any message about it never throws; an entry that is not the ledger's fails its own record only;
// and the clock skew the guarantee tolerates, at its edges. In-memory S3 with the documented
// conditional writes (conditionalS3.ts) and a clock the test moves.

import { strict as assert } from "node:assert";
import type { SNSClient } from "@aws-sdk/client-sns";
import { alertHandler, ledgerKey, message, windowId, type AnomalyRow } from "../../lambda/alert";
import { ALERT_TIMEOUT_SECONDS, CLOCK_SKEW_MS, WindowLedger, type LedgerEntry } from "../../lambda/ledger";
import { conditionalS3, type ConditionalS3 } from "./conditionalS3";
import { record as kinesisRecord, ROW } from "./records";

const STREAM = "e-t-anomalies";
const T = ALERT_TIMEOUT_SECONDS * 1000;
const S = CLOCK_SKEW_MS;

const record = (row: object, seq: string) => kinesisRecord(JSON.stringify(row), seq);

/** A clock the test sets; sleeping moves it and counts the time slept. */
function testClock(start = Date.parse("2027-01-01T00:00:05Z")) {
  const c = { t: start, slept: 0, now: () => c.t, sleep: (ms: number) => ((c.slept += ms), (c.t += ms), Promise.resolve()) };
  return c;
}

function setup(s3: ConditionalS3 = conditionalS3(0), clock = testClock()) {
  const published: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const sns = {
    send: (c: { input: { Message: string } }) => (published.push(c.input.Message), Promise.resolve({ MessageId: `m${published.length}` })),
  } as unknown as SNSClient;
  const handler = alertHandler({
    sns,
    s3: s3.client,
    topicArn: "t",
    bucket: "b",
    windowSeconds: 10,
    clock,
    log: (l) => logs.push(JSON.parse(l) as Record<string, unknown>),
  });
  return { handler, published, logs, s3, clock };
}

/** An entry as another invocation (or a person, or a bug) left it. */
const held = (deadline: unknown, state = "claimed") =>
  JSON.stringify({ state, owner: "other", sequenceNumber: "7", deadline, at: "2027-01-01T00:00:00Z" });

const later = (i: number): AnomalyRow => ({
  ...ROW,
  windowStart: new Date(Date.parse("2027-01-01T00:00:00Z") + i * 10_000).toISOString().replace(".000Z", "Z"),
  windowEnd: new Date(Date.parse("2027-01-01T00:00:10Z") + i * 10_000).toISOString().replace(".000Z", "Z"),
});

describe("the alert ledger keeps windows, not strings (issue 26, kind 6)", () => {
  describe("a window is its two instants", () => {
    it("e-mails the same window once whether its times carry milliseconds or not (the reported input)", async () => {
      const t = setup();
      const withMs = { ...ROW, windowStart: "2026-12-31T23:59:50.000Z", windowEnd: "2027-01-01T00:00:00.000Z" };
      assert.deepEqual(await t.handler({ Records: [record(ROW, "1")] }), { batchItemFailures: [] });
      assert.deepEqual(await t.handler({ Records: [record(withMs, "2")] }), { batchItemFailures: [] });
      assert.equal(t.published.length, 1, "one e-mail for one window");
      assert.equal(t.s3.objects.size, 2, "one ledger entry and one CSV");
    });

    for (const [name, start, end] of [
      ["nanoseconds", "2026-12-31T23:59:50.000000000Z", "2027-01-01T00:00:00.000000000Z"],
      ["one decimal", "2026-12-31T23:59:50.0Z", "2027-01-01T00:00:00.0Z"],
      ["only the end with milliseconds", "2026-12-31T23:59:50Z", "2027-01-01T00:00:00.000Z"],
    ])
      it(`names the window the same with ${name}`, () => {
        assert.equal(windowId({ windowStart: start!, windowEnd: end! }), windowId(ROW));
        assert.equal(ledgerKey(STREAM, { ...ROW, windowStart: start!, windowEnd: end! }), ledgerKey(STREAM, ROW));
      });

    it("keeps the names the ledger wrote before (whole seconds, no milliseconds), and tells sub-second windows apart", () => {
      assert.equal(windowId(ROW), "20261231T235950Z-20270101T000000Z");
      const half = { windowStart: "2026-12-31T23:59:50.5Z", windowEnd: "2026-12-31T23:59:51.500Z" };
      assert.equal(windowId(half), "20261231T235950.500Z-20261231T235951.500Z");
      assert.notEqual(windowId(half), windowId({ windowStart: "2026-12-31T23:59:50Z", windowEnd: "2026-12-31T23:59:51Z" }));
    });
  });

  describe("a claim no live invocation could hold is dead", () => {
    const implausible: [string, unknown][] = [
      ["a year ahead (the reported input)", Date.parse("2028-01-01T00:00:05Z")],
      ["beyond any time (1e300 ms)", 1e300],
      ["a string", "2027-01-01T00:00:15Z"],
      ["null", null],
      ["missing", undefined],
      ["NaN written as a string", "NaN"],
    ];
    for (const [name, deadline] of implausible)
      it(`takes over a claim whose deadline is ${name} at once, publishes once, and never throws building a message`, async () => {
        const t = setup();
        t.s3.objects.set(ledgerKey(STREAM, ROW), { body: held(deadline), etag: '"x"' });
        assert.deepEqual(await t.handler({ Records: [record(ROW, "1")] }), { batchItemFailures: [] });
        assert.deepEqual(t.published, [message(ROW)]);
        assert.equal(t.clock.slept, 0, "nothing waited for");
      });

    it("a live claim that outlasts this invocation is reported with a message that names it, even with an odd sequence number", async () => {
      const s3 = conditionalS3(0);
      const clock = testClock();
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b", clock });
      s3.objects.set("k", {
        body: JSON.stringify({ state: "claimed", owner: "o", sequenceNumber: null, deadline: clock.t + T, at: "x" }),
        etag: '"x"',
      });
      const mine: LedgerEntry = { state: "claimed", owner: "me", sequenceNumber: "1", deadline: clock.t + T, at: "y" };
      await assert.rejects(
        ledger.claim("k", mine, clock.t + 500),
        /being alerted by another invocation \(sequence number null\) until 2027-01-01T00:00:15\.000Z/,
      );
    });
  });

  describe(`the clock skew it tolerates: ${S} ms between any two invocations`, () => {
    const mine = (clock: { t: number }): LedgerEntry => ({
      state: "claimed",
      owner: "me",
      sequenceNumber: "1",
      deadline: clock.t + T,
      at: "y",
    });

    it(`holds a claim whose deadline is the timeout plus ${S} ms ahead (a live invocation on a clock ${S} ms fast), and takes over one 1 ms further`, async () => {
      for (const [ahead, outcome] of [
        [T + S, "waits"],
        [T + S + 1, "takes over"],
      ] as const) {
        const s3 = conditionalS3(0);
        const clock = testClock();
        const ledger = new WindowLedger({ s3: s3.client, bucket: "b", clock });
        s3.objects.set("k", { body: held(clock.t + ahead), etag: '"x"' });
        if (outcome === "waits") await assert.rejects(ledger.claim("k", mine(clock), clock.t + 1000), { name: "WindowBusy" });
        else assert.equal((await ledger.claim("k", mine(clock), clock.t + 1000)).outcome, "claimed");
      }
    });

    it(`takes over a plausible claim ${S} ms after its deadline, not 1 ms sooner`, async () => {
      const s3 = conditionalS3(0);
      const clock = testClock();
      const ledger = new WindowLedger({ s3: s3.client, bucket: "b", clock });
      const deadline = clock.t + 4000;
      s3.objects.set("k", { body: held(deadline), etag: '"x"' });
      clock.t = deadline + S - 1;
      await assert.rejects(ledger.claim("k", mine(clock), clock.t), { name: "WindowBusy" });
      clock.t = deadline + S;
      assert.equal((await ledger.claim("k", mine(clock), clock.t)).outcome, "claimed");
    });
  });

  describe("an entry that is not the ledger's fails its own record only", () => {
    for (const [name, body] of [
      ["null (the reported input)", "null"],
      ["not JSON", "garbage"],
      ["an array", "[]"],
      ["an empty object", "{}"],
      ["an unknown state", held(0, "sent")],
      ["empty", ""],
    ] as const)
      it(`${name}: the record is reported with those after it (Lambda's checkpoint rule), and the rows after it are alerted now`, async () => {
        const t = setup();
        const rows = [later(0), later(1), later(2)];
        t.s3.objects.set(ledgerKey(STREAM, rows[1]!), { body, etag: '"x"' });
        const result = await t.handler({ Records: rows.map((r, i) => record(r, String(i + 1))) });
        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "2" }, { itemIdentifier: "3" }] });
        assert.deepEqual(t.published, [message(rows[0]!), message(rows[2]!)]);
        assert.equal(t.logs.length, 1);
        assert.equal(t.logs[0]!.sequenceNumber, "2");
        assert.equal(t.logs[0]!.corruptLedgerEntry, true);
        assert.match(String(t.logs[0]!.reason), /^alert ledger entry s3:\/\/b\/alert-ledger\/.* delete it to let the window alert again$/);
        // Lambda delivers 2 and 3 again: 3 is a no-op, 2 fails alone again until the entry is mended.
        const again = await t.handler({ Records: rows.slice(1).map((r, i) => record(r, String(i + 2))) });
        assert.deepEqual(again, { batchItemFailures: [{ itemIdentifier: "2" }, { itemIdentifier: "3" }] });
        assert.equal(t.published.length, 2);
      });
  });
});
