// Where the traffic goes: a Kinesis data stream (the lab's ingest since 2026) or a Firehose
// direct-put delivery stream (the 2020 lab's ingest). Both answer a batch with a per-record
// verdict; the sender only needs "which of these failed, and why".

import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface OutRecord {
  /** The KDG window that sent it: the partition key, so that one window's records share a shard. */
  readonly producer: string;
  readonly data: string;
}

export interface RecordFailure {
  /** Index into the batch that was put. */
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

export interface Target {
  /** "kinesis stream clicks" etc., for messages. */
  readonly describe: string;
  /** Records per call and bytes per call the service accepts. */
  readonly maxRecords: number;
  readonly maxBytes: number;
  /**
   * One call with these records: the refused ones, by index. Throws when the call itself fails.
   * @param signal aborts the call in flight (the SDK's abortSignal).
   */
  put(records: readonly OutRecord[], signal?: AbortSignal): Promise<RecordFailure[]>;
  /**
   * What the destination can take, when it can be read; see traffic/capacity.ts.
   * @param signal aborts the lookup (a stalled endpoint must not hold the run).
   */
  capacity?(signal?: AbortSignal): Promise<WriteCapacity>;
  close(): void;
}

/** Write throughput a destination takes, and where the numbers come from (for messages). */
export interface WriteCapacity {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
  /** e.g. "1 shard × 1,000 records/s and 1 MiB/s (Kinesis Data Streams, per shard)". */
  readonly limit: string;
}

/**
 * Per shard: "Each shard can support writes up to 1,000 records per second, up to a maximum data
 * write total of 1 MiB per second", partition keys included (PutRecords API reference). A new
 * on-demand stream takes 4 MB/s of writes (Kinesis quotas page) and 4,000 records/s, and grows.
 */
export const SHARD_RECORDS_PER_SECOND = 1000;
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;

export interface ClientOptions {
  readonly region: string;
  /** A local endpoint (moto, kinesalite…); credentials then default to dummies, which they ignore. */
  readonly endpoint?: string;
  /** An AWS profile of the shared config and credentials files (the SDK's `profile`). */
  readonly profile?: string;
}

function clientConfig(o: ClientOptions) {
  const local = o.endpoint !== undefined && !o.profile && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  return {
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  };
}

/**
 * The Kinesis client speaks HTTP/2 by default (for SubscribeToShard). PutRecords works over
 * HTTP/1.1 everywhere, which local endpoints (moto, kinesalite) also serve.
 */
export function kinesisClientConfig(o: ClientOptions) {
  return { ...clientConfig(o), requestHandler: new NodeHttpHandler() };
}

// Newline-terminated so that Firehose's S3 objects (and the archive of the stream) hold one JSON
// object per line, which Athena and `zcat | jq` read as is.
const bytes = (r: OutRecord) => Buffer.from(`${r.data}\n`, "utf8");

/** Both services answer a batch with one entry per record, in order, an ErrorCode on refusals. */
function refused(entries: readonly { ErrorCode?: string | undefined; ErrorMessage?: string | undefined }[] | undefined): RecordFailure[] {
  const failures: RecordFailure[] = [];
  (entries ?? []).forEach((r, index) => {
    if (r.ErrorCode) failures.push({ index, code: r.ErrorCode, message: r.ErrorMessage ?? "" });
  });
  return failures;
}

/** PutRecords: 500 records and 5 MiB per call (Kinesis Data Streams quotas). */
export function kinesisTarget(streamName: string, o: ClientOptions): Target {
  const client = new KinesisClient(kinesisClientConfig(o));
  return {
    describe: `Kinesis data stream ${streamName}`,
    maxRecords: 500,
    maxBytes: 5 * 1024 * 1024,
    async put(records, signal) {
      const out = await client.send(
        new PutRecordsCommand({ StreamName: streamName, Records: records.map((r) => ({ Data: bytes(r), PartitionKey: r.producer })) }),
        signal ? { abortSignal: signal } : {},
      );
      return refused(out.Records);
    },
    async capacity(signal) {
      const s = (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }), signal ? { abortSignal: signal } : {}))
        .StreamDescriptionSummary;
      const shards = s?.OpenShardCount ?? 1;
      if (s?.StreamModeDetails?.StreamMode === "ON_DEMAND")
        return {
          recordsPerSecond: 4 * SHARD_RECORDS_PER_SECOND,
          bytesPerSecond: 4 * SHARD_BYTES_PER_SECOND,
          limit: "an on-demand stream's starting 4,000 records/s and 4 MiB/s (it grows with use)",
        };
      return {
        recordsPerSecond: shards * SHARD_RECORDS_PER_SECOND,
        bytesPerSecond: shards * SHARD_BYTES_PER_SECOND,
        limit: `${shards} shard${shards === 1 ? "" : "s"} × 1,000 records/s and 1 MiB/s (Kinesis Data Streams' write limit per shard)`,
      };
    },
    close: () => client.destroy(),
  };
}

/** PutRecordBatch: 500 records and 4 MiB per call (Firehose quotas). */
export function firehoseTarget(deliveryStreamName: string, o: ClientOptions): Target {
  const client = new FirehoseClient(clientConfig(o));
  return {
    describe: `Firehose delivery stream ${deliveryStreamName}`,
    maxRecords: 500,
    maxBytes: 4 * 1024 * 1024,
    async put(records, signal) {
      const out = await client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: deliveryStreamName, Records: records.map((r) => ({ Data: bytes(r) })) }),
        signal ? { abortSignal: signal } : {},
      );
      return refused(out.RequestResponses);
    },
    close: () => client.destroy(),
  };
}

export const recordBytes = (r: OutRecord): number => Buffer.byteLength(r.data, "utf8") + 1 + Buffer.byteLength(r.producer, "utf8");
