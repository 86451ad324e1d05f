// A small Kinesis endpoint that throttles like a real shard: it speaks just enough of the
// Kinesis JSON 1.1 protocol for PutRecords, accepts at most `recordsPerSecond` (a token bucket,
// as one shard's 1,000 records/s write limit) and answers the rest of each batch with
// ProvisionedThroughputExceededException, per record, as Kinesis does. Optionally it also
// refuses a fixed share of every batch, to force the retry path deterministically.

import { createServer, type Server } from "node:http";

export interface StubOptions {
  /** Token bucket rate; Infinity for no limit. */
  readonly recordsPerSecond?: number;
  /** Refuse every n-th record of each batch on its first try (0: never). */
  readonly refuseEvery?: number;
}

export interface StubKinesis {
  readonly endpoint: string;
  /** Accepted records in arrival order: partition key and data. */
  readonly accepted: { key: string; data: string }[];
  refusals: number;
  calls: number;
  close(): Promise<void>;
}

export async function startThrottlingKinesis(options: StubOptions = {}): Promise<StubKinesis> {
  const rate = options.recordsPerSecond ?? Infinity;
  let tokens = Number.isFinite(rate) ? rate : 0;
  let refill = performance.now();
  const seen = new Set<string>();
  const stub: StubKinesis = { endpoint: "", accepted: [], refusals: 0, calls: 0, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      stub.calls++;
      const target = req.headers["x-amz-target"];
      if (target !== "Kinesis_20131202.PutRecords") {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ __type: "UnknownOperationException", message: `not supported here: ${String(target)}` }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Records: { Data: string; PartitionKey: string }[] };
      if (Number.isFinite(rate)) {
        const now = performance.now();
        tokens = Math.min(rate, tokens + ((now - refill) / 1000) * rate);
        refill = now;
      }
      let failed = 0;
      const records = body.Records.map((r, i) => {
        const data = Buffer.from(r.Data, "base64").toString("utf8");
        const firstTry = !seen.has(data);
        seen.add(data);
        const refuse = (options.refuseEvery && firstTry && i % options.refuseEvery === 0) || (Number.isFinite(rate) && tokens < 1);
        if (refuse) {
          failed++;
          stub.refusals++;
          return { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard shardId-000000000000" };
        }
        if (Number.isFinite(rate)) tokens -= 1;
        stub.accepted.push({ key: r.PartitionKey, data });
        return { SequenceNumber: String(stub.accepted.length), ShardId: "shardId-000000000000" };
      });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ FailedRecordCount: failed, Records: records }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(stub, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
