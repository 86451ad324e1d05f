// One team's alert path on moto (127.0.0.1): the anomalies stream (Kinesis), the topic (SNS) with
// an inbox queue subscribed where e-mail would be, the processed bucket (S3) and the mapping's
// on-failure queue (SQS). Each `team()` makes fresh resources, so tests share one moto server.

import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, ListObjectsV2Command, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ALERT_MAPPING, ALERT_TIMEOUT_SECONDS } from "../../components/alert";
import { alertHandler, message, type AlertDeps, type AnomalyRow } from "../../lambda/alert";
import type { LedgerEntry } from "../../lambda/ledger";
import { kinesisClientConfig } from "../../traffic/targets";
import { EventSourceMapping, type Handler, type MappingSettings, type OnFailureRecord } from "./eventSourceMapping";

export const WINDOW_SECONDS = 10;
const region = "us-east-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** The i-th anomalous window: consecutive 10-s windows, each with its own click count, so each e-mail names its window. */
export function row(i: number): AnomalyRow {
  const start = Date.UTC(2026, 11, 31, 23, 0, 0) + i * WINDOW_SECONDS * 1000;
  const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
  return {
    ctrPercent: ((20 + i) / 5) * 100,
    anomalyScore: 3 + i / 100,
    clicks: 20 + i,
    impressions: 5,
    windowStart: iso(start),
    windowEnd: iso(start + WINDOW_SECONDS * 1000),
  };
}

/** The deployed mapping's rules (components/alert.ts), with the function's timeout. */
export function deployedSettings(functionTimeoutMs = ALERT_TIMEOUT_SECONDS * 1000): MappingSettings {
  return {
    batchSize: ALERT_MAPPING.batchSize,
    bisectBatchOnFunctionError: ALERT_MAPPING.bisectBatchOnFunctionError,
    maximumRetryAttempts: ALERT_MAPPING.maximumRetryAttempts,
    functionTimeoutMs,
  };
}

export interface Team {
  readonly s3: S3Client;
  /** maxAttempts 1, as the deployed handler's (it retries Publish itself). */
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly bucket: string;
  readonly streamName: string;
  readonly streamArn: string;
  readonly logs: string[];
  /** Writes rows (or raw strings) to the anomalies stream, one record each; returns their sequence numbers. */
  put(rows: readonly (AnomalyRow | string)[]): Promise<string[]>;
  /** Every message the topic delivered so far (the inbox keeps them all). */
  inbox(): Promise<string[]>;
  /** How many e-mails each of rows[0..n) got. */
  mailsPer(n: number): Promise<number[]>;
  /** What the mapping sent to its on-failure queue so far. */
  failed(): Promise<OnFailureRecord[]>;
  /** The window ledger's entries by key. */
  ledger(): Promise<Map<string, LedgerEntry>>;
  /** CSV keys in the processed bucket. */
  csvKeys(): Promise<string[]>;
  /** A handler on this team's clients (override any dependency). */
  handler(overrides?: Partial<AlertDeps>): ReturnType<typeof alertHandler>;
  /** A mapping that feeds `handler` from the stream under the given (default: deployed) rules. */
  mapping(handler: Handler, settings?: MappingSettings): EventSourceMapping;
  destroy(): void;
}

let teams = 0;

export async function team(endpoint: string): Promise<Team> {
  const n = ++teams;
  const config = { region, endpoint, credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sns = new SNSClient({ ...config, maxAttempts: 1 });
  const sqs = new SQSClient(config);
  const kinesis = new KinesisClient({ ...kinesisClientConfig({ region, endpoint }), credentials });
  const names = { topic: `e-t${n}-alerts`, bucket: `e-t${n}-processed-123456789012`, stream: `e-t${n}-anomalies` };
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn!;
  await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
  const queue = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    return { url, arn };
  };
  const inboxQueue = await queue(`e-t${n}-inbox`);
  const failedQueue = await queue(`e-t${n}-alert-failed`);
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: inboxQueue.arn }));
  await kinesis.send(new CreateStreamCommand({ StreamName: names.stream, ShardCount: 1 }));
  const streamArn = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.stream }))).StreamDescriptionSummary!
    .StreamARN!;

  // Messages are kept once received (a long visibility timeout keeps them from coming back).
  const drain = async (url: string, into: string[]) => {
    for (;;) {
      const r = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 3600 }),
      );
      if (!r.Messages?.length) return into;
      into.push(...r.Messages.map((m) => m.Body!));
    }
  };
  const mails: string[] = [];
  const failures: string[] = [];
  const logs: string[] = [];
  const t: Team = {
    s3,
    sns,
    topicArn,
    bucket: names.bucket,
    streamName: names.stream,
    streamArn,
    logs,
    async put(rows) {
      const seqs: string[] = [];
      for (const r of rows)
        seqs.push(
          (
            await kinesis.send(
              new PutRecordCommand({
                StreamName: names.stream,
                PartitionKey: "anomalies",
                Data: Buffer.from(typeof r === "string" ? r : JSON.stringify(r)),
              }),
            )
          ).SequenceNumber!,
        );
      return seqs;
    },
    inbox: async () => (await drain(inboxQueue.url, mails)).map((b) => (JSON.parse(b) as { Message: string }).Message),
    async mailsPer(count) {
      const got = await t.inbox();
      return Array.from({ length: count }, (_, i) => got.filter((m) => m === message(row(i))).length);
    },
    failed: async () => (await drain(failedQueue.url, failures)).map((b) => JSON.parse(b) as OnFailureRecord),
    async ledger() {
      const out = new Map<string, LedgerEntry>();
      const list = await s3.send(new ListObjectsV2Command({ Bucket: names.bucket, Prefix: "alert-ledger/" }));
      for (const o of list.Contents ?? []) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: o.Key! }))).Body!.transformToString();
        out.set(o.Key!, JSON.parse(body) as LedgerEntry);
      }
      return out;
    },
    async csvKeys() {
      const list = await s3.send(new ListObjectsV2Command({ Bucket: names.bucket, Prefix: "weblogs/processed/" }));
      return (list.Contents ?? []).map((o) => o.Key!).sort();
    },
    handler: (overrides = {}) =>
      alertHandler({
        sns,
        s3,
        topicArn,
        bucket: names.bucket,
        windowSeconds: WINDOW_SECONDS,
        log: (l) => logs.push(l),
        clockSkewMs: 50,
        ...overrides,
      }),
    mapping: (handler, settings = deployedSettings()) =>
      new EventSourceMapping({
        kinesis,
        streamName: names.stream,
        streamArn,
        handler,
        settings,
        onFailure: async (record) =>
          void (await sqs.send(new SendMessageCommand({ QueueUrl: failedQueue.url, MessageBody: JSON.stringify(record) }))),
      }),
    destroy: () => [s3, sns, sqs, kinesis].forEach((c) => c.destroy()),
  };
  return t;
}
