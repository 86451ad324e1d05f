// The sender retries what AWS documents as passing (throttling, the service's own trouble) and
// nothing else (issue #26: a KMSAccessDeniedException was retried as if it were throttling). Each
// case is a stand-in for Kinesis on 127.0.0.1 answering PutRecords one way, every time.

import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import { lazySchedule, profile } from "../../traffic/profiles";
import { isTransientCode, send } from "../../traffic/sender";
import { kinesisTarget } from "../../traffic/targets";

/** Answers every PutRecords with `status` and `body(recordCount)`; counts the calls. */
async function standIn(
  status: number,
  body: (records: number) => object,
): Promise<{ endpoint: string; calls: () => number; close(): Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    calls++;
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const n = ((JSON.parse(text) as { Records?: unknown[] }).Records ?? []).length;
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body(n)));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    calls: () => calls,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const everyRecord = (code: string, message: string) => (n: number) => ({
  FailedRecordCount: n,
  Records: Array.from({ length: n }, () => ({ ErrorCode: code, ErrorMessage: message })),
});
const callError = (type: string, message: string) => () => ({ __type: type, message });

async function run(status: number, body: (n: number) => object) {
  const stub = await standIn(status, body);
  const target = kinesisTarget("s", { region: "us-east-1", endpoint: stub.endpoint });
  const report = await send(lazySchedule(profile("steady", { steadySeconds: 2, rate: 5 }), { compression: 100, jitterMs: 0 }), target, {
    maxAttempts: 4,
    startingDelayMs: 1,
    maxDelayMs: 5,
  });
  target.close();
  await stub.close();
  assert.equal(report.sent + report.failed + report.unsent, report.scheduled);
  return { report, calls: stub.calls() };
}

describe("traffic sender: permanent errors are not retried", function () {
  this.timeout(60_000);

  it("a record refused with KMSAccessDeniedException fails at once and stops the run (the reported input)", async () => {
    const { report, calls } = await run(200, everyRecord("KMSAccessDeniedException", "User is not authorized to use the key"));
    assert.equal(calls, 1, "one call, no retry");
    assert.equal(report.retried, 0);
    assert.ok(report.failed > 0);
    assert.deepEqual(report.failedByCode, { KMSAccessDeniedException: report.failed });
    assert.match(
      report.stopReason ?? "",
      /KMSAccessDeniedException: User is not authorized to use the key \(a permanent error, not retried\)/,
    );
  });

  for (const code of ["KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException", "AccessDeniedException", "SomethingNew"])
    it(`a record refused with ${code} is not retried either (only documented transient codes are)`, async () => {
      const { report, calls } = await run(200, everyRecord(code, "no"));
      assert.equal(calls, 1);
      assert.equal(report.retried, 0);
      assert.ok(report.stopped);
    });

  for (const code of ["ProvisionedThroughputExceededException", "InternalFailure", "ServiceUnavailableException"])
    it(`a record refused with ${code} is retried up to the attempts`, async () => {
      const { report, calls } = await run(200, everyRecord(code, "later"));
      assert.ok(calls >= 4 && calls % 4 === 0, `${calls} calls: 4 attempts per batch`);
      assert.ok(report.retried > 0);
      assert.equal(report.failed, report.scheduled);
      assert.deepEqual(Object.keys(report.failedByCode), [code]);
    });

  it("a call refused with KMSAccessDeniedException (HTTP 400) is not retried; KMSThrottlingException is", async () => {
    const denied = await run(400, callError("KMSAccessDeniedException", "not authorized"));
    assert.equal(denied.calls, 1);
    assert.match(denied.report.stopReason ?? "", /KMSAccessDeniedException: not authorized$/);
    const throttled = await run(400, callError("KMSThrottlingException", "slow down"));
    assert.ok(throttled.calls > 1, `KMSThrottlingException: ${throttled.calls} call(s)`);
  });

  it("classifies the documented per-record codes", () => {
    assert.deepEqual(
      ["ProvisionedThroughputExceededException", "InternalFailure", "ServiceUnavailableException", "KMSAccessDeniedException", ""].map(
        isTransientCode,
      ),
      [true, true, true, false, false],
    );
  });
});
