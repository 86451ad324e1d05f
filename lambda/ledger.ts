// The alert's memory of which anomalous windows it has already e-mailed: one small JSON object
// per window in the processed bucket, written with S3 conditional writes so that two attempts at
// the same window (a Lambda retry, a bisected batch, a Flink restart re-emitting the window under
// a new sequence number, a concurrent invocation) can never both believe they own it.
//
// S3's documented semantics this relies on (S3 User Guide, "How to prevent object overwrites with
// conditional writes", https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html,
// and the PutObject API reference):
//   - PutObject with `If-None-Match: *` writes only if no object has that key; otherwise S3
//     answers 412 PreconditionFailed and the object is unchanged.
//   - PutObject with `If-Match: <ETag>` writes only if the current object has that ETag; otherwise
//     412 PreconditionFailed (404 NoSuchKey if there is no object at all).
//   - When two conditional writes on one key race, S3 may answer the loser 409
//     ConditionalRequestConflict; the documented reaction is to retry.
// Conditional writes need only s3:PutObject; reading an entry back needs s3:GetObject. A read is
// only ever made after a 412 (the key exists), so the role needs no s3:ListBucket (without which
// a missing key answers 403 rather than 404).
//
// An entry moves through these states (one object, rewritten with If-Match):
//   claimed   an attempt owns the window until `deadline` (its invocation's own deadline: Lambda
//             stops a function at its timeout, so after that the owner can no longer publish);
//   released  the owner gave the window back without having published (a failed publish, a failed
//             CSV write): the next attempt claims it at once;
//   published the message went out; every later attempt at this window stops here.
// A claim whose deadline has passed without reaching `published` belongs to an invocation that
// died after claiming (timeout, crash, out of memory): the next attempt takes it over and
// publishes. That attempt cannot know whether the dead one's Publish reached SNS, so this case can
// send a second e-mail and never loses one (docs/alerts.md states the whole guarantee).
//
// Clocks (issue 26, kind 6): a deadline is written by one invocation's clock and judged by
// another's. With the clocks of any two invocations within `clockSkewMs` (S) of each other, and a
// function timeout T, a live owner's deadline is at most T after its start, so at most T + S after
// the reader's "now": a deadline further ahead (a year, a clock gone wrong, a hand edit) or not a
// finite number cannot belong to a live invocation, and such a claim is taken over at once. A
// plausible claim is taken over S after its deadline. Clocks further apart than S can only ever
// cause a second e-mail (a live claim taken over), never a lost one.

import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

export const LEDGER_PREFIX = "alert-ledger/";

/** The alert function's timeout (components/alert.ts deploys it): no invocation holds a window longer. */
export const ALERT_TIMEOUT_SECONDS = 10;

/**
 * How far apart the clocks of two invocations may be with the guarantee intact (ms). Lambda hosts
 * keep time with the Amazon Time Sync Service, whose error is far below this; see docs/alerts.md.
 */
export const CLOCK_SKEW_MS = 1000;

export type LedgerState = "claimed" | "released" | "published";

export interface LedgerEntry {
  readonly state: LedgerState;
  /** Random per attempt: tells an attempt its own claim from another's (an S3 answer can be lost and the write retried). */
  readonly owner: string;
  /** The Kinesis sequence number of the record this attempt was handling. */
  readonly sequenceNumber: string;
  /**
   * Epoch milliseconds after which a `claimed` owner can no longer publish (its invocation's
   * deadline). Read back from S3 it may be anything: see WindowLedger.claim for what counts.
   */
  readonly deadline: number;
  /** ISO 8601 time this state was written. */
  readonly at: string;
  /** SNS MessageId, once published. */
  readonly messageId?: string;
  /** Why a claim was released. */
  readonly reason?: string;
}

/** Time, injectable so that tests can run the deadline logic. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Another live attempt holds the window beyond the time this invocation has left: report the record and let Lambda retry it. */
export class WindowBusy extends Error {
  constructor(
    readonly key: string,
    readonly holder: LedgerEntry,
  ) {
    super(
      `window ${key} is being alerted by another invocation (sequence number ${String(holder.sequenceNumber)}) until ${isoOrRaw(holder.deadline)}; retried later`,
    );
    this.name = "WindowBusy";
  }
}

/**
 * A ledger entry that is not one this code wrote (not JSON, `null`, not an object, no known state).
 * Retrying cannot mend it: the handler reports its record alone and goes on with the next
 * (like a bad row), and the message says how to let the window alert again.
 */
export class CorruptEntry extends Error {
  override readonly name = "CorruptEntry";
}

/** An epoch-ms time as ISO 8601, or as it was written when it is no time at all; never throws. */
function isoOrRaw(t: unknown): string {
  if (typeof t === "number" && Number.isFinite(t) && Math.abs(t) <= 8.64e15) return new Date(t).toISOString();
  return `${JSON.stringify(t) ?? String(t)} (not a time)`;
}

export type Claim =
  { readonly outcome: "claimed"; readonly etag: string | undefined } | { readonly outcome: "published"; readonly entry: LedgerEntry };

export interface LedgerOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly clock?: Clock;
  /**
   * Allowance for clocks of two Lambda instances disagreeing (ms, default CLOCK_SKEW_MS): added to
   * a claim's deadline before it is taken over, and to the timeout when judging whether a
   * deadline is plausible at all.
   */
  readonly clockSkewMs?: number;
  /** The longest an invocation can hold a claim (ms, default ALERT_TIMEOUT_SECONDS): the function's timeout. */
  readonly maxLeaseMs?: number;
}

interface S3Error {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}
const status = (e: unknown): number | undefined => (e as S3Error).$metadata?.httpStatusCode;
const isPreconditionFailed = (e: unknown) => status(e) === 412 || (e as S3Error).name === "PreconditionFailed";
const isConflict = (e: unknown) => status(e) === 409 || (e as S3Error).name === "ConditionalRequestConflict";
const isMissing = (e: unknown) => status(e) === 404 || (e as S3Error).name === "NoSuchKey";

/** Changes by others (lost races, take-overs) one claim puts up with before giving up. */
const MAX_CHANGES = 8;
/** How often a live claim of another attempt is looked at again while waiting for it. */
const POLL_MS = 250;

export class WindowLedger {
  private readonly clock: Clock;
  private readonly skew: number;
  private readonly maxLease: number;

  constructor(private readonly o: LedgerOptions) {
    this.clock = o.clock ?? systemClock;
    this.skew = o.clockSkewMs ?? CLOCK_SKEW_MS;
    this.maxLease = o.maxLeaseMs ?? ALERT_TIMEOUT_SECONDS * 1000;
  }

  /**
   * When a claim read back at `now` stops holding its window (epoch ms; at or before `now`: free).
   * Released: at once. Claimed with a deadline that is a finite number no further ahead than the
   * timeout plus the skew allowance: S after the deadline. Any other deadline (a year ahead, a
   * string, null, NaN) cannot be a live invocation's: at once.
   */
  freeAt(entry: LedgerEntry, now: number): number {
    if (entry.state === "released") return 0;
    const d: unknown = entry.deadline;
    if (typeof d !== "number" || !Number.isFinite(d) || d > now + this.maxLease + this.skew) return 0;
    return d + this.skew;
  }

  /** A fresh owner id for one attempt at one window. */
  static owner(): string {
    return randomUUID();
  }

  /**
   * Claims `key` for `mine` (state `claimed`), or finds it already published.
   * Waits for a live claim of another attempt, at most until `waitUntil` (epoch ms).
   * @throws WindowBusy when another live attempt still holds it at `waitUntil`; CorruptEntry when the
   *   entry is not one this code wrote; S3 errors other than 412/409 as they come (the caller
   *   reports the record, and Lambda retries it).
   */
  async claim(key: string, mine: LedgerEntry, waitUntil: number): Promise<Claim> {
    // Counts changes made by others under this attempt (lost races, take-overs); polls do not count.
    let changes = 0;
    const changed = () => {
      if (++changes > MAX_CHANGES)
        throw new Error(`alert ledger: ${key} changed under this attempt ${MAX_CHANGES} times in a row; retried later`);
    };
    for (;;) {
      try {
        return { outcome: "claimed", etag: await this.write(key, mine, { IfNoneMatch: "*" }) };
      } catch (e) {
        if (isConflict(e)) {
          changed();
          await this.clock.sleep(20 + Math.random() * 80);
          continue;
        }
        if (!isPreconditionFailed(e)) throw e;
      }
      const current = await this.read(key);
      if (current === undefined) {
        changed(); // expired or deleted since the 412: create it again
        continue;
      }
      const { entry, etag } = current;
      // Our own write, whose first answer was lost and whose retry met it.
      if (entry.owner === mine.owner) return { outcome: "claimed", etag };
      if (entry.state === "published") return { outcome: "published", entry };
      const now = this.clock.now();
      const freeAt = this.freeAt(entry, now);
      if (freeAt <= now) {
        try {
          return { outcome: "claimed", etag: await this.write(key, mine, etag === undefined ? {} : { IfMatch: etag }) };
        } catch (e) {
          // Someone else changed it first (took it over, published): look again.
          if (!(isPreconditionFailed(e) || isConflict(e) || isMissing(e))) throw e;
          changed();
          continue;
        }
      }
      // Held by a live attempt: look again every POLL_MS (it usually publishes within a fraction of a
      // second) for as long as this invocation can afford, then let Lambda retry the record.
      if (now >= waitUntil) throw new WindowBusy(key, entry);
      await this.clock.sleep(Math.min(freeAt, waitUntil, now + POLL_MS) - now);
    }
  }

  /** Gives a claim back without having published, so that the next attempt claims it at once. */
  async release(key: string, mine: LedgerEntry, etag: string | undefined, reason: string): Promise<void> {
    await this.write(
      key,
      { ...mine, state: "released", reason, at: new Date(this.clock.now()).toISOString() },
      etag === undefined ? {} : { IfMatch: etag },
    );
  }

  /** Records that the message went out. Unconditional: only the owner of a live claim gets here. */
  async published(key: string, mine: LedgerEntry, messageId: string | undefined): Promise<void> {
    await this.write(
      key,
      { ...mine, state: "published", ...(messageId ? { messageId } : {}), at: new Date(this.clock.now()).toISOString() },
      {},
    );
  }

  /**
   * The entry and its ETag, or undefined when there is none.
   * @throws CorruptEntry when the object is not an entry this code wrote; S3 errors as they come.
   */
  async read(key: string): Promise<{ entry: LedgerEntry; etag: string | undefined } | undefined> {
    let text: string;
    let etag: string | undefined;
    try {
      const out = await this.o.s3.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key }));
      text = (await out.Body?.transformToString("utf8")) ?? "";
      etag = out.ETag;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    const corrupt = (what: string) =>
      new CorruptEntry(`alert ledger entry s3://${this.o.bucket}/${key} ${what}; delete it to let the window alert again`);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw corrupt("is not JSON");
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw corrupt(`is ${JSON.stringify(v)}, not an entry`);
    const state = (v as { state?: unknown }).state;
    if (!["claimed", "released", "published"].includes(state as string))
      throw corrupt(`has no valid state (claimed, released or published): ${JSON.stringify(state) ?? "none"}`);
    return { entry: v as LedgerEntry, etag };
  }

  private async write(key: string, entry: LedgerEntry, condition: { IfNoneMatch?: string; IfMatch?: string }): Promise<string | undefined> {
    const out = await this.o.s3.send(
      new PutObjectCommand({ Bucket: this.o.bucket, Key: key, Body: JSON.stringify(entry), ContentType: "application/json", ...condition }),
    );
    return out.ETag;
  }
}
