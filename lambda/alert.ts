// The alert: for each anomaly row the Flink job writes to the anomalies stream, publish the lab's
// message to the team's topic (e-mail, SMS) and keep the row as a one-line CSV in the processed
// bucket. Runs as a Lambda on the anomalies stream (event source mapping with partial batch
// responses) and, unchanged, in the local lab.
//
// A record that cannot be handled is reported as a batch item failure, never thrown: the mapping
// then bisects and retries only what failed, and sends what still fails to its SQS queue.

import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { stringify } from "csv-stringify/sync";
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";

/** What the Flink job writes (analytics ClickstreamJob.toJson). */
export interface AnomalyRow {
  readonly ctrPercent: number;
  readonly anomalyScore: number;
  readonly clicks: number;
  readonly impressions: number;
  readonly windowStart: string;
  readonly windowEnd: string;
}

export const SUBJECT = "Anomaly Detected";
export const PROCESSED_PREFIX = "weblogs/processed/";
export const CSV_COLUMNS = ["ctrPercent", "anomalyScore", "clicks", "impressions", "windowStart", "windowEnd"] as const;

/** The 2020 lab's text, word for word. */
export function message(row: AnomalyRow): string {
  return `Anomaly detected with a click through rate of ${row.ctrPercent}% and an anomaly score of ${row.anomalyScore}`;
}

/** weblogs/processed/YYYY/MM/DD/<id>.csv, by the window's UTC date; months run 01 to 12 (the 2020 code wrote 0 to 11). */
export function objectKey(row: AnomalyRow, id: string): string {
  const d = new Date(row.windowStart);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${PROCESSED_PREFIX}${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${id}.csv`;
}

export function csvLine(row: AnomalyRow): string {
  return stringify([CSV_COLUMNS.map((c) => row[c])]);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Parses and checks one record's data; throws with the reason when it is not an anomaly row. */
export function parseRow(data: string): AnomalyRow {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    throw new Error("not JSON");
  }
  if (typeof v !== "object" || v === null) throw new Error("not a JSON object");
  const o = v as Record<string, unknown>;
  for (const k of ["ctrPercent", "anomalyScore", "clicks", "impressions"] as const)
    if (typeof o[k] !== "number" || !Number.isFinite(o[k])) throw new Error(`${k} is not a number`);
  for (const k of ["windowStart", "windowEnd"] as const) if (typeof o[k] !== "string" || !ISO.test(o[k])) throw new Error(`${k} is not an ISO 8601 UTC time`);
  return o as unknown as AnomalyRow;
}

export interface AlertDeps {
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly topicArn: string;
  readonly bucket: string;
  readonly log?: (line: string) => void;
}

async function alertOne(record: KinesisStreamRecord, deps: AlertDeps): Promise<void> {
  const row = parseRow(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
  // The sequence number is unique per shard and stable across retries: a retried record
  // overwrites its own object instead of adding a second one.
  const id = record.kinesis.sequenceNumber;
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: objectKey(row, id), Body: csvLine(row), ContentType: "text/csv" }));
  await deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: SUBJECT, Message: message(row) }));
}

export function alertHandler(deps: AlertDeps): (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await alertOne(record, deps);
      } catch (e) {
        log(JSON.stringify({ level: "error", sequenceNumber: record.kinesis.sequenceNumber, reason: e instanceof Error ? e.message : String(e) }));
        failures.push({ itemIdentifier: record.kinesis.sequenceNumber });
      }
    }
    return { batchItemFailures: failures };
  };
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

let deployed: ((event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>) | undefined;

/** The Lambda entry point: configuration from the function's environment (components/alert.ts). */
export const handler = (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
  deployed ??= alertHandler({ sns: new SNSClient({}), s3: new S3Client({}), topicArn: required("TOPIC_ARN"), bucket: required("PROCESSED_BUCKET") });
  return deployed(event);
};
