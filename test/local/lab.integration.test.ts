// End to end, as `npm start` runs it: local Kinesis on 127.0.0.1, the real Flink JAR in local
// mode, the lab's traffic (compressed 10x, 5 lab minutes of warm-up), the alert handler. It must
// print the lab's alert for the burst, exit 0, and leave no process behind, also while two busy
// processes keep both cores loaded. And the job, on the same endpoint, must keep inside its share
// of the shard's GetRecords budget and lose nothing of a backlog it finds when it starts.

import { strict as assert } from "node:assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { propertyContract } from "../../components/analytics";
import { startJob } from "../../local/lab";
import { startLocalKinesis } from "../../local/kinesisServer";
import { kinesisClientConfig } from "../../traffic/targets";
import { runTool } from "../support/cli";

function jobProcesses(): string {
  try {
    return execFileSync("pgrep", ["-f", "lab.clickstream.ClickstreamJob"], { encoding: "utf8" }).trim();
  } catch {
    return ""; // pgrep exits 1 when nothing matches
  }
}

/** Two processes that spin on the machine's two cores until stopped. */
function cpuHogs(): { stop(): void } {
  const hogs: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  return {
    stop: () => {
      for (const h of hogs) if (h.exitCode === null) h.kill("SIGKILL");
    },
  };
}

describe("npm start (the lab on this machine)", function () {
  this.timeout(600_000);

  it("documents its options", async () => {
    const r = await runTool("cli/start.ts", ["--help"]);
    assert.equal(r.code, 0);
    for (const f of ["--follow", "--compression", "--threshold", "--steady-seconds"]) assert.ok(r.stdout.includes(f), f);
  });

  it("detects the lab's burst end to end with both cores kept busy, prints the alert as e-mailed, and exits 0 leaving nothing running", async () => {
    const hogs = cpuHogs();
    let r;
    try {
      r = await runTool("cli/start.ts", ["--steady-seconds", "300", "--compression", "10", "--threshold", "2.8"]);
    } finally {
      hogs.stop();
    }
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    // Traffic starts only once the job reads, and the job's own log is in its log file.
    assert.ok(r.stdout.indexOf("The job is reading local-clicks") < r.stdout.indexOf("Playing the lab's traffic"), r.stdout);
    const log = /log: (\S+)\)/.exec(r.stdout)![1]!;
    assert.match(readFileSync(log, "utf8"), /INFO +KinesisIO - first GetRecords on shard local-clicks\/shardId-000000000000/);
    assert.match(r.stdout, /Subject: Anomaly Detected/);
    assert.match(r.stdout, /Anomaly detected with a click through rate of \d+(\.\d+)?% and an anomaly score of \d+\.\d+/);
    assert.match(r.stdout, /stored s3:\/\/local-processed\/weblogs\/processed\/\d{4}\/\d{2}\/\d{2}\/[\dTZ-]+\.csv/);
    assert.match(r.stdout, /WINDOW \(lab time\) +CLICKS +IMPRESSIONS +CTR % +SCORE/);
    assert.doesNotMatch(r.stdout, /before the burst: a false alarm/);
    assert.equal(jobProcesses(), "", "the Flink job was stopped");
  });

  it("reads a shard at most once a second (its share of the 5 GetRecords/s), and scores a backlog it finds at start without losing a window", async () => {
    const kinesis = await startLocalKinesis();
    const client = new KinesisClient(kinesisClientConfig({ region: "us-east-1", endpoint: kinesis.endpoint }));
    const job = { current: undefined as Awaited<ReturnType<typeof startJob>> | undefined };
    try {
      for (const name of ["budget-clicks", "budget-anomalies", "budget-scored"])
        await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      // A backlog of 30 one-second windows, 10 clicks and 10 impressions each, put before the job starts.
      const start = Math.floor(Date.now() / 1000) * 1000 - 40_000;
      const records = [];
      for (let i = 0; i < 600; i++)
        records.push({ Data: Buffer.from(JSON.stringify({ browseraction: i % 2 ? "Click" : "Impression" })), PartitionKey: String(i) });
      for (let i = 0; i < records.length; i += 100)
        await client.send(new PutRecordsCommand({ StreamName: "budget-clicks", Records: records.slice(i, i + 100) }));
      // The local endpoint stamps arrivals with its clock: spread them over 30 s in the past.
      const shard = kinesis.streams.get("budget-clicks")![0]!;
      shard.records.forEach((r, i) => Object.assign(r, { arrival: start + Math.floor(i / 20) * 1000 + (i % 20) * 40 + 5 }));

      job.current = await startJob({
        endpoint: kinesis.endpoint,
        ingest: "budget-clicks",
        anomalies: "budget-anomalies",
        scored: "budget-scored",
        windowSeconds: 1,
        threshold: Number(propertyContract().groups.Detection!["anomaly.threshold"]!.default),
      });
      await job.current.reading;
      const before = kinesis.calls.get("GetRecords") ?? 0;
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 20_000));
      const rate = ((kinesis.calls.get("GetRecords") ?? 0) - before) / ((Date.now() - t0) / 1000);
      // Only the job reads this endpoint: every GetRecords counted is the job's.
      process.stdout.write(`      the job's GetRecords over 20 s: ${rate.toFixed(2)} calls/s\n`);
      assert.ok(rate <= 1.1 && rate >= 0.5, `the job called GetRecords ${rate.toFixed(2)} times a second`);

      const read = async (stream: string) => {
        let iterator = (
          await client.send(
            new GetShardIteratorCommand({ StreamName: stream, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }),
          )
        ).ShardIterator;
        const rows: { clicks: number; impressions: number; windowStart: string; anomaly: boolean }[] = [];
        for (;;) {
          const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator! }));
          iterator = page.NextShardIterator;
          if (!page.Records?.length) return rows;
          for (const r of page.Records) rows.push(JSON.parse(Buffer.from(r.Data!).toString("utf8")) as (typeof rows)[number]);
        }
      };
      // Every window goes to the scored stream with its verdict; a steady backlog has no anomaly.
      // On a loaded machine the job may still be compiling its SQL after the 20 s above: wait for
      // the 30 windows (by the job's progress, with a deadline only for a job that never scores).
      let rows = await read("budget-scored");
      for (const deadline = Date.now() + 300_000; rows.length < 30 && Date.now() < deadline; rows = await read("budget-scored"))
        await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(await read("budget-anomalies"), [], "the deployed threshold and check: no alert on steady traffic");
      assert.ok(
        rows.every((r) => r.anomaly === false),
        JSON.stringify(rows.filter((r) => r.anomaly)),
      );
      assert.equal(rows.length, 30, `every backlog window scored: ${JSON.stringify(rows.map((r) => r.windowStart))}`);
      for (const row of rows) assert.deepEqual([row.clicks, row.impressions], [10, 10], JSON.stringify(row));
      assert.doesNotMatch(readFileSync(job.current.log, "utf8"), /late record/);
    } finally {
      await job.current?.stop();
      await kinesis.close();
    }
    assert.equal(jobProcesses(), "", "the Flink job was stopped");
  });
});
