// `npm run traffic` in-process (cli/traffic.ts main with its deps): its own streams, signals from an
// EventEmitter, an exit that is recorded instead of taken. The child-process tests
// (traffic.integration.test.ts) show the same from outside; here a signal lands at a known moment
// and the exit code, the report and the failed-record file are read together.

import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { main, type TrafficDeps } from "../../cli/traffic";
import { ROOT } from "../../paths";

/** A Kinesis stand-in on 127.0.0.1: a 1-shard stream for DescribeStreamSummary, and PutRecords calls that never answer. */
async function hungStream(): Promise<{ endpoint: string; puts: () => number; close(): Promise<void> }> {
  let puts = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.headers["x-amz-target"] !== "Kinesis_20131202.DescribeStreamSummary") return void puts++;
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(
      JSON.stringify({
        StreamDescriptionSummary: { StreamName: "s", StreamModeDetails: { StreamMode: "PROVISIONED" }, OpenShardCount: 1 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    puts: () => puts,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** The deps of one in-process run, and what it printed and how it tried to exit. */
function capture() {
  const seen = { stdout: "", stderr: "", exits: [] as number[] };
  const stdout = new PassThrough().on("data", (d: Buffer) => (seen.stdout += d.toString()));
  const stderr = new PassThrough().on("data", (d: Buffer) => (seen.stderr += d.toString()));
  const signals = new EventEmitter();
  const deps: TrafficDeps = { stdout, stderr, signals, now: () => new Date("2026-12-06T21:00:00Z"), exit: (c) => void seen.exits.push(c) };
  return { seen, signals, deps };
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

describe("npm run traffic in-process", function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), "traffic-cli-"));
  const sendArgs = (endpoint: string, out: string) => [
    "node",
    "cli/traffic.ts",
    "--stream",
    "s",
    "--endpoint",
    endpoint,
    "--pattern",
    "steady",
    "--steady-seconds",
    "60",
    "--compression",
    "10",
    "--failed-out",
    out,
  ];

  it("Ctrl-C twice during a PutRecords that never answers: exit 130, the report adds up, the abandoned batch in the file", async () => {
    const kinesis = await hungStream();
    const { seen, signals, deps } = capture();
    const out = join(dir, "interrupted.jsonl");
    const code = main(sendArgs(kinesis.endpoint, out), deps);
    await until(() => kinesis.puts() > 0);
    signals.emit("SIGINT");
    signals.emit("SIGINT");
    const exit = await code;
    await kinesis.close();
    assert.equal(exit, 130, seen.stderr);
    assert.match(seen.stderr, /Sending 120 records \(steady, 2 windows\) to Kinesis data stream s/);
    assert.match(seen.stdout, /^Stopped: Kinesis data stream s$/m);
    const failed = Number(/failed +(\d+) \(Cancelled: \1\)/.exec(seen.stdout)?.[1]);
    const unsent = Number(/unsent +(\d+)/.exec(seen.stdout)?.[1]);
    assert.match(seen.stdout, /sent +0 of 120/);
    assert.equal(failed + unsent, 120, seen.stdout);
    assert.ok(failed > 0, seen.stdout);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines.length, failed);
    assert.match(seen.stdout, new RegExp(`the ${failed} failed record\\(s\\) are in ${out}`));
    assert.deepEqual(seen.exits, [], "two Ctrl-C end the run through its report, not by exiting");
    assert.equal(signals.listenerCount("SIGINT"), 0);
  });

  it("SIGTERM during a PutRecords that never answers: exit 143; a failed-record file named by the time when --failed-out is not given", async () => {
    const kinesis = await hungStream();
    const { seen, signals, deps } = capture();
    const args = sendArgs(kinesis.endpoint, "").slice(0, -2);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const code = main(args, deps);
      await until(() => kinesis.puts() > 0);
      signals.emit("SIGTERM");
      assert.equal(await code, 143, seen.stderr);
    } finally {
      process.chdir(cwd);
      await kinesis.close();
    }
    assert.match(seen.stdout, /failed record\(s\) are in traffic-failed-2026-12-06T21-00-00-000Z\.jsonl/);
    assert.ok(readFileSync(join(dir, "traffic-failed-2026-12-06T21-00-00-000Z.jsonl"), "utf8").includes('"code":"Cancelled"'));
  });

  it("--dry-run writes the schedule to the given output, and nothing is sent", async () => {
    const { seen, deps } = capture();
    const code = await main(["node", "cli/traffic.ts", "--dry-run", "--pattern", "steady", "--steady-seconds", "2"], deps);
    assert.equal(code, 0);
    assert.equal(seen.stdout.trim().split("\n").length, 4);
  });

  it("--dry-run into a shell pipe: every line arrives, past the pipe's 64 KiB, before the process exits", async () => {
    // The lab's script is 1,380 records (about 110 KB); exiting with writes pending cut it at 64 KiB.
    // A shell's pipe, as `npm run traffic -- --dry-run | …` gives it (Node's own child stdio is a socket, which hid this).
    const { stdout } = await promisify(execFile)(
      "sh",
      ["-c", `"${process.execPath}" --import tsx cli/traffic.ts --dry-run --pattern lab | cat`],
      {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    assert.ok(stdout.length > 65536, `${stdout.length} characters`);
    assert.equal(stdout.split("\n").filter(Boolean).length, 1380);
    assert.ok(stdout.endsWith("\n"));
  });

  it("--dry-run into a reader that stops early (| head): exit 0, no error, as before", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      "bash",
      ["-c", `"${process.execPath}" --import tsx cli/traffic.ts --dry-run --pattern lab | head -1; echo "exit \${PIPESTATUS[0]}"`],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.match(stdout, /^\d+\t(clicks|impressions)\t.*\nexit 0\n$/);
    assert.equal(stderr, "");
  });
});
