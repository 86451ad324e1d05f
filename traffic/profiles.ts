// Traffic: the lab's KDG browser windows as data. A profile is a set of producers (one per
// window: what it sends, how fast, from when, for how long); `schedule` turns them into the
// exact records and send times, with browser-like jitter from a seeded generator so that runs
// repeat. The sender, the local lab and the tests all replay these. The schedule is generated as
// it is read (lazySchedule), so a run of any rate and length costs the same memory.

export type BrowserAction = "Click" | "Impression" | "DiscoveryKinesisTest";

export interface Producer {
  readonly id: string;
  readonly action: BrowserAction;
  readonly ratePerSecond: number;
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

export const PROFILE_NAMES = ["discovery", "steady", "burst", "lab"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileOptions {
  /** Records per second of each window (the lab: 1). */
  readonly rate?: number;
  /** How long the steady windows run before the burst, or in all (steady, discovery). */
  readonly steadySeconds?: number;
  /** Extra click windows of the burst (the lab: 3). */
  readonly burstProducers?: number;
  /** How long the burst windows send (the lab: about 20). */
  readonly burstSeconds?: number;
  /** How long the steady windows keep going after the burst starts. */
  readonly afterBurstSeconds?: number;
}

const DEFAULTS: Required<ProfileOptions> = {
  rate: 1,
  // Ten minutes of normal traffic: Random Cut Forest needs a history before a burst stands out.
  steadySeconds: 600,
  burstProducers: 3,
  burstSeconds: 20,
  afterBurstSeconds: 60,
};

/** The producers of a profile; `lab` is the 2020 guide's test script. */
export function profile(name: ProfileName, options: ProfileOptions = {}): Producer[] {
  const o = { ...DEFAULTS, ...options };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0 || (k === "rate" && v <= 0))
      throw new RangeError(`${k} must be a number ${k === "rate" ? "above" : "of at least"} 0, not ${v}`);
  }
  const steady = (seconds: number): Producer[] => [
    { id: "impressions", action: "Impression", ratePerSecond: o.rate, startSeconds: 0, durationSeconds: seconds },
    { id: "clicks", action: "Click", ratePerSecond: o.rate, startSeconds: 0, durationSeconds: seconds },
  ];
  const burst = (start: number): Producer[] =>
    Array.from({ length: o.burstProducers }, (_, i) => ({
      id: `burst-${i + 1}`,
      action: "Click" as const,
      ratePerSecond: o.rate,
      startSeconds: start,
      durationSeconds: o.burstSeconds,
    }));
  switch (name) {
    case "discovery":
      return [
        { id: "discovery", action: "DiscoveryKinesisTest", ratePerSecond: o.rate, startSeconds: 0, durationSeconds: o.steadySeconds },
      ];
    case "steady":
      return steady(o.steadySeconds);
    case "burst":
      return burst(0);
    case "lab":
      return [...steady(o.steadySeconds + o.afterBurstSeconds), ...burst(o.steadySeconds)];
  }
}

/** One record of the KDG templates, as the page sends it: a JSON object on one line. */
export function kdgRecord(action: BrowserAction, site = "yourwebsiteurl.domain.com"): string {
  return JSON.stringify({ browseraction: action, site });
}

export interface ScheduledRecord {
  /** Milliseconds after the start, already divided by the compression factor. */
  readonly atMs: number;
  readonly producer: string;
  /** 0, 1, 2... within its producer: the order a consumer must see per producer. */
  readonly seq: number;
  readonly data: string;
}

export interface ScheduleOptions {
  /** Seed of the jitter; the same seed gives the same schedule. */
  readonly seed?: number;
  /** Each send moves by up to this much either way, as a browser timer does (under half a period). */
  readonly jitterMs?: number;
  /** Run this many times faster than real time (timings divide, counts stay). */
  readonly compression?: number;
}

/** mulberry32's state step: each draw adds this to the state (mod 2^32) before mixing. */
const MULBERRY_STEP = 0x6d2b79f5;

/**
 * mulberry32: small, fast, seeded; quality is ample for timing jitter. `skip` draws are jumped
 * over in O(1) (the state after n draws is seed + n * step), so that each producer can draw its
 * own part of one seeded sequence lazily and the schedule stays the same as drawing it in order.
 */
function random(seed: number, skip = 0): () => number {
  let a = (seed + Math.imul(skip, MULBERRY_STEP)) >>> 0;
  return () => {
    a = (a + MULBERRY_STEP) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A schedule generated as it is read: it holds one pending record per producer, never the whole
 * run, so memory stays flat whatever the rate and length (the sender reads it as it goes).
 * Iterating it again starts over and yields the same records.
 */
export interface Schedule extends Iterable<ScheduledRecord> {
  /** How many records it yields. */
  readonly count: number;
  /** When the last record is due, in milliseconds after the start (compressed); 0 when empty. */
  readonly lastAtMs: number;
}

interface ProducerPlan {
  readonly p: Producer;
  readonly count: number;
  /** Draws of the shared seeded sequence used by the producers before this one. */
  readonly skip: number;
  readonly period: number;
  readonly jitter: number;
  readonly data: string;
  /** Order of the producer's id (String.prototype.localeCompare), to break ties in send time. */
  readonly rank: number;
}

/**
 * Every record of the producers, in send order (by time, then producer id), lazily.
 * Records of one producer never swap: jitter stays under half a period.
 * @throws RangeError when compression is not above 0.
 */
export function lazySchedule(producers: readonly Producer[], options: ScheduleOptions = {}): Schedule {
  const compression = options.compression ?? 1;
  if (!(compression > 0)) throw new RangeError(`compression must be above 0, not ${compression}`);
  const seed = options.seed ?? 2020;
  const plans = producerPlans(producers, options.jitterMs ?? 150);
  const lastAtMs = plans.reduce(
    (m, plan) => (plan.count ? Math.max(m, sendTime(plan, plan.count - 1, random(seed, plan.skip + plan.count - 1)(), compression)) : m),
    0,
  );
  return {
    count: plans.reduce((n, plan) => n + plan.count, 0),
    lastAtMs,
    [Symbol.iterator]: () => inSendOrder(plans, seed, compression),
  };
}

/** Each producer's count, period, jitter and record, and where its draws start in the shared seeded sequence. */
function producerPlans(producers: readonly Producer[], jitterMs: number): ProducerPlan[] {
  const ranks = new Map([...new Set(producers.map((p) => p.id))].sort((a, b) => a.localeCompare(b)).map((id, i) => [id, i]));
  let skip = 0;
  return producers.map((p) => {
    const period = 1000 / p.ratePerSecond;
    // Under half a period, so that jitter never swaps two sends of one window.
    const jitter = Math.max(0, Math.min(jitterMs, period / 2 - 1));
    const count = Math.round(p.durationSeconds * p.ratePerSecond);
    const plan = { p, count, skip, period, jitter, data: kdgRecord(p.action), rank: ranks.get(p.id)! };
    skip += count;
    return plan;
  });
}

/** When the producer's record `seq` is due, in ms after the start (compressed), moved by `draw` (0..1) within the jitter. */
function sendTime(plan: ProducerPlan, seq: number, draw: number, compression: number): number {
  return Math.max(0, plan.p.startSeconds * 1000 + seq * plan.period + (draw * 2 - 1) * plan.jitter) / compression;
}

/** A producer's next record: its plan, its place among the producers, its draws, and its next seq and time. */
interface Cursor {
  readonly plan: ProducerPlan;
  readonly index: number;
  readonly next: () => number;
  seq: number;
  atMs: number;
}

/** Time, then id order, then producer order: the order a stable sort of the whole run by time then id would give. */
const before = (a: Cursor, b: Cursor) => a.atMs - b.atMs || a.plan.rank - b.plan.rank || a.index - b.index;

/** The records of every producer merged in send order: one cursor per producer in a binary min-heap (`before`). */
function* inSendOrder(plans: readonly ProducerPlan[], seed: number, compression: number): Generator<ScheduledRecord> {
  const heap: Cursor[] = [];
  plans.forEach((plan, index) => {
    if (plan.count === 0) return;
    const next = random(seed, plan.skip);
    heap.push({ plan, index, next, seq: 0, atMs: sendTime(plan, 0, next(), compression) });
    siftUp(heap, heap.length - 1);
  });
  while (heap.length > 0) {
    const c = heap[0]!;
    yield { atMs: c.atMs, producer: c.plan.p.id, seq: c.seq, data: c.plan.data };
    if (++c.seq < c.plan.count) {
      c.atMs = sendTime(c.plan, c.seq, c.next(), compression);
      siftDown(heap, 0);
    } else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0);
      }
    }
  }
}

function siftUp(heap: Cursor[], i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (before(heap[parent]!, heap[i]!) <= 0) return;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function siftDown(heap: Cursor[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!) < 0) m = l;
    if (r < heap.length && before(heap[r]!, heap[m]!) < 0) m = r;
    if (m === i) return;
    [heap[m], heap[i]] = [heap[i]!, heap[m]!];
    i = m;
  }
}

/** The most records {@link schedule} puts in an array (about 200 MB of heap); longer runs are lazy. */
export const MAX_EAGER_RECORDS = 1_000_000;

/**
 * Every record of the producers, in send order, as an array: for small runs and tests. A run is
 * sent with a lazySchedule, which holds one record per producer (issue #26: a long
 * --steady-seconds built the whole run here and exhausted the heap).
 * @throws RangeError when the run has more than MAX_EAGER_RECORDS records, before building any.
 */
export function schedule(producers: readonly Producer[], options: ScheduleOptions = {}): ScheduledRecord[] {
  const lazy = lazySchedule(producers, options);
  if (lazy.count > MAX_EAGER_RECORDS)
    throw new RangeError(
      `${lazy.count} records are too many to hold in memory (at most ${MAX_EAGER_RECORDS}): read them with lazySchedule`,
    );
  return [...lazy];
}

/**
 * Adds the producer and its sequence number to each record, so that a consumer can prove order
 * and exactly-once delivery. The lab's SQL reads only browseraction, so extra fields are harmless.
 */
export function withSequence(records: readonly ScheduledRecord[]): ScheduledRecord[] {
  return records.map(sequenced);
}

/** withSequence for a lazy schedule: still lazy. */
export function lazyWithSequence(records: Schedule): Schedule {
  return {
    count: records.count,
    lastAtMs: records.lastAtMs,
    *[Symbol.iterator]() {
      for (const r of records) yield sequenced(r);
    },
  };
}

function sequenced(r: ScheduledRecord): ScheduledRecord {
  return { ...r, data: JSON.stringify({ ...(JSON.parse(r.data) as object), producer: r.producer, seq: r.seq }) };
}

/**
 * The most records per second the producers offer at once (all windows that overlap in time,
 * times the compression), and the bytes per second that makes by the sender's count
 * (traffic/targets.ts recordBytes: data, newline and partition key).
 */
export function peakRate(
  producers: readonly Producer[],
  options: Pick<ScheduleOptions, "compression"> & { sequence?: boolean } = {},
): { recordsPerSecond: number; bytesPerSecond: number } {
  const compression = options.compression ?? 1;
  const bytes = (p: Producer) => {
    const data = options.sequence
      ? JSON.stringify({
          ...(JSON.parse(kdgRecord(p.action)) as object),
          producer: p.id,
          seq: Math.round(p.durationSeconds * p.ratePerSecond),
        })
      : kdgRecord(p.action);
    return Buffer.byteLength(data, "utf8") + 1 + Buffer.byteLength(p.id, "utf8");
  };
  // Sweep the starts and ends; an end at the same instant as a start comes first.
  const events = producers
    .filter((p) => p.durationSeconds > 0)
    .flatMap((p) => [
      { t: p.startSeconds, records: p.ratePerSecond, bytes: p.ratePerSecond * bytes(p) },
      { t: p.startSeconds + p.durationSeconds, records: -p.ratePerSecond, bytes: -p.ratePerSecond * bytes(p) },
    ])
    .sort((a, b) => a.t - b.t || a.records - b.records);
  let records = 0;
  let size = 0;
  let peak = { recordsPerSecond: 0, bytesPerSecond: 0 };
  for (const e of events) {
    records += e.records;
    size += e.bytes;
    if (records * compression > peak.recordsPerSecond)
      peak = { recordsPerSecond: records * compression, bytesPerSecond: size * compression };
  }
  return peak;
}
