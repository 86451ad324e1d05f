// Before sending: does the destination take the rate this run offers? A provisioned Kinesis
// stream takes 1,000 records/s and 1 MiB/s per shard (traffic/targets.ts); past that it refuses
// records with ProvisionedThroughputExceededException, the sender retries them with back-off, and
// whatever is still refused after --max-attempts counts as failed. A little over is a fair test of
// that path and gets a warning; far over (REFUSE_FACTOR times) is a run that mostly measures
// throttling, and is refused unless asked for.

import type { WriteCapacity } from "./targets";

/** Offered peak / capacity above which a run is refused rather than warned about. */
export const REFUSE_FACTOR = 10;

export interface RateVerdict {
  readonly level: "ok" | "warn" | "refuse";
  /** What to tell the user, naming the limit (absent when ok). */
  readonly message?: string;
}

const rate = (n: number) => Math.round(n).toLocaleString("en-US");
const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MiB/s`;

/**
 * Compares the run's peak (traffic/profiles.ts peakRate) with what the destination takes.
 * @param peak records and bytes per second at the busiest moment of the schedule, compression included.
 */
export function judgeRate(peak: { recordsPerSecond: number; bytesPerSecond: number }, capacity: WriteCapacity): RateVerdict {
  const factor = Math.max(peak.recordsPerSecond / capacity.recordsPerSecond, peak.bytesPerSecond / capacity.bytesPerSecond);
  if (factor <= 1) return { level: "ok" };
  const offered = `This run offers up to ${rate(peak.recordsPerSecond)} records/s (${mib(peak.bytesPerSecond)}) at its peak; the stream takes ${rate(capacity.recordsPerSecond)} records/s and ${mib(capacity.bytesPerSecond)}: ${capacity.limit}.`;
  if (factor < REFUSE_FACTOR)
    return {
      level: "warn",
      message: `${offered} Kinesis will refuse the excess (ProvisionedThroughputExceededException); refused records are retried, and count as failed after --max-attempts.`,
    };
  return {
    level: "refuse",
    message: `${offered} That is ${factor >= 100 ? Math.round(factor).toLocaleString("en-US") : factor.toFixed(1)} times what it takes, so the run would mostly measure throttling. Lower --rate or --compression, add shards, or pass --allow-throttling to send anyway.`,
  };
}
