// The whole lab (run by `npm start`, cli/start.ts) on this machine, no AWS account. A Kinesis endpoint on 127.0.0.1
// (local/kinesisServer.ts), the same Flink JAR and sql/ in local mode, the lab's traffic profile
// time-compressed, and the same alert handler (lambda/alert.ts) fed by a poller in place of the
// event source mapping. Prints each window as it is scored and the alert as it would be e-mailed.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, CreateStreamCommand } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { KinesisStreamEvent } from "aws-lambda";
import { alertHandler, LEDGER_PREFIX, parseRow, type AnomalyRow } from "../lambda/alert";
import { startLocalKinesis, type LocalKinesis } from "./kinesisServer";
import { profile, schedule } from "../traffic/profiles";
import { send } from "../traffic/sender";
import { kinesisClientConfig, kinesisTarget } from "../traffic/targets";
import { ANALYTICS_DIR, JAR_PATH, WORK_DIR } from "../paths";
import type { LabEvents } from "./liveView";

const WORK = join(WORK_DIR, "local");
const ANALYTICS = ANALYTICS_DIR;
const CLASSPATH = join(ANALYTICS, "target", "local-classpath.txt");
const region = "us-east-1";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Java 11+ on PATH, or one line that says what to install. */
function requireJava(): void {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  const version = /version "(\d+)/.exec(`${r.stderr}${r.stdout}`)?.[1];
  if (r.error || !version || Number(version) < 11) {
    process.stderr.write(`npm start needs a JDK 11 or newer on PATH (found: ${version ? `Java ${version}` : "no java"}); install one, e.g. apt-get install openjdk-17-jdk-headless.\n`);
    process.exit(1);
  }
}

function maven(args: string[], what: string): void {
  say(`… ${what} (the first time, Maven downloads Flink; later runs reuse it)`);
  const r = spawnSync(join(ANALYTICS, "mvnw"), ["-q", "-B", ...args], { cwd: ANALYTICS, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`${what} failed (analytics/mvnw ${args.join(" ")})`);
}

/** The shaded JAR and Flink's own jars (provided scope), the classpath of a local run. */
function flinkClasspath(): string {
  if (!existsSync(JAR_PATH)) maven(["package", "-DskipTests"], "building the Flink job");
  if (!existsSync(CLASSPATH)) maven(["dependency:build-classpath", "-Dmdep.includeScope=provided", `-Dmdep.outputFile=${CLASSPATH}`], "resolving Flink's local runtime");
  return `${JAR_PATH}:${readFileSync(CLASSPATH, "utf8").trim()}`;
}

const OPENS = ["java.util", "java.lang", "java.lang.reflect", "java.io", "java.nio", "sun.nio.ch", "java.net", "java.time", "java.util.concurrent"].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`);

export interface LocalLabOptions {
  follow?: boolean;
  compression: number;
  windowSeconds: number;
  threshold: number;
  steadySeconds: number;
  /** Told of each window and each alert (npm start's live page, local/liveView.ts). */
  events?: Pick<LabEvents, "window" | "alert">;
}

export async function runLocalLab(o: LocalLabOptions): Promise<number> {
  requireJava();
  mkdirSync(WORK, { recursive: true });
  const classpath = flinkClasspath();
  let kinesis: LocalKinesis | undefined;
  let job: ChildProcess | undefined;
  /** Stops the job's whole process group and waits for it: nothing is left running. */
  const stop = async () => {
    if (!job || job.exitCode !== null || job.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => job!.once("exit", () => resolve()));
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-job!.pid!, s);
      } catch {
        job!.kill(s);
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  process.once("SIGINT", () => {
    say("\nStopping: Flink job and local Kinesis.");
    void stop()
      .then(() => kinesis?.close())
      .then(() => process.exit(130));
  });
  try {
    kinesis = await startLocalKinesis();
    const client = new KinesisClient(kinesisClientConfig({ region, endpoint: kinesis.endpoint }));
    for (const name of ["local-clicks", "local-anomalies"]) await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    say(`Local Kinesis on ${kinesis.endpoint}: streams local-clicks, local-anomalies.`);

    // Every window goes to the anomalies stream (threshold -1) so that the live view shows all of
    // them; the alert handler sees only those above the lab's threshold, as the Lambda would.
    const props = join(WORK, "application_properties.json");
    writeFileSync(
      props,
      JSON.stringify([
        { PropertyGroupId: "IngestStream", PropertyMap: { "stream.name": "local-clicks", "aws.endpoint": kinesis.endpoint, "initial.position": "TRIM_HORIZON" } },
        { PropertyGroupId: "AnomaliesStream", PropertyMap: { "stream.name": "local-anomalies", "aws.endpoint": kinesis.endpoint } },
        { PropertyGroupId: "Detection", PropertyMap: { "window.seconds": String(o.windowSeconds), "anomaly.threshold": "-1" } },
      ]),
    );
    const log = join(WORK, "flink.log");
    const out = openSync(log, "w");
    job = spawn("java", [...OPENS, "-Dlog4j2.level=WARN", "-cp", classpath, "lab.clickstream.ClickstreamJob", props], { stdio: ["ignore", out, out], detached: true, env: { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: region, AWS_CBOR_DISABLE: "true" } });
    say(`Flink job started in local mode (log: ${log}).`);

    const records = schedule(profile("lab", { steadySeconds: o.steadySeconds, afterBurstSeconds: 60 }), { compression: o.compression });
    say(`Playing the lab's traffic ${o.compression}x faster: ${records.length} records over ${(records.at(-1)!.atMs / 1000).toFixed(0)} s; the burst starts at ${(o.steadySeconds / o.compression).toFixed(0)} s.`);
    const t0 = Date.now();
    const burstAt = t0 + (o.steadySeconds / o.compression) * 1000;
    const traffic = send(records, kinesisTarget("local-clicks", { region, endpoint: kinesis.endpoint }));

    const printed: string[] = [];
    const handler = alertHandler({
      topicArn: "arn:aws:sns:us-east-1:000000000000:local-alerts",
      bucket: "local-processed",
      sns: { send: (c: { input: { Subject?: string; Message?: string } }) => (printed.push(`\n  ┌ e-mail to the team ─────────────\n  │ Subject: ${c.input.Subject}\n  │ ${c.input.Message}\n  └─────────────────────────────────`), Promise.resolve({})) } as unknown as SNSClient,
      // The window ledger's bookkeeping (alert-ledger/) is not shown; the CSV is.
      s3: { send: (c: { input: { Key?: string; Body?: string } }) => (c.input.Key?.startsWith(LEDGER_PREFIX) || printed.push(`  stored s3://local-processed/${c.input.Key}: ${String(c.input.Body).trim()}`), Promise.resolve({})) } as unknown as S3Client,
      windowSeconds: o.windowSeconds,
      log: (line) => say(`  alert handler: ${line}`),
    });

    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: "local-anomalies", ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
    let alerts = 0;
    let trafficDone = false;
    let doneAt = 0;
    void traffic.then(
      () => {
        trafficDone = true;
        doneAt = Date.now();
      },
      (e: unknown) => {
        say(`Traffic stopped: ${e instanceof Error ? e.message : String(e)}`);
        trafficDone = true;
        doneAt = Date.now();
      },
    );
    say("\n  WINDOW (lab time)        CLICKS  IMPRESSIONS     CTR %   SCORE");
    for (;;) {
      if (job.exitCode !== null) throw new Error(`the Flink job stopped (exit ${job.exitCode}); see ${log}`);
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator! }));
      iterator = page.NextShardIterator;
      for (const r of page.Records ?? []) {
        const row: AnomalyRow = parseRow(Buffer.from(r.Data!).toString("utf8"));
        const lab = ((Date.parse(row.windowStart) - t0) / 1000) * o.compression;
        const over = row.anomalyScore > o.threshold;
        say(`  +${lab.toFixed(0).padStart(5)} s                ${String(row.clicks).padStart(6)}  ${String(row.impressions).padStart(11)}  ${row.ctrPercent.toFixed(1).padStart(8)}  ${row.anomalyScore.toFixed(2).padStart(6)}${over ? "  ← anomaly" : ""}`);
        // The lab's forest keeps 12 points: a window of 9 clicks to 11 impressions can score over 2
        // before the burst (README, "What the detection test shows"). Such an alert is shown as it
        // would be e-mailed, and the run waits for the burst.
        const beforeBurst = Date.parse(row.windowEnd) <= burstAt;
        o.events?.window({ windowStart: row.windowStart, windowEnd: row.windowEnd, labSeconds: lab, clicks: row.clicks, impressions: row.impressions, ctrPercent: row.ctrPercent, anomalyScore: row.anomalyScore, beforeBurst });
        if (over && beforeBurst) say("    (before the burst: a false alarm of the lab's small sample; it would be e-mailed too)");
        if (over) {
          const event: KinesisStreamEvent = { Records: [{ eventSource: "aws:kinesis", eventVersion: "1.0", eventID: `shardId-000000000000:${r.SequenceNumber}`, eventName: "aws:kinesis:record", invokeIdentityArn: "local", awsRegion: region, eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/local-anomalies", kinesis: { kinesisSchemaVersion: "1.0", partitionKey: r.PartitionKey!, sequenceNumber: r.SequenceNumber!, data: Buffer.from(r.Data!).toString("base64"), approximateArrivalTimestamp: 0 } }] };
          await handler(event);
          printed.splice(0).forEach(say);
          o.events?.alert({ windowStart: row.windowStart, ctrPercent: row.ctrPercent, anomalyScore: row.anomalyScore, falseAlarm: beforeBurst });
          alerts++;
          if (!o.follow && !beforeBurst) {
            say(`\nThe lab's anomaly was detected and alerted ${((Date.now() - t0) / 1000).toFixed(0)} s after the traffic started.`);
            return 0;
          }
        }
      }
      if (trafficDone && Date.now() - doneAt > 3 * o.windowSeconds * 1000 + 5000) {
        say(alerts ? `\nTraffic done; ${alerts} alert(s).` : "\nTraffic done and no window scored above the threshold: try again, or with --steady-seconds 900.");
        if (!alerts) say(`Local Kinesis calls: ${JSON.stringify(Object.fromEntries(kinesis.calls))}; errors: ${JSON.stringify(kinesis.errors.slice(0, 5))}; anomalies stored: ${kinesis.streams.get("local-anomalies")?.[0]?.records.length ?? 0}`);
        return alerts ? 0 : 1;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await stop();
    await kinesis?.close();
  }
}
