// Plays a schedule into a target in real time (or compressed time): batches what is due, retries
// only the records the service refused, backs off while it throttles, and accounts for every
// record: each one ends up sent, failed (after the last attempt, listed in the report) or unsent
// (the run was stopped before its time came). Nothing is dropped without being counted.

import { backOff } from "exponential-backoff";
import type { ScheduledRecord } from "./profiles";
import { recordBytes, type OutRecord, type Target } from "./targets";

export interface SendOptions {
  /** Attempts per record, the first included (default 8). */
  readonly maxAttempts?: number;
  /** First back-off delay; doubles per attempt, with full jitter (default 100 ms). */
  readonly startingDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Stops taking new records; what is already in a batch is still delivered or failed. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly scheduled: number;
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface FailedRecord {
  readonly record: OutRecord;
  readonly code: string;
  readonly message: string;
}

export interface Report extends Progress {
  /** Scheduled records never put because the run was stopped first. */
  readonly unsent: number;
  readonly stopped: boolean;
  /** Records per second actually accepted, over the whole run. */
  readonly ratePerSecond: number;
  readonly failures: readonly FailedRecord[];
}

/** A whole call that failed: retried only when the service says it was transient. */
const TRANSIENT = new Set(["ProvisionedThroughputExceededException", "LimitExceededException", "ThrottlingException", "ServiceUnavailableException", "InternalFailure", "InternalFailureException", "KMSThrottlingException"]);

export function isTransient(e: unknown): boolean {
  if (e instanceof PartialFailure) return true;
  const err = e as { name?: string; $retryable?: unknown; code?: string };
  return Boolean(err.$retryable) || TRANSIENT.has(err.name ?? "") || ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(err.code ?? "");
}

class PartialFailure extends Error {
  constructor(readonly count: number) {
    super(`${count} record(s) refused`);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export async function send(records: readonly ScheduledRecord[], target: Target, options: SendOptions = {}): Promise<Report> {
  const maxAttempts = options.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}`);
  const t0 = performance.now();
  let sent = 0;
  let retried = 0;
  const failures: FailedRecord[] = [];
  const progress = (): Progress => ({ scheduled: records.length, sent, retried, failed: failures.length, elapsedMs: performance.now() - t0 });

  async function deliver(batch: OutRecord[]): Promise<void> {
    let pending = batch;
    let last: { index: number; code: string; message: string }[] = [];
    let attempt = 0;
    try {
      await backOff(
        async () => {
          if (attempt++ > 0) retried += pending.length;
          const refused = await target.put(pending);
          sent += pending.length - refused.length;
          last = refused;
          pending = refused.map((f) => pending[f.index]!);
          if (pending.length > 0) throw new PartialFailure(pending.length);
        },
        {
          numOfAttempts: maxAttempts,
          startingDelay: options.startingDelayMs ?? 100,
          maxDelay: options.maxDelayMs ?? 5000,
          jitter: "full",
          retry: (e) => isTransient(e),
        },
      );
    } catch (e) {
      if (!(e instanceof PartialFailure)) throw e;
      pending.forEach((record, i) => failures.push({ record, code: last[i]?.code ?? "Unknown", message: last[i]?.message ?? "" }));
    }
  }

  let i = 0;
  while (i < records.length && !options.signal?.aborted) {
    const elapsed = performance.now() - t0;
    const due = records[i]!;
    if (due.atMs > elapsed) {
      await sleep(due.atMs - elapsed, options.signal);
      continue;
    }
    const batch: OutRecord[] = [];
    let size = 0;
    while (i < records.length && records[i]!.atMs <= elapsed && batch.length < target.maxRecords) {
      const r = { producer: records[i]!.producer, data: records[i]!.data };
      if (batch.length > 0 && size + recordBytes(r) > target.maxBytes) break;
      size += recordBytes(r);
      batch.push(r);
      i++;
    }
    await deliver(batch);
    options.onProgress?.(progress());
  }
  const p = progress();
  return { ...p, unsent: records.length - i, stopped: i < records.length, ratePerSecond: p.elapsedMs > 0 ? (sent * 1000) / p.elapsedMs : 0, failures };
}
