// The alert: for each anomaly row the Flink job writes to the anomalies stream, publish the lab's
// message to the team's topic (e-mail, SMS) and keep the row as a one-line CSV in the processed
// bucket, once per anomalous window. Runs as a Lambda on the anomalies stream (event source
// mapping with partial batch responses, components/alert.ts) and, unchanged, in the local lab.
//
// How Lambda retries a Kinesis batch decides the shape of this handler (Lambda developer guide,
// "Configuring partial batch response with Kinesis Data Streams and Lambda",
// https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html):
//   - "If the batchItemFailures array contains multiple items, Lambda uses the record with the
//     lowest sequence number as the checkpoint. Lambda then retries all records starting from
//     that checkpoint." So everything after a failed record is delivered again anyway: the
//     handler reports the first failed record with every record after it, and stops at a failure
//     of SNS or S3 (the next records would fail alike).
//   - With BisectBatchOnFunctionError as well, "the batch is bisected at the returned sequence
//     number and Lambda retries only the remaining records"; splitting does not consume the retry
//     quota ("Retain discarded batch records for a Kinesis Data Streams event source",
//     https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). Whether
//     the remaining records are then halved until a poison record is alone, or retried together
//     until all are discarded with it, the wording leaves open; so a bad row (one that can never
//     succeed) is reported but does not stop the rows after it from being alerted in the same
//     invocation: they get their e-mail under either reading, and their redelivery is a no-op.
//   - An empty or null itemIdentifier fails the whole batch, so every record must carry its
//     sequence number; an event that is not a Kinesis batch is thrown on, as a function error.
// Redelivery (of a failed record's successors, of a whole batch, and of a window the Flink job
// emits again after a restart from a checkpoint, under a new sequence number) is made harmless by
// the window ledger (lambda/ledger.ts): one e-mail per window, keyed by stream and window, not by
// sequence number. docs/alerts.md states the guarantee and its one exception.

import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { stringify } from "csv-stringify/sync";
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { ALERT_TIMEOUT_SECONDS, CorruptEntry, LEDGER_PREFIX, systemClock, WindowLedger, type Clock, type LedgerEntry } from "./ledger";

export { ALERT_TIMEOUT_SECONDS, LEDGER_PREFIX };

/** What the Flink job writes (analytics ClickstreamJob.toJson), one JSON object per anomalous window. */
export interface AnomalyRow {
  /** clicks / impressions * 100. */
  readonly ctrPercent: number;
  /** Random Cut Forest score (0 up to log2(sample size + 1)). */
  readonly anomalyScore: number;
  /** Clicks in the window (a whole number, 0 or more). */
  readonly clicks: number;
  /** Impressions in the window (a whole number above 0: the job divides by it). */
  readonly impressions: number;
  /** ISO 8601 UTC instant, e.g. 2026-12-31T23:59:50Z (Java's Instant.toString). */
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The score as a fraction of its ceiling (0 to 1), when the job sends it. */
  readonly scoreFraction?: number;
}

export const SUBJECT = "Anomaly Detected";
export const PROCESSED_PREFIX = "weblogs/processed/";
export const CSV_COLUMNS = ["ctrPercent", "anomalyScore", "clicks", "impressions", "windowStart", "windowEnd"] as const;

/** The 2020 lab's text, word for word, with its numbers as {@link readable} writes them. */
export function message(row: AnomalyRow): string {
  return `Anomaly detected with a click through rate of ${readable(row.ctrPercent)}% and an anomaly score of ${readable(row.anomalyScore)}`;
}

/**
 * A number as a person reads it in the e-mail: at most two decimals, no trailing zeros (220,
 * 366.67, 2.14). Binary floating point turns 11 clicks / 5 impressions * 100 into
 * 220.00000000000003 (issue #26); two decimals is what the 2020 lab's console showed
 * (CTRPERCENT 366.67, ANOMALY_SCORE 2.09). The CSV keeps the full values.
 */
export function readable(x: number): string {
  return String(Number(x.toFixed(2)));
}

/**
 * A window's name in object keys, from its two instants (issue 26, kind 6: a window is its two
 * instants, not their spelling): each instant in UTC to the millisecond, without separators, the
 * milliseconds only when not zero. 2026-12-31T23:59:50Z and 2026-12-31T23:59:50.000Z are one
 * window, 20261231T235950Z; 23:59:50.5Z is 20261231T235950.500Z. Instants are told apart to the
 * millisecond (a JavaScript Date's resolution; the job's windows are whole seconds).
 * @throws BadRow when a time is not what parseRow accepts.
 */
export function windowId(row: Pick<AnomalyRow, "windowStart" | "windowEnd">): string {
  const compact = (field: string, t: string) => {
    const ms = Math.floor(instant(field, t));
    return new Date(ms)
      .toISOString()
      .replace(ms % 1000 === 0 ? ".000Z" : "Z", "Z")
      .replace(/[-:]/g, "");
  };
  return `${compact("windowStart", row.windowStart)}-${compact("windowEnd", row.windowEnd)}`;
}

/**
 * weblogs/processed/YYYY/MM/DD/<window>.csv, by the window's UTC date; months run 01 to 12 (the
 * 2020 code wrote 0 to 11). Keyed by the window, so a window delivered again overwrites its own
 * CSV instead of adding a second one.
 */
export function objectKey(row: AnomalyRow): string {
  const d = new Date(row.windowStart);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${PROCESSED_PREFIX}${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${windowId(row)}.csv`;
}

/** alert-ledger/<stream>/<window>.json: one entry per window of one team's anomalies stream. */
export function ledgerKey(stream: string, row: AnomalyRow): string {
  return `${LEDGER_PREFIX}${stream}/${windowId(row)}.json`;
}

export function csvLine(row: AnomalyRow): string {
  return stringify([CSV_COLUMNS.map((c) => row[c])]);
}

/** A row that can never be alerted, whatever the retries: it is not what the Flink job writes. */
export class BadRow extends Error {
  override readonly name = "BadRow";
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Epoch milliseconds of an ISO 8601 UTC time that names a real instant (no 30 February, no 24:00). */
function instant(field: string, v: unknown): number {
  const m = typeof v === "string" ? ISO.exec(v) : null;
  if (!m) throw new BadRow(`${field} is not an ISO 8601 UTC time like 2026-12-31T23:59:50Z: ${JSON.stringify(v)}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  // Date.UTC rolls 2027-02-30 over to 2 March; a real date comes back unchanged.
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  )
    throw new BadRow(`${field} is not a real date and time: ${String(v)}`);
  return t + (m[7] ? Number(m[7]) * 1000 : 0);
}

function finite(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  // JSON.parse turns 1e400 into Infinity, so "a number" is not yet "a finite number".
  if (typeof v !== "number" || !Number.isFinite(v)) throw new BadRow(`${k} is not a finite number: ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

export interface RowExpectations {
  /** The job's window length (runtime property Detection/window.seconds); when given, every row's window must be exactly this long. */
  readonly windowSeconds?: number;
}

/**
 * Parses one record's data and checks that it can be a true anomaly row: finite numbers, whole
 * counts with clicks >= 0 and impressions > 0, ctrPercent = clicks / impressions * 100 (to 0.005
 * percentage points, so a row rounded to two decimals still passes), a score >= 0, scoreFraction
 * (optional) within 0..1, real UTC instants, windowEnd after windowStart and, when `expect`
 * names it, the window exactly windowSeconds long. Fields it does not know are ignored.
 * @throws BadRow whose message names the field and what is wrong with it.
 */
export function parseRow(data: string, expect: RowExpectations = {}): AnomalyRow {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    throw new BadRow("not JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new BadRow("not a JSON object");
  const o = v as Record<string, unknown>;
  const ctrPercent = finite(o, "ctrPercent");
  const anomalyScore = finite(o, "anomalyScore");
  const clicks = finite(o, "clicks");
  const impressions = finite(o, "impressions");
  if (!Number.isInteger(clicks) || clicks < 0) throw new BadRow(`clicks must be a whole number of at least 0, not ${clicks}`);
  if (!Number.isInteger(impressions) || impressions < 1) throw new BadRow(`impressions must be a whole number above 0, not ${impressions}`);
  const expected = (clicks / impressions) * 100;
  if (Math.abs(ctrPercent - expected) > Math.max(0.005, Math.abs(expected) * 1e-9))
    throw new BadRow(`ctrPercent ${ctrPercent} is not clicks / impressions * 100 = ${expected}`);
  if (anomalyScore < 0) throw new BadRow(`anomalyScore must be 0 or more, not ${anomalyScore}`);
  let scoreFraction: number | undefined;
  if (o.scoreFraction !== undefined) {
    scoreFraction = finite(o, "scoreFraction");
    if (scoreFraction < 0 || scoreFraction > 1 + 1e-9) throw new BadRow(`scoreFraction must be between 0 and 1, not ${scoreFraction}`);
  }
  const start = instant("windowStart", o.windowStart);
  const end = instant("windowEnd", o.windowEnd);
  if (end <= start) throw new BadRow(`windowEnd ${String(o.windowEnd)} is not after windowStart ${String(o.windowStart)}`);
  if (expect.windowSeconds !== undefined && end - start !== expect.windowSeconds * 1000)
    throw new BadRow(`the window is ${(end - start) / 1000} s long, not the configured ${expect.windowSeconds} s (WINDOW_SECONDS)`);
  return {
    ctrPercent,
    anomalyScore,
    clicks,
    impressions,
    windowStart: o.windowStart as string,
    windowEnd: o.windowEnd as string,
    ...(scoreFraction !== undefined ? { scoreFraction } : {}),
  };
}

export interface AlertDeps {
  /**
   * Publishes the message. Give it `maxAttempts: 1`: the handler retries Publish itself, and only
   * when SNS answered with throttling or a server error; the SDK would also retry a call whose
   * answer was lost, which may already have sent the e-mail.
   */
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly topicArn: string;
  /** The processed bucket: CSVs under weblogs/processed/, the window ledger under alert-ledger/. */
  readonly bucket: string;
  /** The Flink job's window length in seconds (Lambda: WINDOW_SECONDS); rows of another length are refused. */
  readonly windowSeconds: number;
  readonly log?: (line: string) => void;
  readonly clock?: Clock;
  /** How long a claim lasts when no Lambda context gives the invocation's deadline (default: the function's timeout, ALERT_TIMEOUT_SECONDS). */
  readonly leaseMs?: number;
  /** See LedgerOptions.clockSkewMs. */
  readonly clockSkewMs?: number;
  /** The function's timeout in ms (default ALERT_TIMEOUT_SECONDS): no live claim's deadline lies further ahead (LedgerOptions.maxLeaseMs). */
  readonly timeoutMs?: number;
}

/** The part of Lambda's context the handler reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Time kept back, when waiting for another attempt's claim, to write the CSV, publish and record:
 * 3 s, or a third of the invocation's time if that is shorter.
 */
const RESERVE_MS = 3000;
const PUBLISH_ATTEMPTS = 3;
const THROTTLING = new Set([
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "KMSThrottlingException",
  "TooManyRequestsException",
]);

/** SNS answered, and the answer says "not now": safe to publish again (nothing went out). */
function retryableAnswer(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.$metadata?.httpStatusCode;
  return code !== undefined && (code === 429 || code >= 500 || THROTTLING.has(err.name ?? ""));
}

const reason = (e: unknown) =>
  e instanceof Error
    ? `${e.name === "Error" || e instanceof BadRow || e instanceof CorruptEntry ? "" : `${e.name}: `}${e.message}`
    : String(e);

/** The records of a Kinesis batch, each with what the handler needs; throws on anything else. */
function kinesisRecords(event: unknown): KinesisStreamRecord[] {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records)) {
    const keys = event !== null && typeof event === "object" ? Object.keys(event).join(", ") || "none" : typeof event;
    throw new Error(
      `the alert handler takes a Kinesis batch ({"Records": [...]}, from the event source mapping on the anomalies stream); this event has no Records array (keys: ${keys})`,
    );
  }
  records.forEach((r: unknown, i) => {
    const k = (r as { kinesis?: { sequenceNumber?: unknown; data?: unknown } } | null)?.kinesis;
    if (typeof k?.sequenceNumber !== "string" || k.sequenceNumber === "" || typeof k.data !== "string")
      throw new Error(`Records[${i}] is not a Kinesis record: it needs kinesis.sequenceNumber and kinesis.data (base64)`);
    if (typeof (r as { eventSourceARN?: unknown }).eventSourceARN !== "string")
      throw new Error(`Records[${i}] has no eventSourceARN (the anomalies stream's ARN)`);
  });
  return records as KinesisStreamRecord[];
}

/** The stream's name from arn:aws:kinesis:<region>:<account>:stream/<name>. */
const streamOf = (record: KinesisStreamRecord) =>
  record.eventSourceARN.split(":stream/")[1] ?? record.eventSourceARN.replace(/[^\w.-]/g, "_");

/**
 * What a record's failure is logged as, and whether the records after it are still attempted in
 * this invocation (they are reported either way: Lambda retries from the first failed record).
 */
function failureOf(e: unknown, sequenceNumber: string, after: number): { line: object; goOn: boolean } {
  // It will never succeed (a bad row; a ledger entry only a person can mend), and the rows behind
  // it are real anomalies: alert them now. Read strictly, AWS's bisect wording would retry this
  // record and all its successors as one batch until they are discarded together; their
  // redelivery is a no-op in the ledger.
  if (e instanceof BadRow) return { line: { level: "error", sequenceNumber, reason: reason(e), badRow: true }, goOn: true };
  if (e instanceof CorruptEntry)
    return { line: { level: "error", sequenceNumber, reason: reason(e), corruptLedgerEntry: true }, goOn: true };
  // SNS, S3 or the ledger failed: the next records would most likely fail alike, and Lambda
  // delivers them again from here anyway.
  return { line: { level: "error", sequenceNumber, reason: reason(e), notAttempted: after }, goOn: false };
}

export type AlertHandler = (event: KinesisStreamEvent, context?: InvocationContext) => Promise<KinesisStreamBatchResponse>;

/**
 * Publishes the window's alert to SNS, retrying answers SNS documents as transient with jittered
 * back-off, at most PUBLISH_ATTEMPTS times. Returns SNS's MessageId; throws the last error.
 */
async function publish(deps: AlertDeps, clock: Clock, row: AnomalyRow): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: SUBJECT, Message: message(row) }))).MessageId;
    } catch (e) {
      if (attempt >= PUBLISH_ATTEMPTS || !retryableAnswer(e)) throw e;
      await clock.sleep(Math.random() * 100 * 2 ** attempt);
    }
  }
}

/** What the handler's steps share: its dependencies, the window ledger, the clock and the log. */
interface Alerting {
  readonly deps: AlertDeps;
  readonly ledger: WindowLedger;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

/** One invocation's times, epoch ms: its deadline (a claim's), and until when a claim of another attempt is waited for. */
interface Invocation {
  readonly deadline: number;
  readonly waitUntil: number;
}

/**
 * The handler over its dependencies. Records are handled in order. The first record that fails
 * and every record after it are returned as batch item failures (Lambda delivers them all again
 * anyway), each failure's reason logged as one JSON line. A failure of SNS, S3 or the ledger stops
 * the batch there; a bad row (BadRow) or a ledger entry that is not the ledger's (CorruptEntry)
 * does not stop the rows after it from being alerted.
 * @throws Error when the event is not a Kinesis batch (no Records array, a record without a sequence number).
 */
export function alertHandler(deps: AlertDeps): AlertHandler {
  const clock = deps.clock ?? systemClock;
  const alerting: Alerting = {
    deps,
    clock,
    log: deps.log ?? ((line: string) => console.log(line)),
    ledger: new WindowLedger({
      s3: deps.s3,
      bucket: deps.bucket,
      clock,
      ...(deps.clockSkewMs !== undefined ? { clockSkewMs: deps.clockSkewMs } : {}),
      ...(deps.timeoutMs !== undefined ? { maxLeaseMs: deps.timeoutMs } : {}),
    }),
  };
  return async (event, context) => {
    const records = kinesisRecords(event);
    const remaining = context ? context.getRemainingTimeInMillis() : (deps.leaseMs ?? ALERT_TIMEOUT_SECONDS * 1000);
    const deadline = clock.now() + remaining;
    const firstFailed = await alertInOrder(alerting, records, { deadline, waitUntil: deadline - Math.min(RESERVE_MS, remaining / 3) });
    if (firstFailed === undefined) return { batchItemFailures: [] };
    // Lambda retries from the lowest reported sequence number: report that record and every one after it.
    const reported = [...new Set(records.slice(firstFailed).map((r) => r.kinesis.sequenceNumber))];
    return { batchItemFailures: reported.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** Alerts the records in order, logging each failure; stops at one that stops the batch (failureOf). @returns the first failed record's index. */
async function alertInOrder(alerting: Alerting, records: readonly KinesisStreamRecord[], times: Invocation): Promise<number | undefined> {
  let firstFailed: number | undefined;
  for (let i = 0; i < records.length; i++) {
    const sequenceNumber = records[i]!.kinesis.sequenceNumber;
    try {
      await alertWindow(alerting, records[i]!, times);
    } catch (e) {
      firstFailed ??= i;
      const failure = failureOf(e, sequenceNumber, records.length - i - 1);
      alerting.log(JSON.stringify(failure.line));
      if (!failure.goOn) break;
    }
  }
  return firstFailed;
}

/**
 * One record: its row parsed, its window claimed in the ledger; unless the window was already
 * alerted, the CSV written and the message published, then the window recorded as published.
 * @throws BadRow, CorruptEntry, or what S3, SNS or the ledger threw before the message went out.
 */
async function alertWindow({ deps, ledger, clock, log }: Alerting, record: KinesisStreamRecord, times: Invocation): Promise<void> {
  const row = parseRow(Buffer.from(record.kinesis.data, "base64").toString("utf8"), { windowSeconds: deps.windowSeconds });
  const key = ledgerKey(streamOf(record), row);
  const mine: LedgerEntry = {
    state: "claimed",
    owner: WindowLedger.owner(),
    sequenceNumber: record.kinesis.sequenceNumber,
    deadline: times.deadline,
    at: new Date(clock.now()).toISOString(),
  };
  const claim = await ledger.claim(key, mine, times.waitUntil);
  if (claim.outcome === "published") {
    log(
      JSON.stringify({
        level: "info",
        sequenceNumber: record.kinesis.sequenceNumber,
        window: windowId(row),
        skipped: "already alerted",
        by: claim.entry.sequenceNumber,
        messageId: claim.entry.messageId,
      }),
    );
    return;
  }
  let messageId: string | undefined;
  try {
    await deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: objectKey(row), Body: csvLine(row), ContentType: "text/csv" }));
    messageId = await publish(deps, clock, row);
  } catch (e) {
    // Nothing was published, or SNS's answer was lost (then a second e-mail is possible, as
    // after a crash here): either way the next attempt should publish without waiting.
    await ledger
      .release(key, mine, claim.etag, reason(e))
      .catch((r: unknown) => log(JSON.stringify({ level: "warn", key, release: reason(r) })));
    throw e;
  }
  try {
    await ledger.published(key, mine, messageId);
  } catch (e) {
    // The e-mail went out: reporting the record would only send it again. Only a redelivery of
    // this window after the claim's deadline could then e-mail twice.
    log(
      JSON.stringify({
        level: "error",
        sequenceNumber: record.kinesis.sequenceNumber,
        window: windowId(row),
        published: messageId ?? true,
        ledger: `not recorded: ${reason(e)}`,
      }),
    );
  }
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (components/alert.ts sets it on the function)`);
  return v;
}

function windowSecondsFromEnv(): number {
  const raw = required("WINDOW_SECONDS");
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(
      `environment variable WINDOW_SECONDS must be the Flink job's window length in seconds (a number above 0), not ${JSON.stringify(raw)}`,
    );
  return n;
}

let deployed: AlertHandler | undefined;

/** The Lambda entry point: configuration from the function's environment (components/alert.ts). */
export const handler: AlertHandler = (event, context) => {
  deployed ??= alertHandler({
    sns: new SNSClient({ maxAttempts: 1 }),
    s3: new S3Client({}),
    topicArn: required("TOPIC_ARN"),
    bucket: required("PROCESSED_BUCKET"),
    windowSeconds: windowSecondsFromEnv(),
  });
  return deployed(event, context);
};
