// `npm run traffic -- …`: the lab's KDG browser windows as one command. Parses the options into a
// schedule (traffic/profiles.ts, generated as it is sent) and a destination, a Kinesis data stream
// or a Firehose delivery stream; calls traffic/run.ts, which checks the peak rate against what the
// stream takes, plays the schedule, writes failed records to a file as they fail and answers
// Ctrl-C and SIGTERM; prints a progress line, the report (sent + failed + unsent = scheduled, on
// every way out) and gives the exit code.

import { execFile } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { LAB_REGION } from "../infra/config";
import { REFUSE_FACTOR } from "../traffic/capacity";
import { defaultFailedRecordPath, failedRecordLine } from "../traffic/failedRecordFile";
import { lazySchedule, lazyWithSequence, peakRate, PROFILE_NAMES, profile, type ProfileName, type Schedule } from "../traffic/profiles";
import { runTraffic, type TrafficOutcome } from "../traffic/run";
import type { Report } from "../traffic/sender";
import type { SignalSource } from "../traffic/stopSignals";
import { firehoseTarget, kinesisTarget, type Target } from "../traffic/targets";
import { numberOption, urlOption } from "./options";
import { runCli } from "./run";

export interface TrafficOptions {
  stack?: string;
  stream?: string;
  firehose?: string;
  pattern: ProfileName;
  /** An AWS profile (the shared config's), as `--profile` means in every AWS tool. */
  profile?: string;
  rate?: number;
  steadySeconds?: number;
  burstProducers?: number;
  burstSeconds?: number;
  afterBurstSeconds?: number;
  compression: number;
  seed: number;
  jitterMs: number;
  region: string;
  endpoint?: string;
  maxAttempts: number;
  sequence?: boolean;
  dryRun?: boolean;
  failedOut?: string;
  allowThrottling?: boolean;
}

const HELP_AFTER =
  "\nExamples:\n" +
  "  npm run traffic -- --stack dev                      # the lab's script, in real time (about 11 minutes)\n" +
  "  npm run traffic -- --stream immersion-day-t1-clicks --pattern steady --steady-seconds 120\n" +
  "  npm run traffic -- --stack dev --compression 10 --rate 5   # a rehearsal: 10x faster, 5x the rate\n" +
  "\nEvery scheduled record ends up sent, failed (written to --failed-out as it fails) or unsent (its time\n" +
  "never came); the report adds them up. Ctrl-C stops taking records and finishes the batch in flight;\n" +
  "Ctrl-C again (or SIGTERM) abandons the call in flight, whose records count as failed.\n" +
  "Exit codes: 0 all sent, 1 some failed or a call error stopped the run, 2 refused before sending, 130 Ctrl-C, 143 SIGTERM.\n" +
  "\nCredentials: --profile, or the usual AWS chain (AWS_PROFILE, environment, SSO). The KDG web page (the\n" +
  "stack's kdgUrl output) still works for those who want the lab's browser windows.";

export function command(): Command {
  return new Command()
    .name("npm run traffic --")
    .description(
      "Send the lab's Kinesis Data Generator traffic (the KDG templates' JSON, one record per line) to a stream.\n" +
        "Replaces the lab's five browser windows: `lab` is the whole test script (one impressions window and one\n" +
        "clicks window at 1/s, then three more clicks windows for 20 s).",
    )
    .option("-s, --stack <name>", "send to the ingest stream of this deployed stack (reads `pulumi stack output`)")
    .option("--stream <name>", "send to this Kinesis data stream (PutRecords)")
    .option("--firehose <name>", "send to this Firehose direct-put delivery stream (PutRecordBatch), as in the 2020 lab")
    .addOption(new Option("--pattern <name>", "what to send: the traffic pattern").choices(PROFILE_NAMES).default("lab"))
    .option("--profile <aws-profile>", "the AWS profile to send with, as in the AWS CLI (default: the usual AWS chain)")
    .option("--rate <n>", "records per second of each window (lab: 1)", numberOption("--rate", { above: true }))
    .option(
      "--steady-seconds <s>",
      "seconds of steady traffic before the burst, or in all for steady and discovery (default 600)",
      numberOption("--steady-seconds"),
    )
    .option("--burst-producers <n>", "extra click windows in the burst (default 3)", numberOption("--burst-producers", { integer: true }))
    .option("--burst-seconds <s>", "seconds the burst windows send (default 20)", numberOption("--burst-seconds"))
    .option(
      "--after-burst-seconds <s>",
      "seconds the steady windows go on after the burst starts (default 60)",
      numberOption("--after-burst-seconds"),
    )
    .option(
      "-c, --compression <x>",
      "play this many times faster than real time (counts stay, gaps shrink)",
      numberOption("--compression", { above: true }),
      1,
    )
    .option("--seed <n>", "seed of the send-time jitter; the same seed repeats a run", numberOption("--seed", { integer: true }), 2020)
    .option("--jitter-ms <ms>", "each send moves by up to this much, as a browser timer does", numberOption("--jitter-ms"), 150)
    .option("--region <region>", "AWS region", LAB_REGION)
    .option("--endpoint <url>", "a local Kinesis or Firehose endpoint (e.g. http://127.0.0.1:5000)", urlOption("--endpoint"))
    .option(
      "--max-attempts <n>",
      "attempts per record before it counts as failed",
      numberOption("--max-attempts", { min: 1, integer: true }),
      8,
    )
    .option("--sequence", "add producer and seq fields to each record, to check order and exactly-once downstream")
    .option("--dry-run", "print the schedule (ms, producer, record) instead of sending")
    .option("--failed-out <file>", "where to write records that failed, as they fail (default traffic-failed-<time>.jsonl)")
    .option(
      "--allow-throttling",
      `send even when the peak rate is ${REFUSE_FACTOR} times or more what the stream takes (1,000 records/s and 1 MiB/s per shard)`,
    )
    .addHelpText("after", HELP_AFTER)
    .showHelpAfterError();
}

/** `--profile steady`, as the traffic pattern was once chosen: the option is now an AWS profile (issue #26). */
function patternNotProfile(name: string): string {
  return (
    `error: --profile names an AWS profile, as in every AWS tool; the traffic pattern is --pattern (--pattern ${name}). ` +
    `(An AWS profile that is really named ${name}: AWS_PROFILE=${name}.)`
  );
}

/** Reads the ingest stream from a deployed stack's outputs. */
export async function streamOfStack(stack: string): Promise<{ stream: string; region?: string }> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8" }));
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === "ENOENT")
      throw new Error("--stack needs the Pulumi CLI on PATH (https://www.pulumi.com/docs/install/); or name the stream with --stream.", {
        cause: e,
      });
    throw new Error(`pulumi stack output --stack ${stack} failed: ${(err.stderr ?? String(e)).trim()}`, { cause: e });
  }
  const outputs = JSON.parse(stdout) as { ingestStreamName?: unknown; region?: unknown };
  if (typeof outputs.ingestStreamName !== "string")
    throw new Error(`stack ${stack} has no ingestStreamName output; is it deployed (pulumi up)?`);
  return { stream: outputs.ingestStreamName, ...(typeof outputs.region === "string" ? { region: outputs.region } : {}) };
}

export function formatReport(r: Report, target: string): string {
  const byCode = Object.entries(r.failedByCode);
  return [
    `${r.stopped ? "Stopped" : "Done"}: ${target}`,
    `  sent      ${r.sent} of ${r.scheduled}`,
    `  failed    ${r.failed}${byCode.length ? ` (${byCode.map(([c, n]) => `${c}: ${n}`).join(", ")})` : ""}`,
    `  unsent    ${r.unsent}${r.unsent ? " (the run stopped before their time)" : ""}`,
    `  retried   ${r.retried} record send(s) after a refusal or a failed call`,
    `  rate      ${r.ratePerSecond.toFixed(1)} records/s over ${(r.elapsedMs / 1000).toFixed(1)} s`,
    ...(r.stopReason ? [`  stopped   ${r.stopReason}`] : []),
  ].join("\n");
}

/** What the command reaches outside itself, so that a test can run it in-process. */
export interface TrafficDeps {
  readonly stdout: NodeJS.WritableStream;
  /** Warnings, signal notices and the progress line. */
  readonly stderr: NodeJS.WritableStream;
  /** Where SIGINT and SIGTERM come from. */
  readonly signals: SignalSource;
  readonly now: () => Date;
  /** Leaves at once with this code: the third Ctrl-C. */
  readonly exit: (code: number) => void;
}

export const defaultDeps: TrafficDeps = {
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
  now: () => new Date(),
  exit: (code) => process.exit(code),
};

/**
 * The exit code of a run, as --help states it: 2 refused before sending, 143 SIGTERM, 130 Ctrl-C
 * that stopped the run, 1 some failed or the run stopped (a call error), 0 all sent.
 */
export function exitCode(outcome: TrafficOutcome): number {
  if (outcome.kind === "refused") return 2;
  if (outcome.signal === "SIGTERM") return 143;
  if (outcome.signal === "SIGINT" && outcome.report.stopped) return 130;
  return outcome.report.failed > 0 || outcome.report.stopped ? 1 : 0;
}

/** The options that choose the destination: exactly one, unless --dry-run; --profile not a pattern's name. */
function checkOptions(program: Command, o: TrafficOptions): void {
  const targets = [o.stack, o.stream, o.firehose].filter((t) => t !== undefined);
  if (!o.dryRun && targets.length !== 1) program.error("error: name exactly one of --stack, --stream or --firehose (or use --dry-run).");
  if (o.profile !== undefined && (PROFILE_NAMES as readonly string[]).includes(o.profile)) program.error(patternNotProfile(o.profile));
}

/** The pattern's KDG windows with the options' settings, and their lazy schedule. */
function scheduleOf(o: TrafficOptions): { producers: ReturnType<typeof profile>; records: Schedule } {
  const producers = profile(o.pattern, {
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.steadySeconds !== undefined ? { steadySeconds: o.steadySeconds } : {}),
    ...(o.burstProducers !== undefined ? { burstProducers: o.burstProducers } : {}),
    ...(o.burstSeconds !== undefined ? { burstSeconds: o.burstSeconds } : {}),
    ...(o.afterBurstSeconds !== undefined ? { afterBurstSeconds: o.afterBurstSeconds } : {}),
  });
  const records = lazySchedule(producers, { seed: o.seed, jitterMs: o.jitterMs, compression: o.compression });
  return { producers, records: o.sequence ? lazyWithSequence(records) : records };
}

/**
 * --dry-run: one line per record, `ms<TAB>producer<TAB>data`, written in chunks of about 64 KiB,
 * each after the last has drained (a long run into a slow pipe holds one chunk, not the run). A
 * reader that goes away (`| head`: EPIPE) has what it wanted: the printing stops, quietly.
 * @throws the stream's other errors.
 */
async function printSchedule(records: Schedule, out: NodeJS.WritableStream): Promise<void> {
  let chunk = "";
  try {
    for (const r of records) {
      chunk += `${r.atMs.toFixed(0)}\t${r.producer}\t${r.data}\n`;
      if (chunk.length > 65536) {
        if (!out.write(chunk)) await once(out, "drain");
        chunk = "";
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === "EPIPE") return;
    throw e;
  }
  out.write(chunk);
}

/** The stream the options name: a stack's ingest stream (its outputs), a Kinesis data stream or a Firehose delivery stream. */
async function targetOf(o: TrafficOptions): Promise<Target> {
  const aws = { ...(o.profile !== undefined ? { profile: o.profile } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}) };
  if (o.stack !== undefined) {
    const s = await streamOfStack(o.stack);
    return kinesisTarget(s.stream, { region: s.region ?? o.region, ...aws });
  }
  if (o.stream !== undefined) return kinesisTarget(o.stream, { region: o.region, ...aws });
  return firehoseTarget(o.firehose!, { region: o.region, ...aws });
}

/** The progress line on stderr: redrawn on a terminal, every 10 s elsewhere. */
function progressBar(stderr: NodeJS.WritableStream): SingleBar {
  return new SingleBar({
    format: "  {bar} {value}/{total} sent | retried {retried} | failed {failed} | {elapsed}s",
    stream: stderr,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
    hideCursor: true,
  });
}

/** The report, where the failed records are, and, when the file could not take them, the records themselves on stderr. */
function printReport(outcome: Extract<TrafficOutcome, { kind: "sent" }>, target: string, deps: TrafficDeps): void {
  const { report, failedRecords } = outcome;
  deps.stdout.write(formatReport(report, target) + "\n");
  if (failedRecords.written > 0) deps.stdout.write(`  the ${failedRecords.written} failed record(s) are in ${failedRecords.path}\n`);
  if (report.sinkError) {
    deps.stdout.write(
      `  could not write ${report.failures.length} failed record(s) to ${failedRecords.path} (${report.sinkError}); they follow on stderr\n`,
    );
    for (const f of report.failures) deps.stderr.write(failedRecordLine(f) + "\n");
  }
}

export async function main(argv: string[], deps: TrafficDeps = defaultDeps): Promise<number> {
  const program = command().parse(argv);
  const o = program.opts<TrafficOptions>();
  checkOptions(program, o);
  const { producers, records } = scheduleOf(o);
  if (o.dryRun) {
    await printSchedule(records, deps.stdout);
    return 0;
  }
  const target = await targetOf(o);
  const bar = progressBar(deps.stderr);
  try {
    const outcome = await runTraffic(records, target, {
      peak: peakRate(producers, { compression: o.compression, sequence: Boolean(o.sequence) }),
      ...(o.allowThrottling ? { allowThrottling: true } : {}),
      maxAttempts: o.maxAttempts,
      failedOut: o.failedOut ?? defaultFailedRecordPath(deps.now()),
      signals: deps.signals,
      warn: (message) => void deps.stderr.write(`warning: ${message}\n`),
      notice: (text) => void deps.stderr.write(text),
      onSending: () => {
        deps.stderr.write(
          `Sending ${records.count} records (${o.pattern}, ${producers.length} windows) to ${target.describe} over about ${(records.lastAtMs / 1000).toFixed(0)} s. Ctrl-C stops and reports.\n`,
        );
        bar.start(records.count, 0, { retried: 0, failed: 0, elapsed: 0 });
      },
      onProgress: (p) => bar.update(p.sent, { retried: p.retried, failed: p.failed, elapsed: (p.elapsedMs / 1000).toFixed(0) }),
      quit: () => deps.exit(130),
    });
    bar.stop();
    if (outcome.kind === "refused") deps.stderr.write(`error: ${outcome.message}\n`);
    else printReport(outcome, target.describe, deps);
    return exitCode(outcome);
  } finally {
    bar.stop();
    target.close();
  }
}

if (require.main === module) runCli(main);
