// One run of the sender as `npm run traffic` makes it, in order:
//   1. the stream's write capacity (DescribeStreamSummary: shards, or on-demand) against the
//      schedule's peak (traffic/capacity.ts): far over is refused before anything is put;
//   2. the schedule played into the stream (traffic/sender.ts), each failed record appended to a
//      file as it fails (traffic/failedRecordFile.ts);
//   3. SIGINT and SIGTERM, from the first step on, stop or cancel it (traffic/stopSignals.ts).
// Every way out after step 1 ends in the sender's report (sent + failed + unsent = scheduled);
// what to print and which exit code to give is the command's (cli/traffic.ts).

import { judgeRate, type RateVerdict } from "./capacity";
import { FailedRecordFile } from "./failedRecordFile";
import type { Schedule, ScheduledRecord } from "./profiles";
import { send, type Progress, type Report } from "./sender";
import { StopSignals, type SignalSource, type StopSignal } from "./stopSignals";
import type { Target } from "./targets";

/** Records and bytes per second at the schedule's busiest moment, compression included (profiles.ts peakRate). */
export interface PeakRate {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

export interface TrafficRunOptions {
  readonly peak: PeakRate;
  /** Send even when the peak is REFUSE_FACTOR (10) times what the stream takes, or more. */
  readonly allowThrottling?: boolean;
  /** Attempts per record, the first included (SendOptions.maxAttempts; default 8). */
  readonly maxAttempts?: number;
  /** The JSON-lines file for failed records (FailedRecordFile), created at the first one. */
  readonly failedOut: string;
  /** Where SIGINT and SIGTERM come from (default: process); listened to only during the run. */
  readonly signals?: SignalSource;
  /** How long the capacity lookup may take before the run goes on unchecked, in ms (default 10,000). */
  readonly capacityTimeoutMs?: number;
  /** A warning, one line without a prefix: the capacity could not be read, or the peak is over it. */
  readonly warn: (message: string) => void;
  /** What a signal did, with its own newlines ("Stopping: …", "Abandoning …", "Quit at once: …"). */
  readonly notice: (text: string) => void;
  /** Once the rate is judged, just before the first PutRecords (or PutRecordBatch). */
  readonly onSending?: () => void;
  readonly onProgress?: (p: Progress) => void;
  /**
   * The third SIGINT, after its notice, with the failed-record file closed: the command exits 130.
   * When it returns (a test), the run goes on, and records failing after it stay in the report's
   * `failures` (with `sinkError`).
   */
  readonly quit: () => void;
}

/** What became of the run. */
export type TrafficOutcome =
  | {
      /** Refused before anything was put: the peak is REFUSE_FACTOR times the stream's capacity or more. */
      readonly kind: "refused";
      /** Names the limit and how to get under it (traffic/capacity.ts judgeRate). */
      readonly message: string;
    }
  | {
      readonly kind: "sent";
      readonly report: Report;
      /** The first signal received during the run, if any. */
      readonly signal?: StopSignal;
      /** The failed-record file: its path, and how many records it holds (0: it was not created). */
      readonly failedRecords: { readonly path: string; readonly written: number };
    };

/**
 * The peak against the stream's write capacity, read with `target.capacity` (DescribeStreamSummary).
 * @param signal ends the lookup early (a first Ctrl-C); so does `timeoutMs` of silence.
 * @returns the verdict, or undefined when the target has no capacity lookup or it failed (then
 *   `warn` hears why, unless `signal` ended it).
 */
export async function checkWriteCapacity(
  target: Target,
  peak: PeakRate,
  o: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly warn: (message: string) => void },
): Promise<RateVerdict | undefined> {
  if (!target.capacity) return undefined;
  try {
    return judgeRate(peak, await target.capacity(AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])));
  } catch (e) {
    if (!o.signal.aborted)
      o.warn(
        `could not read the stream's shard count (${e instanceof Error ? e.name : String(e)}): the rate is not checked against Kinesis' 1,000 records/s and 1 MiB/s per shard.`,
      );
    return undefined;
  }
}

/**
 * Checks the rate, then plays `records` into `target` (see the file's head). Does not close the target.
 * @throws RangeError for a maxAttempts that is not a whole number of at least 1 (sender.ts), before
 *   anything is put; nothing else once the capacity is judged (every other way out is a report).
 */
export async function runTraffic(
  records: Schedule | readonly ScheduledRecord[],
  target: Target,
  o: TrafficRunOptions,
): Promise<TrafficOutcome> {
  const failedRecords = new FailedRecordFile(o.failedOut);
  let latest = { sent: 0, failed: 0 };
  const stops = new StopSignals({
    notice: o.notice,
    quit: () => {
      o.notice(
        `\nQuit at once: ${latest.sent} sent, ${latest.failed} failed so far (${failedRecords.written} written to ${failedRecords.path}); the rest is not accounted for.\n`,
      );
      failedRecords.close();
      o.quit();
    },
  });
  const unlisten = stops.listen(o.signals ?? process);
  try {
    const verdict = await checkWriteCapacity(target, o.peak, {
      signal: stops.stop.signal,
      timeoutMs: o.capacityTimeoutMs ?? 10_000,
      warn: o.warn,
    });
    if (verdict?.level === "refuse" && !o.allowThrottling) return { kind: "refused", message: verdict.message! };
    if (verdict && verdict.level !== "ok") o.warn(verdict.message!);
    o.onSending?.();
    const report = await send(records, target, {
      ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
      signal: stops.stop.signal,
      cancel: stops.cancel.signal,
      onFailure: (f) => failedRecords.write(f),
      onProgress: (p) => {
        latest = p;
        o.onProgress?.(p);
      },
    });
    return {
      kind: "sent",
      report,
      ...(stops.received ? { signal: stops.received } : {}),
      failedRecords: { path: failedRecords.path, written: failedRecords.written },
    };
  } finally {
    unlisten();
    failedRecords.close();
  }
}
