import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { kinesisClientConfig } from "../../traffic/targets";
import { startLocalKinesis } from "../../local/kinesisServer";
import { startMoto, type LocalAws } from "../../offline/moto";
import { ROOT } from "../../paths";
import { runTool } from "../support/cli";

/** Runs the command as a child we can signal; `during` gets it once it is sending, and what it has written to stderr so far. */
function trafficChild(
  args: string[],
  during: (child: ReturnType<typeof spawn>, stderrNow: () => string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Its own process group, so that a signal goes to the whole group, as a terminal's Ctrl-C does;
  // started as package.json's script starts it (one node process with tsx's loader).
  const child = spawn(process.execPath, ["--import", "tsx", "cli/traffic.ts", ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" },
  });
  let stdout = "";
  let stderr = "";
  let started = false;
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!started && stderr.includes("Sending ")) {
      started = true;
      during(child, () => stderr);
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** The report's three counts and the scheduled total, read back from what the command printed. */
function counts(stdout: string): { sent: number; scheduled: number; failed: number; unsent: number } {
  const n = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
  return { sent: n(/sent +(\d+) of/), scheduled: n(/sent +\d+ of (\d+)/), failed: n(/failed +(\d+)/), unsent: n(/unsent +(\d+)/) };
}

const traffic = (args: string[], env: NodeJS.ProcessEnv = process.env) => runTool("cli/traffic.ts", args, env);

describe("npm run traffic", function () {
  this.timeout(120_000);

  it("documents every option in --help", async () => {
    const { code, stdout } = await traffic(["--help"]);
    assert.equal(code, 0);
    for (const flag of [
      "--stack",
      "--stream",
      "--firehose",
      "--pattern",
      "--rate",
      "--steady-seconds",
      "--burst-producers",
      "--burst-seconds",
      "--after-burst-seconds",
      "--compression",
      "--seed",
      "--jitter-ms",
      "--region",
      "--endpoint",
      "--max-attempts",
      "--sequence",
      "--dry-run",
      "--failed-out",
      "--allow-throttling",
    ])
      assert.match(stdout, new RegExp(`${flag}\\b`), flag);
    assert.match(stdout, /discovery.*steady.*burst.*lab/s);
  });

  it("refuses two destinations, and bad numbers, naming the option", async () => {
    const both = await traffic(["--stream", "a", "--firehose", "b"]);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /exactly one of --stack, --stream or --firehose/);
    const rate = await traffic(["--stream", "a", "--rate", "0"]);
    assert.match(rate.stderr, /--rate must be a number above 0/);
    const profile = await traffic(["--stream", "a", "--pattern", "storm"]);
    assert.match(profile.stderr, /storm.*Allowed choices are discovery, steady, burst, lab/s);
  });

  it("prints the lab's schedule with --dry-run", async () => {
    const { code, stdout } = await traffic([
      "--dry-run",
      "--pattern",
      "lab",
      "--steady-seconds",
      "10",
      "--after-burst-seconds",
      "5",
      "--burst-seconds",
      "2",
    ]);
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 15 + 15 + 3 * 2);
    assert.match(lines[0]!, /^\d+\t(clicks|impressions)\t\{"browseraction":"(Click|Impression)","site":"yourwebsiteurl.domain.com"\}$/);
  });

  describe("with a deployed stack (a stand-in `pulumi` on PATH) and a local endpoint", () => {
    let moto: LocalAws;
    before(async () => {
      moto = await startMoto();
    });
    after(async () => moto?.stop());

    it("reads the ingest stream from the stack's outputs and reports what it sent", async () => {
      const kinesis = new KinesisClient(kinesisClientConfig({ region: "us-east-1", endpoint: moto.endpoint }));
      await kinesis.send(new CreateStreamCommand({ StreamName: "immersion-day-t1-clicks", ShardCount: 1 }));
      const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      // Answers exactly the call the tool makes, and fails on any other.
      writeFileSync(
        join(bin, "pulumi"),
        `#!/bin/sh\n[ "$*" = "stack output --json --stack t1" ] || { echo "unexpected: $*" >&2; exit 2; }\necho '{"ingestStreamName":"immersion-day-t1-clicks","region":"us-east-1"}'\n`,
      );
      chmodSync(join(bin, "pulumi"), 0o755);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" };
      const { code, stdout, stderr } = await traffic(
        ["--stack", "t1", "--endpoint", moto.endpoint, "--pattern", "steady", "--steady-seconds", "3", "--compression", "10"],
        env,
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, /Done: Kinesis data stream immersion-day-t1-clicks/);
      assert.match(stdout, /sent +6 of 6/);
      assert.match(stdout, /failed +0/);
      // The records are in the stack's stream, not just counted by the tool.
      const it = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: "immersion-day-t1-clicks",
          ShardId: "shardId-000000000000",
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
      assert.equal(got.Records?.length, 6);
      kinesis.destroy();
    });

    it("explains a stack that is not deployed", async () => {
      const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho "error: no stack named 'nope' found" >&2\nexit 255\n`);
      chmodSync(join(bin, "pulumi"), 0o755);
      const { code, stderr } = await traffic(["--stack", "nope"], { ...process.env, PATH: `${bin}:${process.env.PATH}` });
      assert.equal(code, 1);
      assert.match(stderr, /pulumi stack output --stack nope failed: error: no stack named 'nope' found/);
    });
  });
});

describe("npm run traffic: every way out prints the report and writes the failed records", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "traffic-out-"));

  it("the endpoint killed mid-run: exit 1, sent + failed + unsent = scheduled, the failed batch in the file", async () => {
    const kinesis = await startLocalKinesis({ streams: { s: 1 } });
    const out = join(dir, "killed.jsonl");
    const run = await trafficChild(
      [
        "--stream",
        "s",
        "--endpoint",
        kinesis.endpoint,
        "--pattern",
        "steady",
        "--steady-seconds",
        "60",
        "--rate",
        "5",
        "--compression",
        "10",
        "--max-attempts",
        "3",
        "--failed-out",
        out,
      ],
      () => setTimeout(() => void kinesis.close(), 1500),
    );
    assert.equal(run.code, 1, run.stderr);
    const c = counts(run.stdout);
    assert.equal(c.scheduled, 600);
    assert.equal(c.sent + c.failed + c.unsent, c.scheduled, run.stdout);
    assert.ok(c.sent > 0 && c.failed > 0 && c.unsent > 0, run.stdout);
    assert.match(run.stdout, /stopped +Kinesis data stream s failed: ECONN(REFUSED|RESET)/);
    assert.equal(kinesis.records("s").length, c.sent);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { producer: string; data: string; code: string });
    assert.equal(lines.length, c.failed);
    assert.ok(
      lines.every((l) => /^ECONN/.test(l.code) && ["clicks", "impressions"].includes(l.producer) && l.data.includes("browseraction")),
    );
  });

  it("Ctrl-C twice while a call hangs: the call is abandoned, the report printed, its records written, exit 130", async () => {
    let abandonedEarly: boolean | undefined;
    // Describes a 1-shard stream, then never answers PutRecords.
    const hung = createServer((req, res) => {
      req.resume();
      if (req.headers["x-amz-target"] !== "Kinesis_20131202.DescribeStreamSummary") return;
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify({
          StreamDescriptionSummary: { StreamName: "s", StreamModeDetails: { StreamMode: "PROVISIONED" }, OpenShardCount: 1 },
        }),
      );
    });
    await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
    const out = join(dir, "interrupted.jsonl");
    const run = await trafficChild(
      [
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
      ],
      (child, stderrNow) => {
        // One Ctrl-C to the group must count once: the second is sent only once the first was
        // answered, and by then nothing may have been abandoned. (Started through the `tsx`
        // command, a busy machine saw one Ctrl-C twice: tsx relays it again when the command has
        // not confirmed it within 30 ms.)
        setTimeout(() => process.kill(-child.pid!, "SIGINT"), 800);
        const second = setInterval(() => {
          if (!stderrNow().includes("Stopping: finishing the batch in flight")) return;
          clearInterval(second);
          setTimeout(() => {
            abandonedEarly = stderrNow().includes("Abandoning");
            process.kill(-child.pid!, "SIGINT");
          }, 500);
        }, 50);
      },
    );
    assert.equal(abandonedEarly, false, "one Ctrl-C abandoned the call in flight");
    hung.closeAllConnections();
    hung.close();
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /Stopping: finishing the batch in flight/);
    assert.match(run.stderr, /Abandoning the call in flight/);
    const c = counts(run.stdout);
    assert.equal(c.scheduled, 120);
    assert.equal(c.sent, 0);
    assert.equal(c.sent + c.failed + c.unsent, c.scheduled, run.stdout);
    assert.match(run.stdout, /failed +\d+ \(Cancelled: \d+\)/);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, c.failed);
  });

  it("SIGTERM: stops at once with the report, exit 143", async () => {
    const kinesis = await startLocalKinesis({ streams: { s: 1 } });
    const run = await trafficChild(
      [
        "--stream",
        "s",
        "--endpoint",
        kinesis.endpoint,
        "--pattern",
        "steady",
        "--steady-seconds",
        "60",
        "--compression",
        "10",
        "--failed-out",
        join(dir, "term.jsonl"),
      ],
      (child) => setTimeout(() => process.kill(-child.pid!, "SIGTERM"), 1000),
    );
    await kinesis.close();
    assert.equal(run.code, 143, run.stderr);
    const c = counts(run.stdout);
    assert.equal(c.sent + c.failed + c.unsent, 120, run.stdout);
    assert.ok(c.sent > 0 && c.unsent > 0);
    assert.equal(kinesis.records("s").length, c.sent);
  });

  it("refuses a rate far beyond the stream's shards, naming the limit, before sending or building anything (the run of the issue)", async () => {
    const kinesis = await startLocalKinesis({ streams: { s: 1 } });
    const out = join(dir, "refused.jsonl");
    const t0 = Date.now();
    const run = await traffic([
      "--stream",
      "s",
      "--endpoint",
      kinesis.endpoint,
      "--pattern",
      "steady",
      "--steady-seconds",
      "600",
      "--rate",
      "100000",
      "--failed-out",
      out,
    ]);
    await kinesis.close();
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /offers up to 200,000 records\/s .* 1 shard × 1,000 records\/s and 1 MiB\/s \(Kinesis Data Streams' write limit per shard\)\. That is 200 times/,
    );
    assert.ok(Date.now() - t0 < 30_000);
    assert.equal(kinesis.records("s").length, 0);
    assert.equal(existsSync(out), false);
  });

  it("warns a little over the limit and sends; --allow-throttling sends far over", async () => {
    const kinesis = await startLocalKinesis({ streams: { s: 1 } });
    const warned = await traffic([
      "--stream",
      "s",
      "--endpoint",
      kinesis.endpoint,
      "--pattern",
      "steady",
      "--steady-seconds",
      "1",
      "--rate",
      "600",
    ]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /warning: This run offers up to 1,200 records\/s .* Kinesis will refuse the excess/);
    assert.match(warned.stdout, /sent +1200 of 1200/);
    const forced = await traffic([
      "--stream",
      "s",
      "--endpoint",
      kinesis.endpoint,
      "--pattern",
      "steady",
      "--steady-seconds",
      "0.02",
      "--rate",
      "100000",
      "--allow-throttling",
    ]);
    await kinesis.close();
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /warning: This run offers up to 200,000 records\/s/);
    assert.match(forced.stdout, /sent +4000 of 4000/);
  });
});
