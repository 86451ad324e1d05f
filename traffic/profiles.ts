// Traffic: the lab's KDG browser windows as data. A profile is a set of producers (one per
// window: what it sends, how fast, from when, for how long); `schedule` turns them into the
// exact records and send times, with browser-like jitter from a seeded generator so that runs
// repeat. The sender (not built yet), the Flink tests and the laptop rehearsal all replay these.

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
    if (!Number.isFinite(v) || v < 0 || (k === "rate" && v <= 0)) throw new RangeError(`${k} must be a number ${k === "rate" ? "above" : "of at least"} 0, not ${v}`);
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
      return [{ id: "discovery", action: "DiscoveryKinesisTest", ratePerSecond: o.rate, startSeconds: 0, durationSeconds: o.steadySeconds }];
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

/** mulberry32: small, fast, seeded; quality is ample for timing jitter. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every record of the producers, in send order. */
export function schedule(producers: readonly Producer[], options: ScheduleOptions = {}): ScheduledRecord[] {
  const compression = options.compression ?? 1;
  if (!(compression > 0)) throw new RangeError(`compression must be above 0, not ${compression}`);
  const next = random(options.seed ?? 2020);
  const out: ScheduledRecord[] = [];
  for (const p of producers) {
    const period = 1000 / p.ratePerSecond;
    // Under half a period, so that jitter never swaps two sends of one window.
    const jitter = Math.min(options.jitterMs ?? 150, period / 2 - 1);
    const count = Math.round(p.durationSeconds * p.ratePerSecond);
    for (let seq = 0; seq < count; seq++) {
      const at = p.startSeconds * 1000 + seq * period + (next() * 2 - 1) * Math.max(0, jitter);
      out.push({ atMs: Math.max(0, at) / compression, producer: p.id, seq, data: kdgRecord(p.action) });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.producer.localeCompare(b.producer));
}

/**
 * Adds the producer and its sequence number to each record, so that a consumer can prove order
 * and exactly-once delivery. The lab's SQL reads only browseraction, so extra fields are harmless.
 */
export function withSequence(records: readonly ScheduledRecord[]): ScheduledRecord[] {
  return records.map((r) => ({ ...r, data: JSON.stringify({ ...(JSON.parse(r.data) as object), producer: r.producer, seq: r.seq }) }));
}
