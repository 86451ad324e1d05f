// The whole lab (run by `npm start`, cli/start.ts) on this machine, no AWS account. A Kinesis endpoint on 127.0.0.1
// (local/kinesisServer.ts), the same Flink JAR and sql/ in local mode with the deployed detection
// (threshold and magnitude check as the stack sets them), the lab's traffic profile
// time-compressed, and the same alert handler (lambda/alert.ts) fed from the anomalies stream by a
// poller in place of the event source mapping. The job also writes every scored window, with its
// verdict, to a scored stream (sql/runtime-properties.json, ScoredStream): the table and the live
// page show those. The rule that makes a window an anomaly is the SQL's alone (issue #27).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as lockfile from "proper-lockfile";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, CreateStreamCommand, type _Record } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { KinesisStreamEvent } from "aws-lambda";
import { alertHandler, LEDGER_PREFIX, parseRow, type AnomalyRow } from "../lambda/alert";
import { startLocalKinesis, type LocalKinesis } from "./kinesisServer";
import { lazySchedule, profile } from "../traffic/profiles";
import { send } from "../traffic/sender";
import { kinesisClientConfig, kinesisTarget } from "../traffic/targets";
import { ANALYTICS_DIR, JAR_PATH, SQL_DIR, WORK_DIR } from "../paths";
import { LAB_REGION } from "../infra/config";
import { ALERT_MAPPING } from "../components/alert";
import { labWindowSeconds, propertyGroups } from "../components/analytics";
import type { LabEvents } from "./liveView";
import { alive, stopOnEveryEnding } from "./lifecycle";
import { startWatched } from "./reaper";

/** One folder per run under here: two runs in one checkout never share a file (issue 26, kind 4). */
export const RUNS_DIR = join(WORK_DIR, "local", "runs");
/** Runs whose folders are kept (their Flink logs); older ones are removed when a run starts. */
const KEEP_RUNS = 10;
const region = LAB_REGION;
/** The local streams: the job reads the first and writes the other two. */
const STREAMS = { clicks: "local-clicks", anomalies: "local-anomalies", scored: "local-scored" } as const;
/** The lab's window length in seconds (Detection/window.seconds in sql/runtime-properties.json). */
export const LAB_WINDOW_SECONDS = labWindowSeconds();

/**
 * The factors npm start can play the lab faster by: the windows shrink by the same factor and the
 * job's INTERVAL takes whole seconds, so the factor must divide the window (1, 2, 5 and 10 for the
 * lab's 10 s; 0.5 or 3 would give a 20-s or 3.33-s window the lab never had).
 */
export function compressionsOf(windowSeconds: number = LAB_WINDOW_SECONDS): number[] {
  return Array.from({ length: windowSeconds }, (_, i) => i + 1).filter((d) => windowSeconds % d === 0);
}

/** No window for this long means the job is stuck, however slow the machine: a 1-s window takes seconds. */
const STALL_MILLIS = 120_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Java 11+ on PATH, or one line that says what to install. */
function requireJava(): void {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  const version = /version "(\d+)/.exec(`${r.stderr}${r.stdout}`)?.[1];
  if (r.error || !version || Number(version) < 11) {
    process.stderr.write(
      `npm start needs a JDK 11 or newer on PATH (found: ${version ? `Java ${version}` : "no java"}); install one, e.g. apt-get install openjdk-17-jdk-headless.\n`,
    );
    process.exit(1);
  }
}

/** Runs the Maven wrapper in `dir`; rejects, naming the command, when it fails. Asynchronous, so that the build lock stays fresh. */
function maven(dir: string, args: string[], what: string): Promise<void> {
  say(`… ${what} (the first time, Maven downloads Flink; later runs reuse it)`);
  const child = spawn(join(dir, "mvnw"), ["-q", "-B", ...args], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (analytics/mvnw ${args.join(" ")})`))));
  });
}

/** Newest modification time (ms) of the files under `paths`. */
function newest(paths: string[]): number {
  let t = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(readdirSync(p).map((f) => join(p, f))) : st.mtimeMs);
  }
  return t;
}

/**
 * What the local lab builds in the checkout, outside its run folder: the files every run of the
 * checkout shares (the JAR and the classpath under analytics/target), the lock that lets one run
 * at a time build them, and how Maven is run.
 */
export interface FlinkBuild {
  /** The Maven project (analytics/): pom.xml, src/main, mvnw; the classpath goes to its target/local-classpath.txt. */
  readonly dir: string;
  /** The shaded JAR `package` writes. */
  readonly jar: string;
  /** The SQL the JAR carries: a newer SQL file rebuilds it. */
  readonly sql: string;
  /** The lock (a directory, proper-lockfile's) held while the shared files are checked, built and read. */
  readonly lock: string;
  /** Runs Maven in `dir` with `args`; `what` says what for, on the terminal. */
  readonly maven: (args: string[], what: string) => Promise<void>;
}

/** The checkout's own build: analytics/, its JAR, sql/, the lock under .workshop/local. */
export const FLINK_BUILD: FlinkBuild = {
  dir: ANALYTICS_DIR,
  jar: JAR_PATH,
  sql: SQL_DIR,
  lock: join(WORK_DIR, "local", "flink-build.lock"),
  maven: (args, what) => maven(ANALYTICS_DIR, args, what),
};

/** The file Maven's dependency:build-classpath writes for the local lab (Flink's provided jars, colon-separated). */
export function classpathFile(b: FlinkBuild): string {
  return join(b.dir, "target", "local-classpath.txt");
}

/**
 * How long a build lock may go untouched before another run takes it: proper-lockfile refreshes a
 * held lock's mtime every half of this, so only a run that died leaves one this old.
 */
const BUILD_LOCK_STALE_MS = 30_000;

/**
 * The shaded JAR and Flink's own jars (provided scope), the classpath of a local run. Each is
 * rebuilt when its inputs are newer: a JAR older than the job's sources would run yesterday's job.
 *
 * Two `npm start` runs in one checkout share these files, so they are checked, built and read under
 * one lock (issue 26, kind 4): the second run waits for the first's Maven instead of running a
 * second Maven in the same target/, and then finds them fresh. The classpath is written to a file
 * of this run's own and renamed over the shared one, so a reader that takes no lock (an older
 * checkout's npm start) sees the old file or the new one, never half of one.
 */
export async function flinkClasspath(b: FlinkBuild = FLINK_BUILD): Promise<string> {
  mkdirSync(dirname(b.lock), { recursive: true });
  const options = { lockfilePath: b.lock, stale: BUILD_LOCK_STALE_MS };
  const release = await lockfile.lock(b.dir, { ...options, retries: 0 }).catch(async (e: unknown) => {
    if ((e as { code?: string }).code !== "ELOCKED") throw e;
    say("… another npm start is building the Flink job in this checkout; waiting for it");
    return lockfile.lock(b.dir, { ...options, retries: { forever: true, minTimeout: 100, maxTimeout: 1000 } });
  });
  try {
    const pom = join(b.dir, "pom.xml");
    const classpath = classpathFile(b);
    if (!existsSync(b.jar) || statSync(b.jar).mtimeMs < newest([join(b.dir, "src", "main"), b.sql, pom]))
      await b.maven(["package", "-DskipTests"], "building the Flink job");
    if (!existsSync(classpath) || statSync(classpath).mtimeMs < statSync(pom).mtimeMs) {
      const mine = `${classpath}.${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        await b.maven(
          ["dependency:build-classpath", "-Dmdep.includeScope=provided", `-Dmdep.outputFile=${mine}`],
          "resolving Flink's local runtime",
        );
        renameSync(mine, classpath);
      } finally {
        rmSync(mine, { force: true });
      }
    }
    return `${b.jar}:${readFileSync(classpath, "utf8").trim()}`;
  } finally {
    await release();
  }
}

/**
 * The job's own log (Log4j 2, as Flink's distribution logs) to its standard output, which goes to
 * the log file: the job's lines at INFO (KinesisIO's first read, late records), Flink's at WARN.
 */
const LOG4J = `status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = console
logger.lab.name = lab.clickstream
logger.lab.level = INFO
`;

/** The line the job logs once it has read the ingest stream (analytics/.../KinesisIO.FIRST_READ). */
export const FIRST_READ = "first GetRecords on shard";

export interface LocalJob {
  /** The JVM's reaper (local/reaper.ts): it exits after the JVM, with the JVM's exit status. */
  readonly process: ChildProcess;
  /** The job's log file (its Log4j output), in the run's own folder. */
  readonly log: string;
  /** Resolves once the job has read the ingest stream; rejects if the job exits first. */
  readonly reading: Promise<void>;
  /** Stops the JVM (SIGTERM, SIGKILL after 10 s) and waits for it: nothing is left running. */
  stop(): Promise<void>;
}

/** Where a local job reads and writes, and the detection it runs. */
export interface LocalJobOptions {
  /** The local Kinesis endpoint (http://127.0.0.1:<port>). */
  readonly endpoint: string;
  /** The stream the job reads from its start (TRIM_HORIZON). */
  readonly ingest: string;
  /** The stream the anomalous windows go to, as on AWS. */
  readonly anomalies: string;
  /** The stream every scored window goes to, with its verdict (ScoredStream). */
  readonly scored: string;
  /** Window length (s): the lab's 10 s divided by the compression. */
  readonly windowSeconds: number;
  /** Detection/anomaly.threshold, as the stack sets it (config anomalyThreshold). */
  readonly threshold: number;
}

/**
 * A new, empty folder for one run's files (the job's properties, Log4j configuration and log):
 * `<root>/<UTC time>-<pid>-<random>`, made by mkdtemp, so two runs at once never get the same
 * one. Keeps the newest KEEP_RUNS folders and removes older ones whose run is not running.
 */
export function newRunFolder(root: string = RUNS_DIR): string {
  mkdirSync(root, { recursive: true });
  const old = readdirSync(root).sort().reverse().slice(KEEP_RUNS);
  for (const name of old) {
    const pid = Number(/-(\d+)-[^-]+$/.exec(name)?.[1]);
    if (!(pid > 0 && alive(pid))) rmSync(join(root, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(root, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-`));
}

/**
 * Starts the Flink job in local mode against a Kinesis endpoint, reading `ingest` from its start
 * (TRIM_HORIZON), with the property groups the deployed application gets (propertyGroups), only
 * the endpoint, start position, window length and scored stream added. Its files go to `runDir`
 * (a new run folder by default). The JVM runs under a reaper (local/reaper.ts), which stops it
 * when this process stops it or dies.
 */
export async function startJob(o: LocalJobOptions, runDir = newRunFolder()): Promise<LocalJob> {
  requireJava();
  const classpath = await flinkClasspath();
  const props = join(runDir, "application_properties.json");
  // The groups the deployed application gets (propertyGroups), pointed at the local endpoint, in
  // the file format Managed Flink writes (/etc/flink/application_properties.json).
  const groups = propertyGroups(
    { ingestStreamName: o.ingest, anomaliesStreamName: o.anomalies, region: LAB_REGION, anomalyThreshold: o.threshold },
    {
      IngestStream: { "aws.endpoint": o.endpoint, "initial.position": "TRIM_HORIZON" },
      AnomaliesStream: { "aws.endpoint": o.endpoint },
      ScoredStream: { "stream.name": o.scored, "aws.region": LAB_REGION, "aws.endpoint": o.endpoint },
      Detection: { "window.seconds": String(o.windowSeconds) },
    },
  );
  writeFileSync(props, JSON.stringify(groups.map((g) => ({ PropertyGroupId: g.propertyGroupId, PropertyMap: g.propertyMap }))));
  const log4j = join(runDir, "log4j2.properties");
  writeFileSync(log4j, LOG4J);
  const log = join(runDir, "flink.log");
  writeFileSync(log, "");
  const job = startWatched(
    "java",
    [...jvmOpens(), `-Dlog4j.configurationFile=${log4j}`, "-cp", classpath, "lab.clickstream.ClickstreamJob", props],
    {
      log,
      what: "the Flink job",
      env: { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: region, AWS_CBOR_DISABLE: "true" },
    },
  );
  const child = job.process;
  const reading = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (readFileSync(log, "utf8").includes(FIRST_READ)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`the Flink job stopped before it read the stream (exit ${child.exitCode ?? child.signalCode}); see ${log}`));
      }
    }, 200);
  });
  return { process: child, log, reading, stop: () => job.stop() };
}

/**
 * The module opens Flink needs on Java 17 (`--add-opens=java.base/<package>=ALL-UNNAMED`, one per
 * package), read from the job's own build: the surefire argLine of analytics/pom.xml, which the
 * MiniCluster tests run with. One list for the tests and the local lab, kept in the POM.
 * @param pom the POM's text (analytics/pom.xml by default)
 * @throws Error naming the file when its argLine carries no --add-opens.
 */
export function jvmOpens(pom: string = readFileSync(join(ANALYTICS_DIR, "pom.xml"), "utf8")): string[] {
  const argLines = [...pom.matchAll(/<argLine>([^<]*)<\/argLine>/g)].map((m) => m[1] ?? "");
  const opens = [...new Set(argLines.flatMap((line) => line.split(/\s+/)).filter((arg) => arg.startsWith("--add-opens=")))];
  if (opens.length === 0)
    throw new Error("analytics/pom.xml has no --add-opens in a surefire <argLine>: the local lab takes the JVM's module opens from there");
  return opens;
}

export interface LocalLabOptions {
  follow?: boolean;
  compression: number;
  windowSeconds: number;
  threshold: number;
  steadySeconds: number;
  /** Told of each window and each alert (npm start's live page, local/liveView.ts). */
  events?: Pick<LabEvents, "window" | "alert">;
}

/** Reads one shard of a local stream from its start, a page at a time, as a polling consumer does. */
function shardReader(client: KinesisClient, stream: string): () => Promise<_Record[]> {
  let iterator: string | undefined;
  return async () => {
    iterator ??= (
      await client.send(
        new GetShardIteratorCommand({ StreamName: stream, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }),
      )
    ).ShardIterator;
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator! }));
    iterator = page.NextShardIterator;
    return page.Records ?? [];
  };
}

/** Records of the anomalies stream as Lambda's event source mapping hands them to the alert handler. */
function kinesisEvent(records: _Record[], stream: string): KinesisStreamEvent {
  return {
    Records: records.map((r) => ({
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `shardId-000000000000:${r.SequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "local",
      awsRegion: region,
      eventSourceARN: `arn:aws:kinesis:${region}:000000000000:stream/${stream}`,
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: r.PartitionKey!,
        sequenceNumber: r.SequenceNumber!,
        data: Buffer.from(r.Data!).toString("base64"),
        approximateArrivalTimestamp: 0,
      },
    })),
  };
}

/**
 * Runs the lab until the burst's alert (or, with `follow`, until the traffic is scored). Returns
 * 0 after an alert, 1 otherwise. However the run ends (a signal, an exception, the parent gone),
 * the Flink job and the local Kinesis are stopped and the terminal says so (local/lifecycle.ts).
 */
export async function runLocalLab(o: LocalLabOptions): Promise<number> {
  const started: { kinesis?: LocalKinesis; job?: LocalJob } = {};
  const stopAll = async () => {
    await started.job?.stop();
    await started.kinesis?.close();
  };
  const unguard = stopOnEveryEnding(stopAll, say);
  try {
    const kinesis = (started.kinesis = await startLocalKinesis());
    const client = await createStreams(kinesis);
    const job = (started.job = await startDetection(kinesis, o));
    const traffic = playTraffic(kinesis, o);
    const alerts = localAlertHandler(o);
    return await watch({
      o,
      kinesis,
      job,
      traffic,
      alerts,
      scored: shardReader(client, STREAMS.scored),
      anomalies: shardReader(client, STREAMS.anomalies),
    });
  } finally {
    await stopAll();
    unguard();
  }
}

/** The lab's three streams on the local endpoint, one shard each. */
async function createStreams(kinesis: LocalKinesis): Promise<KinesisClient> {
  const client = new KinesisClient(kinesisClientConfig({ region, endpoint: kinesis.endpoint }));
  for (const name of Object.values(STREAMS)) await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  say(`Local Kinesis on ${kinesis.endpoint}: streams ${Object.values(STREAMS).join(", ")}.`);
  return client;
}

/**
 * The deployed detection: anomalies go to the anomalies stream, which the alert handler reads as
 * the Lambda does; every window, with the job's verdict, goes to the scored stream for the table
 * and the live page. Resolves once the job reads the ingest stream.
 */
async function startDetection(kinesis: LocalKinesis, o: LocalLabOptions): Promise<LocalJob> {
  const job = await startJob({
    endpoint: kinesis.endpoint,
    ingest: STREAMS.clicks,
    anomalies: STREAMS.anomalies,
    scored: STREAMS.scored,
    windowSeconds: o.windowSeconds,
    threshold: o.threshold,
  });
  say(`Flink job started in local mode (log: ${job.log}); waiting until it reads the stream…`);
  const startedAt = Date.now();
  await job.reading;
  say(`The job is reading ${STREAMS.clicks} (${((Date.now() - startedAt) / 1000).toFixed(0)} s after it started).`);
  return job;
}

/** The traffic as it is being sent: when it started, when the burst starts, and when the last record went. */
interface Traffic {
  readonly t0: number;
  readonly burstAt: number;
  /** Lab seconds (uncompressed) from the traffic's start to the window's start. */
  labSeconds(row: AnomalyRow): number;
  done: boolean;
  lastSent: number;
}

/** Starts sending the lab's traffic profile, time-compressed, into the ingest stream. */
function playTraffic(kinesis: LocalKinesis, o: LocalLabOptions): Traffic {
  // Lazy: a long --steady-seconds must not build the whole run in memory (issue #26).
  const records = lazySchedule(profile("lab", { steadySeconds: o.steadySeconds, afterBurstSeconds: 60 }), { compression: o.compression });
  say(
    `Playing the lab's traffic ${o.compression}x faster: ${records.count} records over ${(records.lastAtMs / 1000).toFixed(0)} s; the burst starts at ${(o.steadySeconds / o.compression).toFixed(0)} s.`,
  );
  const t0 = Date.now();
  const traffic: Traffic = {
    t0,
    burstAt: t0 + (o.steadySeconds / o.compression) * 1000,
    labSeconds: (row) => ((Date.parse(row.windowStart) - t0) / 1000) * o.compression,
    done: false,
    lastSent: Number.POSITIVE_INFINITY,
  };
  const finished = () => {
    traffic.done = true;
    traffic.lastSent = Date.now();
  };
  send(records, kinesisTarget(STREAMS.clicks, { region, endpoint: kinesis.endpoint })).then(finished, (e: unknown) => {
    say(`Traffic stopped: ${e instanceof Error ? e.message : String(e)}`);
    finished();
  });
  return traffic;
}

/** The alert Lambda's own handler, with SNS and S3 replaced by what it would have e-mailed and stored. */
function localAlertHandler(o: LocalLabOptions): { handler: ReturnType<typeof alertHandler>; printed: string[] } {
  const printed: string[] = [];
  const handler = alertHandler({
    topicArn: `arn:aws:sns:${region}:000000000000:local-alerts`,
    bucket: "local-processed",
    sns: {
      send: (c: { input: { Subject?: string; Message?: string } }) => (
        printed.push(
          `\n  ┌ e-mail to the team ─────────────\n  │ Subject: ${c.input.Subject}\n  │ ${c.input.Message}\n  └─────────────────────────────────`,
        ),
        Promise.resolve({})
      ),
    } as unknown as SNSClient,
    // The window ledger's bookkeeping (alert-ledger/) is not shown; the CSV is.
    s3: {
      send: (c: { input: { Key?: string; Body?: string } }) => (
        c.input.Key?.startsWith(LEDGER_PREFIX) ||
          printed.push(`  stored s3://local-processed/${c.input.Key}: ${String(c.input.Body).trim()}`),
        Promise.resolve({})
      ),
    } as unknown as S3Client,
    windowSeconds: o.windowSeconds,
    log: (line) => say(`  alert handler: ${line}`),
  });
  return { handler, printed };
}

/** What the watch loop reads and what it has seen so far. */
interface Watch {
  readonly o: LocalLabOptions;
  readonly kinesis: LocalKinesis;
  readonly job: LocalJob;
  readonly traffic: Traffic;
  readonly alerts: { handler: ReturnType<typeof alertHandler>; printed: string[] };
  readonly scored: () => Promise<_Record[]>;
  readonly anomalies: () => Promise<_Record[]>;
}

interface Seen {
  alerts: number;
  lastRowEnd: number;
  lastProgress: number;
}

/** Polls the scored and anomalies streams until the burst's alert, the end of the traffic, or a stall. */
async function watch(w: Watch): Promise<number> {
  const seen: Seen = { alerts: 0, lastRowEnd: 0, lastProgress: Date.now() };
  say("\n  WINDOW (lab time)        CLICKS  IMPRESSIONS     CTR %   SCORE");
  for (;;) {
    if (w.job.process.exitCode !== null) throw new Error(`the Flink job stopped (exit ${w.job.process.exitCode}); see ${w.job.log}`);
    showWindows(await w.scored(), w, seen);
    const alerted = await deliverAlerts(await w.anomalies(), w, seen);
    const verdict = alerted ?? judge(w, seen);
    if (verdict !== undefined) return verdict;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One table line (and one live-page event) per scored window, with the job's verdict. */
function showWindows(records: _Record[], w: Watch, seen: Seen): void {
  for (const r of records) {
    const text = Buffer.from(r.Data!).toString("utf8");
    const row: AnomalyRow = parseRow(text);
    // The job's verdict (the SQL's IS_ANOMALY), not a rule of ours.
    const anomaly = (JSON.parse(text) as { anomaly?: unknown }).anomaly === true;
    seen.lastRowEnd = Math.max(seen.lastRowEnd, Date.parse(row.windowEnd));
    seen.lastProgress = Date.now();
    const lab = w.traffic.labSeconds(row);
    say(
      `  +${lab.toFixed(0).padStart(5)} s                ${String(row.clicks).padStart(6)}  ${String(row.impressions).padStart(11)}  ${row.ctrPercent.toFixed(1).padStart(8)}  ${row.anomalyScore.toFixed(2).padStart(6)}${anomaly ? "  ← anomaly" : ""}`,
    );
    w.o.events?.window({
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      labSeconds: lab,
      clicks: row.clicks,
      impressions: row.impressions,
      ctrPercent: row.ctrPercent,
      anomalyScore: row.anomalyScore,
      beforeBurst: Date.parse(row.windowEnd) <= w.traffic.burstAt,
      anomaly,
    });
  }
}

/**
 * The alerts: the anomalies stream in the event source mapping's batches, into the alert handler.
 * Returns 0 at the burst's alert (unless following), undefined to go on.
 */
async function deliverAlerts(page: _Record[], w: Watch, seen: Seen): Promise<number | undefined> {
  for (let i = 0; i < page.length; i += ALERT_MAPPING.batchSize) {
    const batch = page.slice(i, i + ALERT_MAPPING.batchSize);
    const failed = await w.alerts.handler(kinesisEvent(batch, STREAMS.anomalies));
    w.alerts.printed.splice(0).forEach(say);
    if (failed && failed.batchItemFailures.length > 0)
      say(`  alert handler: ${failed.batchItemFailures.length} record(s) failed; the Lambda would retry them`);
    for (const r of batch) {
      const row = parseRow(Buffer.from(r.Data!).toString("utf8"));
      // With the default threshold a steady window should not alert (docs/detection.md); one that
      // does is shown as it would be e-mailed, marked, and the run waits for the burst.
      const beforeBurst = Date.parse(row.windowEnd) <= w.traffic.burstAt;
      if (beforeBurst) say("    (before the burst: a false alarm; it would be e-mailed too. docs/detection.md says what to look at)");
      w.o.events?.alert({
        windowStart: row.windowStart,
        ctrPercent: row.ctrPercent,
        anomalyScore: row.anomalyScore,
        falseAlarm: beforeBurst,
      });
      seen.alerts++;
      if (!w.o.follow && !beforeBurst) {
        say(`\nThe lab's anomaly was detected and alerted ${((Date.now() - w.traffic.t0) / 1000).toFixed(0)} s after the traffic started.`);
        return 0;
      }
    }
  }
  return undefined;
}

/**
 * The run is judged by the job's progress, not by the clock: it ends once the job has scored the
 * last window the traffic filled (the very last may hold only clicks, and yields no row), or when
 * the job has shown nothing for a long while. Undefined: go on.
 */
function judge(w: Watch, seen: Seen): number | undefined {
  if (w.traffic.done && seen.lastRowEnd >= w.traffic.lastSent - w.o.windowSeconds * 1000) {
    say(
      seen.alerts
        ? `\nTraffic done and every window scored; ${seen.alerts} alert(s).`
        : "\nTraffic done, every window scored, and none above the threshold.",
    );
    return seen.alerts ? 0 : 1;
  }
  if (Date.now() - seen.lastProgress > STALL_MILLIS) {
    say(
      `\nThe job scored no window for ${STALL_MILLIS / 1000} s (last window ended ${seen.lastRowEnd ? new Date(seen.lastRowEnd).toISOString() : "never"}); see ${w.job.log}.`,
    );
    say(
      `Local Kinesis calls: ${JSON.stringify(Object.fromEntries(w.kinesis.calls))}; errors: ${JSON.stringify(w.kinesis.errors.slice(0, 5))}; windows scored: ${w.kinesis.streams.get(STREAMS.scored)?.[0]?.records.length ?? 0}`,
    );
    return 1;
  }
  return undefined;
}
