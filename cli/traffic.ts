// `npm run traffic -- …`: the lab's KDG browser windows as one command. Builds a schedule from a
// profile (traffic/profiles.ts), then plays it into a Kinesis data stream or a Firehose
// delivery stream (traffic/sender.ts), with a progress line and a final report.

import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { LAB_REGION } from "../infra/config";
import { PROFILE_NAMES, profile, schedule, withSequence, type ProfileName } from "../traffic/profiles";
import { send, type Report } from "../traffic/sender";
import { firehoseTarget, kinesisTarget, type Target } from "../traffic/targets";
import { numberOption } from "./options";
import { runCli } from "./run";

export interface TrafficOptions {
  stack?: string;
  stream?: string;
  firehose?: string;
  profile: ProfileName;
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
}

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
    .addOption(new Option("-p, --profile <name>", "what to send").choices(PROFILE_NAMES).default("lab"))
    .option("--rate <n>", "records per second of each window (lab: 1)", numberOption("--rate", { above: true }))
    .option("--steady-seconds <s>", "seconds of steady traffic before the burst, or in all for steady and discovery (default 600)", numberOption("--steady-seconds"))
    .option("--burst-producers <n>", "extra click windows in the burst (default 3)", numberOption("--burst-producers", { integer: true }))
    .option("--burst-seconds <s>", "seconds the burst windows send (default 20)", numberOption("--burst-seconds"))
    .option("--after-burst-seconds <s>", "seconds the steady windows go on after the burst starts (default 60)", numberOption("--after-burst-seconds"))
    .option("-c, --compression <x>", "play this many times faster than real time (counts stay, gaps shrink)", numberOption("--compression", { above: true }), 1)
    .option("--seed <n>", "seed of the send-time jitter; the same seed repeats a run", numberOption("--seed", { integer: true }), 2020)
    .option("--jitter-ms <ms>", "each send moves by up to this much, as a browser timer does", numberOption("--jitter-ms"), 150)
    .option("--region <region>", "AWS region", LAB_REGION)
    .option("--endpoint <url>", "a local endpoint that speaks the Kinesis or Firehose protocol (e.g. http://127.0.0.1:5000)")
    .option("--max-attempts <n>", "attempts per record before it counts as failed", numberOption("--max-attempts", { min: 1, integer: true }), 8)
    .option("--sequence", "add producer and seq fields to each record, to check order and exactly-once downstream")
    .option("--dry-run", "print the schedule (ms, producer, record) instead of sending")
    .option("--failed-out <file>", "where to write records that still failed after the last attempt (default traffic-failed-<time>.jsonl)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  npm run traffic -- --stack dev                      # the lab's script, in real time (about 11 minutes)\n" +
        "  npm run traffic -- --stream immersion-day-t1-clicks --profile steady --steady-seconds 120\n" +
        "  npm run traffic -- --stack dev --compression 10 --rate 5   # a rehearsal: 10x faster, 5x the rate\n" +
        "\nCredentials come from the usual AWS chain (AWS_PROFILE, environment, SSO). The KDG web page (the\n" +
        "stack's kdgUrl output) still works for those who want the lab's browser windows.",
    )
    .showHelpAfterError();
}

/** Reads the ingest stream from a deployed stack's outputs. */
export async function streamOfStack(stack: string): Promise<{ stream: string; region?: string }> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8" }));
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === "ENOENT") throw new Error("--stack needs the Pulumi CLI on PATH (https://www.pulumi.com/docs/install/); or name the stream with --stream.", { cause: e });
    throw new Error(`pulumi stack output --stack ${stack} failed: ${(err.stderr ?? String(e)).trim()}`, { cause: e });
  }
  const outputs = JSON.parse(stdout) as { ingestStreamName?: unknown; region?: unknown };
  if (typeof outputs.ingestStreamName !== "string") throw new Error(`stack ${stack} has no ingestStreamName output; is it deployed (pulumi up)?`);
  return { stream: outputs.ingestStreamName, ...(typeof outputs.region === "string" ? { region: outputs.region } : {}) };
}

export function formatReport(r: Report, target: string): string {
  const byCode = new Map<string, number>();
  for (const f of r.failures) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  return [
    `${r.stopped ? "Stopped" : "Done"}: ${target}`,
    `  sent      ${r.sent} of ${r.scheduled}`,
    `  retried   ${r.retried} record send(s) after a refusal`,
    `  failed    ${r.failed}${byCode.size ? ` (${[...byCode].map(([c, n]) => `${c}: ${n}`).join(", ")})` : ""}`,
    ...(r.unsent ? [`  unsent    ${r.unsent} (stopped before their time)`] : []),
    `  rate      ${r.ratePerSecond.toFixed(1)} records/s over ${(r.elapsedMs / 1000).toFixed(1)} s`,
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const program = command().parse(argv);
  const o = program.opts<TrafficOptions>();
  const targets = [o.stack, o.stream, o.firehose].filter((t) => t !== undefined);
  if (!o.dryRun && targets.length !== 1) program.error("error: name exactly one of --stack, --stream or --firehose (or use --dry-run).");

  const producers = profile(o.profile, {
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.steadySeconds !== undefined ? { steadySeconds: o.steadySeconds } : {}),
    ...(o.burstProducers !== undefined ? { burstProducers: o.burstProducers } : {}),
    ...(o.burstSeconds !== undefined ? { burstSeconds: o.burstSeconds } : {}),
    ...(o.afterBurstSeconds !== undefined ? { afterBurstSeconds: o.afterBurstSeconds } : {}),
  });
  let records = schedule(producers, { seed: o.seed, jitterMs: o.jitterMs, compression: o.compression });
  if (o.sequence) records = withSequence(records);
  if (o.dryRun) {
    for (const r of records) process.stdout.write(`${r.atMs.toFixed(0)}\t${r.producer}\t${r.data}\n`);
    return 0;
  }

  let target: Target;
  if (o.stack !== undefined) {
    const s = await streamOfStack(o.stack);
    target = kinesisTarget(s.stream, { region: s.region ?? o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}) });
  } else if (o.stream !== undefined) target = kinesisTarget(o.stream, { region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}) });
  else target = firehoseTarget(o.firehose!, { region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}) });

  const last = records.at(-1)?.atMs ?? 0;
  process.stderr.write(`Sending ${records.length} records (${o.profile}, ${producers.length} windows) to ${target.describe} over about ${(last / 1000).toFixed(0)} s. Ctrl-C stops and reports.\n`);
  const bar = new SingleBar({
    format: "  {bar} {value}/{total} sent | retried {retried} | failed {failed} | {elapsed}s",
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
    hideCursor: true,
  });
  bar.start(records.length, 0, { retried: 0, failed: 0, elapsed: 0 });

  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write("\nStopping: delivering what is already batched (Ctrl-C again to quit at once)…\n");
    stop.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    const report = await send(records, target, {
      maxAttempts: o.maxAttempts,
      signal: stop.signal,
      onProgress: (p) => bar.update(p.sent, { retried: p.retried, failed: p.failed, elapsed: (p.elapsedMs / 1000).toFixed(0) }),
    });
    bar.stop();
    process.stdout.write(formatReport(report, target.describe) + "\n");
    if (report.failures.length > 0) {
      const file = o.failedOut ?? `traffic-failed-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`;
      writeFileSync(file, report.failures.map((f) => JSON.stringify({ producer: f.record.producer, data: f.record.data, code: f.code, message: f.message })).join("\n") + "\n");
      process.stdout.write(`  the ${report.failures.length} failed record(s) are in ${file}\n`);
    }
    return report.stopped ? 130 : report.failures.length > 0 ? 1 : 0;
  } finally {
    bar.stop();
    process.off("SIGINT", onSigint);
    target.close();
  }
}

if (require.main === module) runCli(main);
