// `npm run traffic -- …`: the lab's KDG browser windows as one command. Builds a schedule from a
// profile (traffic/profiles.ts, generated as it is sent), checks the peak rate against what the
// stream takes (traffic/capacity.ts), then plays it into a Kinesis data stream or a Firehose
// delivery stream (traffic/sender.ts), with a progress line and a final report. Every way out
// (the end, Ctrl-C, SIGTERM, a call error) prints the report, in which sent + failed + unsent =
// scheduled, and leaves the failed records in a file, written as they fail.

import { execFile } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { promisify } from "node:util";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { LAB_REGION } from "../infra/config";
import { judgeRate, REFUSE_FACTOR } from "../traffic/capacity";
import { lazySchedule, lazyWithSequence, peakRate, PROFILE_NAMES, profile, type ProfileName, type Schedule } from "../traffic/profiles";
import { send, type FailedRecord, type Report } from "../traffic/sender";
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

/** Appends failed records to a JSON-lines file, created at the first one, so that they are on disk whatever happens next. */
class FailedFile {
  private fd: number | undefined;
  written = 0;
  constructor(readonly path: string) {}
  write(f: FailedRecord): void {
    this.fd ??= openSync(this.path, "w");
    writeSync(this.fd, JSON.stringify({ producer: f.record.producer, data: f.record.data, code: f.code, message: f.message }) + "\n");
    this.written++;
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = command().parse(argv);
  const o = program.opts<TrafficOptions>();
  const targets = [o.stack, o.stream, o.firehose].filter((t) => t !== undefined);
  if (!o.dryRun && targets.length !== 1) program.error("error: name exactly one of --stack, --stream or --firehose (or use --dry-run).");
  if (o.profile !== undefined && (PROFILE_NAMES as readonly string[]).includes(o.profile)) program.error(patternNotProfile(o.profile));
  const producers = profile(o.pattern, {
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.steadySeconds !== undefined ? { steadySeconds: o.steadySeconds } : {}),
    ...(o.burstProducers !== undefined ? { burstProducers: o.burstProducers } : {}),
    ...(o.burstSeconds !== undefined ? { burstSeconds: o.burstSeconds } : {}),
    ...(o.afterBurstSeconds !== undefined ? { afterBurstSeconds: o.afterBurstSeconds } : {}),
  });
  let records: Schedule = lazySchedule(producers, { seed: o.seed, jitterMs: o.jitterMs, compression: o.compression });
  if (o.sequence) records = lazyWithSequence(records);
  if (o.dryRun) {
    let chunk = "";
    for (const r of records) {
      chunk += `${r.atMs.toFixed(0)}\t${r.producer}\t${r.data}\n`;
      if (chunk.length > 65536) {
        process.stdout.write(chunk);
        chunk = "";
      }
    }
    process.stdout.write(chunk);
    return 0;
  }

  const aws = { ...(o.profile !== undefined ? { profile: o.profile } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}) };
  let target: Target;
  if (o.stack !== undefined) {
    const s = await streamOfStack(o.stack);
    target = kinesisTarget(s.stream, { region: s.region ?? o.region, ...aws });
  } else if (o.stream !== undefined) target = kinesisTarget(o.stream, { region: o.region, ...aws });
  else target = firehoseTarget(o.firehose!, { region: o.region, ...aws });

  const failedFile = new FailedFile(o.failedOut ?? `traffic-failed-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`);
  const stop = new AbortController();
  const cancel = new AbortController();
  let signalled: "SIGINT" | "SIGTERM" | undefined;
  let report: Report | undefined;
  let latest = { sent: 0, failed: 0 };
  const onSigint = () => {
    signalled ??= "SIGINT";
    if (!stop.signal.aborted) {
      process.stderr.write("\nStopping: finishing the batch in flight (Ctrl-C again to abandon it)…\n");
      stop.abort();
    } else if (!cancel.signal.aborted) {
      process.stderr.write("\nAbandoning the call in flight; its records count as failed…\n");
      cancel.abort();
    } else {
      // Something does not let go: leave now with what is known.
      process.stderr.write(
        `\nQuit at once: ${latest.sent} sent, ${latest.failed} failed so far (${failedFile.written} written to ${failedFile.path}); the rest is not accounted for.\n`,
      );
      failedFile.close();
      process.exit(130);
    }
  };
  const onSigterm = () => {
    signalled ??= "SIGTERM";
    stop.abort();
    cancel.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  const bar = new SingleBar({
    format: "  {bar} {value}/{total} sent | retried {retried} | failed {failed} | {elapsed}s",
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
    hideCursor: true,
  });
  try {
    if (target.capacity) {
      let verdict: ReturnType<typeof judgeRate> | undefined;
      try {
        // Ctrl-C or 10 s of silence ends the lookup; the run then goes on unchecked (or stops, reporting).
        const capacity = await target.capacity(AbortSignal.any([stop.signal, AbortSignal.timeout(10_000)]));
        verdict = judgeRate(peakRate(producers, { compression: o.compression, sequence: Boolean(o.sequence) }), capacity);
      } catch (e) {
        if (!stop.signal.aborted)
          process.stderr.write(
            `warning: could not read the stream's shard count (${e instanceof Error ? e.name : String(e)}): the rate is not checked against Kinesis' 1,000 records/s and 1 MiB/s per shard.\n`,
          );
      }
      if (verdict?.level === "refuse" && !o.allowThrottling) {
        process.stderr.write(`error: ${verdict.message}\n`);
        return 2;
      }
      if (verdict && verdict.level !== "ok") process.stderr.write(`warning: ${verdict.message}\n`);
    }

    process.stderr.write(
      `Sending ${records.count} records (${o.pattern}, ${producers.length} windows) to ${target.describe} over about ${(records.lastAtMs / 1000).toFixed(0)} s. Ctrl-C stops and reports.\n`,
    );
    bar.start(records.count, 0, { retried: 0, failed: 0, elapsed: 0 });
    report = await send(records, target, {
      maxAttempts: o.maxAttempts,
      signal: stop.signal,
      cancel: cancel.signal,
      onFailure: (f) => failedFile.write(f),
      onProgress: (p) => {
        latest = p;
        bar.update(p.sent, { retried: p.retried, failed: p.failed, elapsed: (p.elapsedMs / 1000).toFixed(0) });
      },
    });
    bar.stop();
    process.stdout.write(formatReport(report, target.describe) + "\n");
    if (failedFile.written > 0) process.stdout.write(`  the ${failedFile.written} failed record(s) are in ${failedFile.path}\n`);
    if (report.sinkError) {
      process.stdout.write(
        `  could not write ${report.failures.length} failed record(s) to ${failedFile.path} (${report.sinkError}); they follow on stderr\n`,
      );
      for (const f of report.failures)
        process.stderr.write(JSON.stringify({ producer: f.record.producer, data: f.record.data, code: f.code, message: f.message }) + "\n");
    }
    if (signalled === "SIGTERM") return 143;
    if (signalled === "SIGINT" && report.stopped) return 130;
    return report.failed > 0 || report.stopped ? 1 : 0;
  } finally {
    bar.stop();
    failedFile.close();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    target.close();
  }
}

if (require.main === module) runCli(main);
