// One run of the sender as the command makes it (traffic/run.ts), in-process: signals come from an
// EventEmitter and the stream is a stand-in whose PutRecords answers as each case needs (accepts,
// refuses every record, or hangs until its call is aborted, or past it). What the child-process
// tests of the command (test/cli/traffic.integration.test.ts) can only see from outside: which
// records are in the failed-record file at each signal, and that the run lets go of the signals.

import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScheduledRecord } from "../../traffic/profiles";
import { runTraffic, type TrafficOutcome, type TrafficRunOptions } from "../../traffic/run";
import type { OutRecord, RecordFailure, Target, WriteCapacity } from "../../traffic/targets";

const dir = mkdtempSync(join(tmpdir(), "traffic-run-"));
let files = 0;

/** `n` records due at once (atMs 0), two KDG windows. */
const due = (n: number): ScheduledRecord[] =>
  Array.from({ length: n }, (_, i) => ({ atMs: 0, producer: i % 2 ? "clicks" : "impressions", seq: i, data: `{"n":${i}}` }));

type Put = (records: readonly OutRecord[], signal?: AbortSignal) => Promise<RecordFailure[]>;

/** A stream stand-in: `put` answers each call; `batch` records per call; every call is counted. */
function stream(put: Put, o: { batch?: number; capacity?: () => Promise<WriteCapacity> } = {}): Target & { calls: number } {
  const t = {
    describe: "Kinesis data stream s",
    maxRecords: o.batch ?? 500,
    maxBytes: 5 * 1024 * 1024,
    calls: 0,
    put: (records: readonly OutRecord[], signal?: AbortSignal) => (t.calls++, put(records, signal)),
    ...(o.capacity ? { capacity: o.capacity } : {}),
    close: () => undefined,
  };
  return t;
}

/** A PutRecords that answers only when its call is aborted: as the SDK does, by rejecting. */
const hangsUntilAborted: Put = (_records, signal) =>
  new Promise((_, reject) => signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));

/** Every record accepted. */
const acceptsAll: Put = () => Promise.resolve([]);

/** Every record refused with a transient code: with maxAttempts 1 each one fails at once, and the run goes on. */
const refusesAll: Put = (records) =>
  Promise.resolve(records.map((_, index) => ({ index, code: "ProvisionedThroughputExceededException", message: "Rate exceeded" })));

/** Runs with signals from an emitter; `heard` keeps every line the run gave the user. */
function start(records: readonly ScheduledRecord[], target: Target, extra: Partial<TrafficRunOptions> = {}) {
  const signals = new EventEmitter();
  const failedOut = join(dir, `failed-${++files}.jsonl`);
  const heard = { warnings: [] as string[], notices: [] as string[], quits: 0, sending: 0 };
  const outcome = runTraffic(records, target, {
    peak: { recordsPerSecond: 1, bytesPerSecond: 100 },
    maxAttempts: 1,
    failedOut,
    signals,
    warn: (m) => heard.warnings.push(m),
    notice: (t) => heard.notices.push(t),
    onSending: () => heard.sending++,
    quit: () => heard.quits++,
    ...extra,
  });
  return { signals, failedOut, heard, outcome };
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { producer: string; data: string; code: string; message: string });

/** Resolves once the stand-in has been called `n` times. */
async function calls(target: { calls: number }, n: number): Promise<void> {
  while (target.calls < n) await new Promise((r) => setTimeout(r, 5));
}

function sent(o: TrafficOutcome) {
  assert.equal(o.kind, "sent");
  const { report } = o;
  assert.equal(report.sent + report.failed + report.unsent, report.scheduled, JSON.stringify(report));
  return o;
}

describe("traffic run: signals, the failed-record file and the capacity check, in-process", function () {
  this.timeout(20_000);

  it("Ctrl-C twice during a PutRecords that hangs: the call is abandoned, its records in the file as Cancelled, the rest unsent", async () => {
    const target = stream(hangsUntilAborted, { batch: 10 });
    const run = start(due(25), target);
    await calls(target, 1);
    run.signals.emit("SIGINT");
    assert.match(run.heard.notices.join(""), /Stopping: finishing the batch in flight \(Ctrl-C again to abandon it\)/);
    run.signals.emit("SIGINT");
    const o = sent(await run.outcome);
    assert.equal(o.signal, "SIGINT");
    assert.equal(o.report.stopReason, "cancelled");
    assert.deepEqual([o.report.sent, o.report.failed, o.report.unsent], [0, 10, 15]);
    assert.deepEqual(o.failedRecords, { path: run.failedOut, written: 10 });
    const written = lines(run.failedOut);
    assert.deepEqual(
      written.map((l) => l.data),
      due(10).map((r) => r.data),
    );
    assert.ok(written.every((l) => l.code === "Cancelled" && /may or may not have been written/.test(l.message)));
    assert.match(run.heard.notices.join(""), /Abandoning the call in flight/);
    assert.equal(run.signals.listenerCount("SIGINT") + run.signals.listenerCount("SIGTERM"), 0, "the run lets go of the signals");
  });

  it("one Ctrl-C: the batch in flight is still delivered, nothing after it is put, the run reports itself interrupted", async () => {
    let answer: (() => void) | undefined;
    const target = stream(
      (records) =>
        new Promise((resolve) => {
          answer = () => resolve(records.map((_, index) => ({ index, code: "InternalFailure", message: "later" })).slice(0, 3));
        }),
      { batch: 10 },
    );
    const run = start(due(25), target);
    await calls(target, 1);
    run.signals.emit("SIGINT");
    answer!();
    const o = sent(await run.outcome);
    assert.equal(o.signal, "SIGINT");
    assert.equal(o.report.stopReason, "interrupted");
    assert.deepEqual([o.report.sent, o.report.failed, o.report.unsent], [7, 3, 15]);
    assert.equal(target.calls, 1);
    assert.equal(lines(run.failedOut).length, 3);
  });

  it("SIGTERM: stop and cancel at once; the call in flight fails into the file", async () => {
    const target = stream(hangsUntilAborted, { batch: 10 });
    const run = start(due(25), target);
    await calls(target, 1);
    run.signals.emit("SIGTERM");
    const o = sent(await run.outcome);
    assert.equal(o.signal, "SIGTERM");
    assert.deepEqual([o.report.sent, o.report.failed, o.report.unsent], [0, 10, 15]);
    assert.equal(lines(run.failedOut).length, 10);
    assert.deepEqual(run.heard.notices, [], "SIGTERM says nothing: whoever sent it is not reading");
  });

  it("a third Ctrl-C, with a call that ignores its abort: quit, after naming what is known; the file closed with what failed so far", async () => {
    let release: (() => void) | undefined;
    const target = stream(
      (records, signal) =>
        target.calls === 1
          ? refusesAll(records, signal)
          : new Promise((resolve) => (release = () => void refusesAll(records, signal).then(resolve))),
      { batch: 4 },
    );
    const run = start(due(12), target);
    await calls(target, 2);
    for (let i = 0; i < 3; i++) run.signals.emit("SIGINT");
    assert.equal(run.heard.quits, 1);
    assert.match(run.heard.notices.at(-1)!, new RegExp(`Quit at once: 0 sent, 4 failed so far \\(4 written to ${run.failedOut}\\)`));
    // The command exits at quit; here the call lets go afterwards, and its records cannot reach the closed file.
    release!();
    const o = sent(await run.outcome);
    assert.equal(lines(run.failedOut).length, 4);
    assert.equal(o.failedRecords.written, 4);
    assert.equal(o.report.failed, 8);
    assert.equal(o.report.failures.length, 4, "the records that failed after quit are in the report, for stderr");
    assert.match(o.report.sinkError!, /is closed/);
  });

  it("refuses a peak 10 times the stream's capacity before any PutRecords: no call, no file, the signals let go", async () => {
    const capacity = () => Promise.resolve({ recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024, limit: "1 shard" });
    const target = stream(refusesAll, { capacity });
    const run = start(due(5), target, { peak: { recordsPerSecond: 10_000, bytesPerSecond: 1 } });
    const o = await run.outcome;
    assert.equal(o.kind, "refused");
    assert.match(o.kind === "refused" ? o.message : "", /10,000 records\/s.*1 shard.*--allow-throttling/);
    assert.equal(target.calls, 0);
    assert.equal(run.heard.sending, 0);
    assert.equal(existsSync(run.failedOut), false);
    assert.equal(run.signals.listenerCount("SIGINT"), 0);
    const forced = start(due(5), stream(acceptsAll, { capacity }), {
      peak: { recordsPerSecond: 10_000, bytesPerSecond: 1 },
      allowThrottling: true,
    });
    assert.equal(sent(await forced.outcome).report.sent, 5);
    assert.match(forced.heard.warnings.join("\n"), /10,000 records\/s/);
  });

  it("a capacity lookup that fails is a warning and the run goes on; one cut off by Ctrl-C is not, and nothing is put", async () => {
    const broken = () => Promise.reject(Object.assign(new Error("no"), { name: "ResourceNotFoundException" }));
    const warned = start(due(3), stream(acceptsAll, { capacity: broken }));
    assert.equal(sent(await warned.outcome).report.sent, 3);
    assert.deepEqual(warned.heard.warnings, [
      "could not read the stream's shard count (ResourceNotFoundException): the rate is not checked against Kinesis' 1,000 records/s and 1 MiB/s per shard.",
    ]);

    let asked = false;
    const stalled = (signal?: AbortSignal) => {
      asked = true;
      return new Promise<WriteCapacity>((_, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    };
    const target = stream(acceptsAll, { capacity: stalled });
    const interrupted = start(due(3), target);
    while (!asked) await new Promise((r) => setTimeout(r, 5));
    interrupted.signals.emit("SIGINT");
    const o = sent(await interrupted.outcome);
    assert.deepEqual(interrupted.heard.warnings, []);
    assert.equal(o.signal, "SIGINT");
    assert.deepEqual([o.report.sent, o.report.unsent], [0, 3]);
    assert.equal(target.calls, 0);
  });
});
