// Plays a schedule into a target in real time (or compressed time): batches what is due, retries
// only the records the service refused, backs off while it throttles, and accounts for every
// record on every way out. Each scheduled record ends in exactly one of:
//   sent     the service accepted it;
//   failed   it was put and not accepted: refused on its last attempt, in a call that failed for
//            good (connection refused, expired credentials, a stream gone), or in a call cut off
//            by a cancel (then it may or may not have been written);
//   unsent   its turn never came: the run was stopped (Ctrl-C, a call that failed for good) first.
// So sent + failed + unsent = scheduled, always; `send` reports instead of throwing once it started.
// The schedule is read as it goes (a lazySchedule), so memory does not grow with the run.

import type { Schedule, ScheduledRecord } from "./profiles";
import { recordBytes, type OutRecord, type RecordFailure, type Target } from "./targets";

export interface SendOptions {
  /** Attempts per record, the first included (default 8). */
  readonly maxAttempts?: number;
  /** First back-off delay; doubles per attempt, with full jitter (default 100 ms). */
  readonly startingDelayMs?: number;
  /** Longest back-off delay (default 5,000 ms). */
  readonly maxDelayMs?: number;
  /** Stops taking new records; the batch in flight is still delivered (with its retries) or failed. */
  readonly signal?: AbortSignal;
  /** Stops at once: the call in flight is abandoned, and its records count as failed ("Cancelled"). */
  readonly cancel?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /**
   * Takes each failed record as it fails (the command line appends it to a file), so that failures
   * do not pile up in memory; the report then keeps only the ones it threw on.
   */
  readonly onFailure?: (f: FailedRecord) => void;
}

export interface Progress {
  readonly scheduled: number;
  readonly sent: number;
  /** Record sends repeated after a refusal or a failed call. */
  readonly retried: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface FailedRecord {
  readonly record: OutRecord;
  /** The service's error code (ProvisionedThroughputExceededException…), or Node's (ECONNREFUSED), or Cancelled. */
  readonly code: string;
  readonly message: string;
}

export interface Report extends Progress {
  /** Scheduled records never put because the run stopped first. */
  readonly unsent: number;
  readonly stopped: boolean;
  /** Why it stopped early: "interrupted", "cancelled", or the call error that ended it. */
  readonly stopReason?: string;
  /** Records per second actually accepted, over the whole run. */
  readonly ratePerSecond: number;
  readonly failedByCode: Readonly<Record<string, number>>;
  /** Failed records not handed to onFailure: all of them without it, else those it threw on. */
  readonly failures: readonly FailedRecord[];
  /** What onFailure threw, if it did. */
  readonly sinkError?: string;
}

/**
 * Error codes AWS documents as passing: throttling and the service's own trouble. Everything else
 * (KMSAccessDeniedException, KMSDisabledException, ResourceNotFoundException, AccessDenied,
 * InvalidArgumentException, expired credentials...) is permanent: every next call fails alike, so
 * a retry only delays the report (issue #26). Sources: the Kinesis PutRecords and Firehose
 * PutRecordBatch API references (Errors; PutRecordsResultEntry and PutRecordBatchResponseEntry:
 * a refused record's ErrorCode is ProvisionedThroughputExceededException or InternalFailure, and
 * ServiceUnavailableException or InternalFailure), and KMS's ThrottlingException as Kinesis
 * relays it (KMSThrottlingException).
 */
const TRANSIENT = new Set([
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "ThrottlingException",
  "Throttling",
  "KMSThrottlingException",
  "ServiceUnavailableException",
  "InternalFailure",
  "InternalFailureException",
  "InternalServerError",
  "TimeoutError",
]);
const TRANSIENT_NETWORK = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);

/** Whether a record refused inside a successful call, with this ErrorCode, is worth sending again. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT.has(code);
}

/**
 * Whether a failed call is worth another attempt: a documented transient code, the SDK's
 * `$retryable` (throttling), a server fault (5xx) and a dropped connection. A client fault
 * (4xx) with any other code is permanent.
 */
export function isTransient(e: unknown): boolean {
  const err = e as { name?: string; $retryable?: unknown; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    Boolean(err.$retryable) ||
    TRANSIENT.has(err.name ?? "") ||
    TRANSIENT_NETWORK.has(err.code ?? "") ||
    (err.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

/**
 * The run's stop reason when a refusal is one AWS documents as permanent (a KMS key this caller
 * may not use): the next batch would be refused alike. Undefined when every refusal may pass.
 */
function permanentStop(describe: string, refused: readonly RecordFailure[]): string | undefined {
  const f = refused.find((r) => !isTransientCode(r.code));
  return f && `${describe} refused records: ${f.code}: ${f.message} (a permanent error, not retried)`;
}

function errorCode(e: unknown): string {
  const err = e as { name?: string; code?: string };
  return err.code ?? (err.name && err.name !== "Error" ? err.name : "Error");
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Resolves after `ms`, or at once when any of the signals aborts. */
function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve) => {
    if (live.some((s) => s.aborted)) return resolve();
    const done = () => {
      clearTimeout(timer);
      live.forEach((s) => s.removeEventListener("abort", done));
      resolve();
    };
    const timer = setTimeout(done, ms);
    live.forEach((s) => s.addEventListener("abort", done, { once: true }));
  });
}

/**
 * Plays `records` into `target`.
 * @param records a lazySchedule (read as it goes) or an array.
 * @returns the report; it never throws once started (every way out ends in a report).
 * @throws RangeError for a maxAttempts that is not a whole number of at least 1 (before anything is sent).
 */
export async function send(records: Schedule | readonly ScheduledRecord[], target: Target, options: SendOptions = {}): Promise<Report> {
  const maxAttempts = options.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}`);
  const tally = new Tally("count" in records ? records.count : records.length, options.onFailure);
  const retry: RetryPolicy = {
    maxAttempts,
    startingDelayMs: options.startingDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 5000,
    ...(options.cancel ? { cancel: options.cancel } : {}),
  };
  let stopReason: string | undefined;
  try {
    stopReason = await play(records, target, tally, retry, options);
  } catch (e) {
    // A fault of this program (the schedule, a progress callback): still a report, with the reason.
    stopReason = `stopped by an unexpected error: ${errorMessage(e)}`;
  }
  return tally.report(stopReason);
}

/** How one batch is tried: attempts per record, the back-off between them (full jitter, doubling), and the cancel signal. */
interface RetryPolicy {
  readonly maxAttempts: number;
  readonly startingDelayMs: number;
  readonly maxDelayMs: number;
  readonly cancel?: AbortSignal;
}

/** The counts of a run, the failed records handed on (or kept), and the report they make. */
class Tally {
  private readonly t0 = performance.now();
  sent = 0;
  retried = 0;
  failed = 0;
  private readonly failedByCode: Record<string, number> = {};
  private readonly kept: FailedRecord[] = [];
  private sinkError: string | undefined;

  constructor(
    private readonly scheduled: number,
    private readonly onFailure: ((f: FailedRecord) => void) | undefined,
  ) {}

  /** Counts one failed record and hands it to onFailure; keeps it when there is none, or it throws. */
  fail(record: OutRecord, code: string, message: string): void {
    this.failed++;
    this.failedByCode[code] = (this.failedByCode[code] ?? 0) + 1;
    const f = { record, code, message };
    if (!this.onFailure) return void this.kept.push(f);
    try {
      this.onFailure(f);
    } catch (e) {
      this.sinkError ??= errorMessage(e);
      this.kept.push(f);
    }
  }

  /** Milliseconds since the run started (the schedule's clock). */
  elapsedMs(): number {
    return performance.now() - this.t0;
  }

  progress(): Progress {
    const { scheduled, sent, retried, failed } = this;
    return { scheduled, sent, retried, failed, elapsedMs: this.elapsedMs() };
  }

  /** The report: unsent is what was neither sent nor failed. */
  report(stopReason: string | undefined): Report {
    const p = this.progress();
    return {
      ...p,
      unsent: this.scheduled - this.sent - this.failed,
      stopped: stopReason !== undefined,
      ...(stopReason ? { stopReason } : {}),
      ratePerSecond: p.elapsedMs > 0 ? (this.sent * 1000) / p.elapsedMs : 0,
      failedByCode: this.failedByCode,
      failures: this.kept,
      ...(this.sinkError ? { sinkError: this.sinkError } : {}),
    };
  }
}

/**
 * Takes the records that are due, batch after batch, waiting for the next one's time, until the
 * schedule ends, a signal stops it, or a batch's delivery gives a reason to stop (returned).
 */
async function play(
  records: Schedule | readonly ScheduledRecord[],
  target: Target,
  tally: Tally,
  retry: RetryPolicy,
  options: SendOptions,
): Promise<string | undefined> {
  const { signal, cancel } = options;
  const iterator = records[Symbol.iterator]();
  let head = iterator.next();
  while (!head.done) {
    if (cancel?.aborted) return "cancelled";
    if (signal?.aborted) return "interrupted";
    const elapsed = tally.elapsedMs();
    if (head.value.atMs > elapsed) {
      await sleep(head.value.atMs - elapsed, signal, cancel);
      continue;
    }
    const batch: OutRecord[] = [];
    let size = 0;
    while (!head.done && head.value.atMs <= elapsed && batch.length < target.maxRecords) {
      const r = { producer: head.value.producer, data: head.value.data };
      if (batch.length > 0 && size + recordBytes(r) > target.maxBytes) break;
      size += recordBytes(r);
      batch.push(r);
      head = iterator.next();
    }
    const stopReason = await deliver(batch, target, tally, retry);
    options.onProgress?.(tally.progress());
    if (stopReason) return stopReason;
  }
  return undefined;
}

/** Waits the back-off before attempt `attempt + 1`: full jitter up to startingDelay × 2^(attempt-1), at most maxDelay. */
const backOff = (retry: RetryPolicy, attempt: number) =>
  sleep(Math.random() * Math.min(retry.maxDelayMs, retry.startingDelayMs * 2 ** (attempt - 1)), retry.cancel);

/** Puts one batch until every record is sent or failed; a reason when the run must stop. */
async function deliver(batch: OutRecord[], target: Target, tally: Tally, retry: RetryPolicy): Promise<string | undefined> {
  const { cancel, maxAttempts } = retry;
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) tally.retried += pending.length;
    let refused;
    try {
      refused = await target.put(pending, cancel);
    } catch (e) {
      if (cancel?.aborted) {
        pending.forEach((r) => tally.fail(r, "Cancelled", "stopped while the call was in flight: it may or may not have been written"));
        return "cancelled";
      }
      if (isTransient(e) && attempt < maxAttempts) {
        await backOff(retry, attempt);
        if (!cancel?.aborted) continue;
        pending.forEach((r) => tally.fail(r, "Cancelled", "stopped before it could be retried"));
        return "cancelled";
      }
      // Credentials, a missing stream, an endpoint that stays gone: every next call would fail alike.
      const code = errorCode(e);
      pending.forEach((r) => tally.fail(r, code, errorMessage(e)));
      return `${target.describe} failed: ${code}: ${errorMessage(e)}${isTransient(e) ? ` (after ${attempt} attempts)` : ""}`;
    }
    tally.sent += pending.length - refused.length;
    if (refused.length === 0) return undefined;
    const refusedRecords = refused.map((f) => pending[f.index]!);
    if (attempt >= maxAttempts || cancel?.aborted || refused.some((f) => !isTransientCode(f.code))) {
      // Refused: certainly not written, under the service's own reason; a permanent one stops the run.
      refusedRecords.forEach((r, i) => tally.fail(r, refused[i]!.code, refused[i]!.message));
      return cancel?.aborted ? "cancelled" : permanentStop(target.describe, refused);
    }
    pending = refusedRecords;
    await backOff(retry, attempt);
  }
}
