// Where a run's failed records go: a JSON-lines file, one line per record that PutRecords (or
// PutRecordBatch) did not accept, appended as each one fails. Written synchronously, so that a
// record the report counts as failed is on disk whatever ends the process next (a third Ctrl-C
// exits at once, traffic/stopSignals.ts). Created at the first failure: a run with none leaves
// no file, and a run refused before sending creates nothing.

import { closeSync, openSync, writeSync } from "node:fs";
import type { FailedRecord } from "./sender";

/**
 * One failed record as a line of the file (and of stderr when the file cannot be written):
 * `{"producer":…,"data":…,"code":…,"message":…}`, without the newline. `producer` is the KDG
 * window, the record's partition key; `data` the record as it was put; `code` the ErrorCode of
 * the PutRecords result entry, the call's error code (ECONNREFUSED, ExpiredTokenException…) or
 * "Cancelled"; `message` its ErrorMessage or the error's message.
 */
export function failedRecordLine(f: FailedRecord): string {
  return JSON.stringify({ producer: f.record.producer, data: f.record.data, code: f.code, message: f.message });
}

/** `traffic-failed-<ISO time, ':' and '.' as '-'>.jsonl`, in the working directory: the file when none is named. */
export function defaultFailedRecordPath(now: Date): string {
  return `traffic-failed-${now.toISOString().replace(/[:.]/g, "-")}.jsonl`;
}

/** Appends failed records to a JSON-lines file (failedRecordLine), created (truncated) at the first one. */
export class FailedRecordFile {
  private fd: number | undefined;
  private closed = false;
  /** Records written so far. */
  written = 0;

  constructor(readonly path: string) {}

  /**
   * Appends one record, creating the file first if this is the first.
   * @throws Error once the file is closed (the sender then keeps the record in its report), or
   *   the file system's error (ENOENT for a missing folder, EACCES, ENOSPC).
   */
  write(f: FailedRecord): void {
    if (this.closed) throw new Error(`${this.path} is closed`);
    this.fd ??= openSync(this.path, "w");
    writeSync(this.fd, failedRecordLine(f) + "\n");
    this.written++;
  }

  /** Closes the file if it was created; a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
