// A Kinesis endpoint on 127.0.0.1 for the laptop lab: in memory, the JSON 1.1 protocol, and the
// calls the lab makes (the traffic sender's PutRecords, the Flink connector's ListShards /
// GetShardIterator / GetRecords and its sink's PutRecords, the alert poller's reads). Not a
// Kinesis emulator for anything else: unknown operations are answered with an error naming them.
// Written here because the npm Kinesis emulators need native builds that npm 11 no longer runs,
// and moto needs Python, which `npm start` should not.
//
// It can also throttle writes like a real shard (`writeLimit`): a token bucket of
// `recordsPerSecond` (one shard takes 1,000 records/s) and, to force the retry path
// deterministically, the refusal of every n-th record of a batch on its first try. Refused records
// get ProvisionedThroughputExceededException per record, as Kinesis answers them
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html).

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { LAB_REGION } from "../infra/config";

interface StoredRecord {
  readonly data: string; // base64, as on the wire
  readonly key: string;
  readonly seq: string;
  readonly arrival: number; // epoch ms
}

interface Shard {
  readonly id: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly records: StoredRecord[];
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_HASH = (1n << 128n) - 1n;
// The ARNs it answers name the lab's region, as the deployed streams' do.
const REGION = LAB_REGION;
const ACCOUNT = "000000000000";

/** How the endpoint limits PutRecord(s), per endpoint (tests use one single-shard stream). */
export interface WriteLimit {
  /** Token-bucket rate in records per second; 0 refuses everything. Default: no limit. */
  readonly recordsPerSecond?: number;
  /** Refuse every n-th record of each batch on its first try (0 or absent: never). */
  readonly refuseEvery?: number;
}

export interface LocalKinesisOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Streams that exist from the start: name → shard count. */
  readonly streams?: Record<string, number>;
  readonly writeLimit?: WriteLimit;
}

export interface LocalKinesis {
  readonly endpoint: string;
  readonly streams: Map<string, Shard[]>;
  /** Calls per operation, and the errors answered, for diagnosis. */
  readonly calls: Map<string, number>;
  readonly errors: string[];
  /** Records refused by `writeLimit` so far. */
  readonly refusals: number;
  /** The records a stream holds, in arrival order per shard, shards in order; data decoded as UTF-8. */
  records(stream: string): { key: string; data: string }[];
  close(): Promise<void>;
}

/**
 * The write limit: a token bucket of `recordsPerSecond`, and the refusal of every n-th record of a
 * batch on its first try (a record's first try is told by its data).
 */
class WriteThrottle {
  private readonly rate: number;
  private readonly refuseEvery: number;
  private tokens: number;
  private refilled = performance.now();
  private readonly seen = new Set<string>();

  constructor(limit: WriteLimit = {}) {
    this.rate = limit.recordsPerSecond ?? Infinity;
    this.refuseEvery = limit.refuseEvery ?? 0;
    this.tokens = Number.isFinite(this.rate) ? this.rate : 0;
  }

  /** Whether the i-th record of a batch (PutRecords) is refused now. */
  refuses(data: string, i: number): boolean {
    const firstTry = !this.seen.has(data);
    if (this.refuseEvery) this.seen.add(data);
    if (this.refuseEvery && firstTry && i % this.refuseEvery === 0) return true;
    if (!Number.isFinite(this.rate)) return false;
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilled) / 1000) * this.rate);
    this.refilled = now;
    if (this.tokens < 1) return true;
    this.tokens -= 1;
    return false;
  }
}

type Body = Record<string, any>;

/** The streams in memory, and one method per Kinesis operation the lab calls (JSON 1.1 bodies in and out). */
class KinesisStore {
  readonly streams = new Map<string, Shard[]>();
  refusals = 0;
  private sequence = 0n;

  constructor(private readonly throttle: WriteThrottle) {}

  /** The operations by X-Amz-Target name. */
  operations(): Record<string, (b: Body) => unknown> {
    return {
      CreateStream: (b) => this.createStream(b),
      ListStreams: () => ({ StreamNames: [...this.streams.keys()], HasMoreStreams: false }),
      DescribeStream: (b) => this.describeStream(b),
      DescribeStreamSummary: (b) => this.describeStreamSummary(b),
      ListShards: (b) => this.listShards(b),
      GetShardIterator: (b) => this.getShardIterator(b),
      GetRecords: (b) => this.getRecords(b),
      PutRecord: (b) => this.put(this.shardsOf(b)[1], b as { Data: string; PartitionKey: string }),
      PutRecords: (b) => this.putRecords(b),
    };
  }

  private shardsOf(body: Body): [string, Shard[]] {
    const name = String(
      body.StreamName ??
        String(body.StreamARN ?? "")
          .split("/")
          .pop() ??
        "",
    );
    const shards = this.streams.get(name);
    if (!shards) throw new ApiError("ResourceNotFoundException", `Stream ${name} under account ${ACCOUNT} not found.`);
    return [name, shards];
  }

  private createStream(b: Body): object {
    const name = String(b.StreamName);
    if (this.streams.has(name)) throw new ApiError("ResourceInUseException", `Stream ${name} already exists`);
    const n = Number(b.ShardCount ?? 1);
    const step = (MAX_HASH + 1n) / BigInt(n);
    this.streams.set(
      name,
      Array.from({ length: n }, (_, i) => ({
        id: `shardId-${String(i).padStart(12, "0")}`,
        start: step * BigInt(i),
        end: i === n - 1 ? MAX_HASH : step * BigInt(i + 1) - 1n,
        records: [],
      })),
    );
    return {};
  }

  private describeStream(b: Body): object {
    const [name, shards] = this.shardsOf(b);
    return {
      StreamDescription: {
        StreamName: name,
        StreamARN: arnOf(name),
        StreamStatus: "ACTIVE",
        Shards: shards.map(shardJson),
        HasMoreShards: false,
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: 0,
        EnhancedMonitoring: [],
        EncryptionType: "NONE",
      },
    };
  }

  private describeStreamSummary(b: Body): object {
    const [name, shards] = this.shardsOf(b);
    return {
      StreamDescriptionSummary: {
        StreamName: name,
        StreamARN: arnOf(name),
        StreamStatus: "ACTIVE",
        StreamModeDetails: { StreamMode: "PROVISIONED" },
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: 0,
        EnhancedMonitoring: [],
        EncryptionType: "NONE",
        OpenShardCount: shards.length,
        ConsumerCount: 0,
      },
    };
  }

  private listShards(b: Body): object {
    const [, shards] = this.shardsOf(b.NextToken ? { StreamName: String(b.NextToken) } : b);
    const after = b.ExclusiveStartShardId ? shards.findIndex((s) => s.id === b.ExclusiveStartShardId) + 1 : 0;
    return { Shards: shards.slice(after).map(shardJson) };
  }

  private getShardIterator(b: Body): object {
    const [name, shards] = this.shardsOf(b);
    const shard = shards.find((s) => s.id === b.ShardId);
    if (!shard) throw new ApiError("ResourceNotFoundException", `Shard ${String(b.ShardId)} not found`);
    return { ShardIterator: Buffer.from(JSON.stringify([name, shard.id, iteratorStart(shard, b)])).toString("base64") };
  }

  private getRecords(b: Body): object {
    const [name, shardId, pos] = JSON.parse(Buffer.from(String(b.ShardIterator), "base64").toString()) as [string, string, number];
    const [, shards] = this.shardsOf({ StreamName: name });
    const shard = shards.find((s) => s.id === shardId)!;
    const slice = shard.records.slice(pos, pos + Number(b.Limit ?? 10000));
    return {
      Records: slice.map((r) => ({
        Data: r.data,
        PartitionKey: r.key,
        SequenceNumber: r.seq,
        ApproximateArrivalTimestamp: r.arrival / 1000,
      })),
      NextShardIterator: Buffer.from(JSON.stringify([name, shardId, pos + slice.length])).toString("base64"),
      MillisBehindLatest: 0,
    };
  }

  private putRecords(b: Body): object {
    const [, shards] = this.shardsOf(b);
    let failed = 0;
    const records = (b.Records as { Data: string; PartitionKey: string }[]).map((r, i) => {
      if (!this.throttle.refuses(r.Data, i)) return this.put(shards, r);
      failed++;
      this.refusals++;
      return {
        ErrorCode: "ProvisionedThroughputExceededException",
        ErrorMessage: "Rate exceeded for shard shardId-000000000000 in stream under account 000000000000.",
      };
    });
    return { FailedRecordCount: failed, Records: records };
  }

  private put(shards: Shard[], r: { Data: string; PartitionKey: string; ExplicitHashKey?: string }): object {
    if (typeof r.Data !== "string" || typeof r.PartitionKey !== "string")
      throw new ApiError("ValidationException", "Data and PartitionKey are required");
    const hash = r.ExplicitHashKey ? BigInt(r.ExplicitHashKey) : BigInt(`0x${createHash("md5").update(r.PartitionKey).digest("hex")}`);
    const shard = shards.find((s) => hash >= s.start && hash <= s.end)!;
    const seq = (++this.sequence).toString().padStart(20, "0");
    shard.records.push({ data: r.Data, key: r.PartitionKey, seq, arrival: Date.now() });
    return { SequenceNumber: seq, ShardId: shard.id };
  }
}

const arnOf = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
const shardJson = (s: Shard) => ({
  ShardId: s.id,
  HashKeyRange: { StartingHashKey: s.start.toString(), EndingHashKey: s.end.toString() },
  SequenceNumberRange: { StartingSequenceNumber: "0" },
});

/** Where an iterator of GetShardIterator's type starts in the shard's records. */
function iteratorStart(shard: Shard, b: Body): number {
  switch (b.ShardIteratorType) {
    case "TRIM_HORIZON":
      return 0;
    case "LATEST":
      return shard.records.length;
    case "AT_SEQUENCE_NUMBER":
    case "AFTER_SEQUENCE_NUMBER": {
      const i = shard.records.findIndex((r) => r.seq === b.StartingSequenceNumber);
      return i < 0 ? shard.records.length : b.ShardIteratorType === "AT_SEQUENCE_NUMBER" ? i : i + 1;
    }
    case "AT_TIMESTAMP": {
      const t = Number(b.Timestamp) * 1000;
      const i = shard.records.findIndex((r) => r.arrival >= t);
      return i < 0 ? shard.records.length : i;
    }
    default:
      throw new ApiError("ValidationException", `unknown ShardIteratorType ${String(b.ShardIteratorType)}`);
  }
}

/** The HTTP side: one JSON 1.1 call per request, counted; errors answered as Kinesis answers them. */
function handler(
  ops: Record<string, (b: Body) => unknown>,
  calls: Map<string, number>,
  errors: string[],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const op = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      calls.set(op, (calls.get(op) ?? 0) + 1);
      try {
        if (String(req.headers["content-type"] ?? "").includes("cbor"))
          throw new ApiError("SerializationException", "this local endpoint speaks JSON 1.1 only: disable CBOR in the client");
        const fn = ops[op];
        if (!fn) throw new ApiError("UnknownOperationException", `the local Kinesis does not implement ${op || "(no X-Amz-Target)"}`);
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body) : {};
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(fn(body)));
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError("InternalFailure", String(e), 500);
        if (errors.length < 50) errors.push(`${op}: ${err.type}: ${err.message}`);
        res.writeHead(err.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.type });
        res.end(JSON.stringify({ __type: err.type, message: err.message }));
      }
    });
  };
}

/**
 * Starts the endpoint on 127.0.0.1.
 * @throws when the port is taken.
 */
export async function startLocalKinesis(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
  const store = new KinesisStore(new WriteThrottle(options.writeLimit));
  const ops = store.operations();
  const calls = new Map<string, number>();
  const errors: string[] = [];
  for (const [name, count] of Object.entries(options.streams ?? {})) ops.CreateStream!({ StreamName: name, ShardCount: count });
  const server: Server = createServer(handler(ops, calls, errors));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const addr = server.address() as { port: number };
  const streams = store.streams;
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    streams,
    calls,
    errors,
    get refusals() {
      return store.refusals;
    },
    records: (stream) =>
      (streams.get(stream) ?? []).flatMap((shard) =>
        shard.records.map((r) => ({ key: r.key, data: Buffer.from(r.data, "base64").toString("utf8") })),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
