// Lambda's Kinesis event source mapping, replayed in a test: reads a real stream (moto's Kinesis
// on 127.0.0.1) from its checkpoint, hands batches to a handler, and retries the way AWS documents
// it, so that the alert handler can be shown to e-mail each anomaly once under every retry.
//
// The rules, each from the Lambda developer guide:
//   - "Lambda checkpoints to the highest sequence number of a batch only when the batch is a
//     complete success"; with ReportBatchItemFailures, "if the batchItemFailures array contains
//     multiple items, Lambda uses the record with the lowest sequence number as the checkpoint.
//     Lambda then retries all records starting from that checkpoint." An empty or null
//     itemIdentifier, or one naming no record, counts as a failure of the whole batch.
//     (services-kinesis-batchfailurereporting.html)
//   - "If the invocation fails and BisectBatchOnFunctionError is turned on, the batch is bisected
//     regardless of your ReportBatchItemFailures setting. When a batch partial success response
//     is received and both BisectBatchOnFunctionError and ReportBatchItemFailures are turned on,
//     the batch is bisected at the returned sequence number and Lambda retries only the remaining
//     records." (same page)
//   - BisectBatchOnFunctionError "splits a failed batch into two smaller batches, isolating bad
//     records"; "splitting batches doesn't consume the retry quota". After MaximumRetryAttempts
//     "Lambda discards the records and continues processing batches from the stream", sending an
//     invocation record (KinesisBatchInfo: shard, first and last sequence number, batch size) to
//     the on-failure destination. (kinesis-on-failure-destination.html)
// Read here as: the records from the lowest failed one on are retried. A function error or a
// timeout fails the whole batch, which bisect splits in two halves (first half first, as the
// shard's order requires) without counting a retry. After a partial response the wording leaves
// two readings, both replayed (`partialResponse`): "halves" splits the remaining records in two
// like an error; "whole" retries them as one batch, counting a retry. A batch that is not split
// is retried until MaximumRetryAttempts, then goes to the on-failure destination.
// MaximumRecordAgeInSeconds is not modelled: a test finishes long before an hour.

import { randomUUID } from "node:crypto";
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from "@aws-sdk/client-kinesis";
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";

export interface MappingSettings {
  readonly batchSize: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly maximumRetryAttempts: number;
  /** The function's timeout: an invocation still running then is a failed one. */
  readonly functionTimeoutMs: number;
  /** How bisect treats the records left after a partial response (see above); default "halves". */
  readonly partialResponse?: "halves" | "whole";
}

/** What Lambda sends to the on-failure destination for a Kinesis source (documented example invocation record). */
export interface OnFailureRecord {
  readonly requestContext: { requestId: string; functionArn: string; condition: "RetryAttemptsExhausted"; approximateInvokeCount: number };
  readonly responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  readonly version: "1.0";
  readonly timestamp: string;
  readonly KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface Invocation {
  readonly sequenceNumbers: string[];
  readonly outcome: "success" | "partial" | "error" | "timeout";
  /** Item identifiers the handler returned. */
  readonly reported: string[];
  readonly error?: string;
}

export type Handler = (event: KinesisStreamEvent, context: { getRemainingTimeInMillis(): number }) => Promise<KinesisStreamBatchResponse>;

export interface MappingOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly streamArn: string;
  readonly shardId?: string;
  readonly handler: Handler;
  readonly settings: MappingSettings;
  readonly onFailure: (record: OnFailureRecord) => Promise<void>;
}

export class EventSourceMapping {
  readonly invocations: Invocation[] = [];
  private checkpoint: string | undefined;
  private readonly shardId: string;

  constructor(private readonly o: MappingOptions) {
    this.shardId = o.shardId ?? "shardId-000000000000";
  }

  /** Forgets the checkpoint: the next drain delivers the whole shard again (a mapping recreated, or an at-least-once redelivery). */
  rewind(): void {
    this.checkpoint = undefined;
  }

  /** Delivers everything after the checkpoint, batch by batch, until the shard has no more. */
  async drain(): Promise<void> {
    for (;;) {
      const it = await this.o.kinesis.send(
        new GetShardIteratorCommand({
          StreamName: this.o.streamName,
          ShardId: this.shardId,
          ...(this.checkpoint
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: this.checkpoint }
            : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      );
      const page = await this.o.kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator!, Limit: this.o.settings.batchSize }));
      const records = page.Records ?? [];
      if (records.length === 0) return;
      await this.deliver(
        records.map((r) => this.lambdaRecord(r)),
        0,
      );
      this.checkpoint = records.at(-1)!.SequenceNumber!;
    }
  }

  private lambdaRecord(r: _Record): KinesisStreamRecord {
    return {
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `${this.shardId}:${r.SequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "arn:aws:iam::123456789012:role/alert",
      awsRegion: "us-east-1",
      eventSourceARN: this.o.streamArn,
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: r.PartitionKey!,
        sequenceNumber: r.SequenceNumber!,
        data: Buffer.from(r.Data!).toString("base64"),
        approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
      },
    };
  }

  private async deliver(batch: KinesisStreamRecord[], retries: number): Promise<void> {
    const before = this.invocations.length;
    const from = await this.invoke(batch);
    if (from === undefined) return;
    const remaining = batch.slice(from);
    const partial = this.invocations[before]!.outcome === "partial";
    const split = !partial || (this.o.settings.partialResponse ?? "halves") === "halves";
    if (this.o.settings.bisectBatchOnFunctionError && split && remaining.length > 1) {
      const half = Math.ceil(remaining.length / 2);
      await this.deliver(remaining.slice(0, half), retries);
      await this.deliver(remaining.slice(half), retries);
      return;
    }
    if (retries >= this.o.settings.maximumRetryAttempts) {
      await this.o.onFailure(this.failureRecord(remaining, retries + 1));
      return;
    }
    await this.deliver(remaining, retries + 1);
  }

  /** One invocation; the index from which the batch must be retried, or undefined on complete success. */
  private async invoke(batch: KinesisStreamRecord[]): Promise<number | undefined> {
    const sequenceNumbers = batch.map((r) => r.kinesis.sequenceNumber);
    const deadline = Date.now() + this.o.settings.functionTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.o.settings.functionTimeoutMs)));
    let result: KinesisStreamBatchResponse | "timeout" | { error: unknown };
    try {
      result = await Promise.race([
        this.o
          .handler({ Records: batch }, { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) })
          .catch((error: unknown) => ({ error })),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (result === "timeout") {
      this.invocations.push({ sequenceNumbers, outcome: "timeout", reported: [] });
      return 0;
    }
    if ("error" in result) {
      this.invocations.push({ sequenceNumbers, outcome: "error", reported: [], error: String(result.error) });
      return 0;
    }
    const reported = (result.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    this.invocations.push({ sequenceNumbers, outcome: reported.length ? "partial" : "success", reported });
    if (reported.length === 0) return undefined;
    const positions = reported.map((id) => sequenceNumbers.indexOf(id));
    // An identifier that names no record of the batch fails the whole batch.
    if (positions.some((p) => p < 0)) return 0;
    return Math.min(...positions);
  }

  private failureRecord(records: KinesisStreamRecord[], invokeCount: number): OnFailureRecord {
    const at = (r: KinesisStreamRecord) => new Date(r.kinesis.approximateArrivalTimestamp * 1000).toISOString();
    return {
      requestContext: {
        requestId: randomUUID(),
        functionArn: "arn:aws:lambda:us-east-1:123456789012:function:alert",
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: invokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST" },
      version: "1.0",
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId: this.shardId,
        startSequenceNumber: records[0]!.kinesis.sequenceNumber,
        endSequenceNumber: records.at(-1)!.kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: at(records[0]!),
        approximateArrivalOfLastRecord: at(records.at(-1)!),
        batchSize: records.length,
        streamArn: this.o.streamArn,
      },
    };
  }
}
