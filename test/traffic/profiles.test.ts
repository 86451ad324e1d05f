import { strict as assert } from "node:assert";
import {
  kdgRecord,
  lazySchedule,
  lazyWithSequence,
  peakRate,
  profile,
  schedule,
  withSequence,
  type Producer,
  type ScheduledRecord,
  type ScheduleOptions,
} from "../../traffic/profiles";

/** The schedule as it was built before it became lazy (every record drawn in producer order, then sorted): the reference. */
function eagerSchedule(producers: readonly Producer[], options: ScheduleOptions = {}): ScheduledRecord[] {
  const compression = options.compression ?? 1;
  let a = (options.seed ?? 2020) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: ScheduledRecord[] = [];
  for (const p of producers) {
    const period = 1000 / p.ratePerSecond;
    const jitter = Math.min(options.jitterMs ?? 150, period / 2 - 1);
    const count = Math.round(p.durationSeconds * p.ratePerSecond);
    for (let seq = 0; seq < count; seq++) {
      const at = p.startSeconds * 1000 + seq * period + (next() * 2 - 1) * Math.max(0, jitter);
      out.push({ atMs: Math.max(0, at) / compression, producer: p.id, seq, data: kdgRecord(p.action) });
    }
  }
  return out.sort((x, y) => x.atMs - y.atMs || x.producer.localeCompare(y.producer));
}

const count = (records: { data: string }[], action: string) =>
  records.filter((r) => (JSON.parse(r.data) as { browseraction: string }).browseraction === action).length;

describe("traffic profiles", () => {
  it("sends the KDG templates' records, one JSON object per record", () => {
    assert.equal(kdgRecord("Click"), '{"browseraction":"Click","site":"yourwebsiteurl.domain.com"}');
    assert.equal(kdgRecord("DiscoveryKinesisTest"), '{"browseraction":"DiscoveryKinesisTest","site":"yourwebsiteurl.domain.com"}');
  });

  it("plays the lab's script: two steady windows, then three click windows for 20 s", () => {
    const records = schedule(profile("lab", { steadySeconds: 600, afterBurstSeconds: 60 }));
    assert.equal(count(records, "Impression"), 660);
    assert.equal(count(records, "Click"), 660 + 3 * 20);
    const burst = records.filter((r) => r.producer.startsWith("burst-"));
    assert.ok(burst.every((r) => r.atMs >= 600_000 - 150 && r.atMs < 620_000 + 150));
    assert.deepEqual([...new Set(burst.map((r) => r.producer))].sort(), ["burst-1", "burst-2", "burst-3"]);
  });

  it("keeps each producer's records in order despite jitter, and jitters for real", () => {
    const records = schedule(profile("steady", { steadySeconds: 120, rate: 5 }), { jitterMs: 500 });
    const clicks = records.filter((r) => r.producer === "clicks");
    assert.deepEqual(
      clicks.map((r) => r.seq),
      [...clicks.keys()],
    );
    const offsets = clicks.map((r) => r.atMs - r.seq * 200);
    assert.ok(Math.max(...offsets) - Math.min(...offsets) > 50, "send times are not on an exact grid");
    assert.ok(
      offsets.every((o) => Math.abs(o) < 100),
      "jitter stays under half a period",
    );
  });

  it("repeats with the same seed and differs with another", () => {
    const a = schedule(profile("steady", { steadySeconds: 10 }), { seed: 1 }).map((r) => r.atMs);
    assert.deepEqual(
      schedule(profile("steady", { steadySeconds: 10 }), { seed: 1 }).map((r) => r.atMs),
      a,
    );
    assert.notDeepEqual(
      schedule(profile("steady", { steadySeconds: 10 }), { seed: 2 }).map((r) => r.atMs),
      a,
    );
  });

  it("compresses time without changing what is sent", () => {
    const real = schedule(profile("lab", { steadySeconds: 60 }), { seed: 7 });
    const fast = schedule(profile("lab", { steadySeconds: 60 }), { seed: 7, compression: 10 });
    assert.equal(fast.length, real.length);
    assert.ok(Math.abs(fast[fast.length - 1]!.atMs * 10 - real[real.length - 1]!.atMs) < 1e-6);
  });

  it("generates lazily exactly the schedule the eager version built, with its count and last time up front", () => {
    const cases: [Producer[], ScheduleOptions][] = [
      [profile("lab", { steadySeconds: 600, afterBurstSeconds: 60 }), {}],
      [profile("lab", { steadySeconds: 30, rate: 7, burstProducers: 5 }), { seed: 9, jitterMs: 400, compression: 3 }],
      [profile("burst", { burstProducers: 50, burstSeconds: 4, rate: 3 }), { seed: 1, jitterMs: 0 }],
      [profile("steady", { steadySeconds: 2, rate: 2000 }), { compression: 1e9 }],
      [profile("discovery", { steadySeconds: 0 }), {}],
    ];
    for (const [producers, options] of cases) {
      const lazy = lazySchedule(producers, options);
      const eager = eagerSchedule(producers, options);
      assert.deepEqual([...lazy], eager);
      assert.deepEqual([...lazy], eager, "iterating again starts over");
      assert.equal(lazy.count, eager.length);
      assert.equal(lazy.lastAtMs, eager.at(-1)?.atMs ?? 0);
      assert.deepEqual([...lazyWithSequence(lazy)], withSequence(eager));
    }
  });

  it("yields 10 million records in order as they are read (its memory: npm run bench:traffic)", () => {
    const s = lazySchedule(profile("steady", { steadySeconds: 50, rate: 100_000 }), { compression: 1e9 });
    assert.equal(s.count, 10_000_000);
    let n = 0;
    let last = -1;
    for (const r of s) {
      if (r.atMs < last) assert.fail(`out of order at ${n}`);
      last = r.atMs;
      n++;
    }
    assert.equal(n, 10_000_000);
  });

  it("knows the peak rate the windows offer together, in records and bytes per second", () => {
    // The lab: two windows at 1/s, three more join for 20 s at minute 10.
    const lab = peakRate(profile("lab"));
    assert.equal(lab.recordsPerSecond, 5);
    const bytes = (action: "Click" | "Impression", id: string) => kdgRecord(action).length + 1 + id.length;
    assert.equal(
      lab.bytesPerSecond,
      bytes("Impression", "impressions") +
        bytes("Click", "clicks") +
        bytes("Click", "burst-1") +
        bytes("Click", "burst-2") +
        bytes("Click", "burst-3"),
    );
    assert.equal(peakRate(profile("steady", { rate: 100_000 }), { compression: 2 }).recordsPerSecond, 400_000);
    // Back to back, not overlapping: the burst of the `burst` profile alone.
    assert.equal(peakRate(profile("burst", { burstProducers: 3 })).recordsPerSecond, 3);
    assert.ok(peakRate(profile("steady"), { sequence: true }).bytesPerSecond > peakRate(profile("steady")).bytesPerSecond);
  });

  it("refuses nonsense options, naming them", () => {
    assert.throws(() => profile("steady", { rate: 0 }), /rate must be a number above 0/);
    assert.throws(() => profile("lab", { burstSeconds: -1 }), /burstSeconds/);
    assert.throws(() => schedule(profile("burst"), { compression: 0 }), /compression must be above 0/);
    assert.throws(() => lazySchedule(profile("burst"), { compression: -1 }), /compression must be above 0/);
  });
});
