// `workshop smoke` as a library: before the event, play the lab's traffic (steady history, then the
// burst, time-compressed) into every team's ingest stream and wait for the team's alert evidence, a
// new CSV in its processed bucket (workshop/alerts.ts). A team passes when one appears before its
// timeout: the whole path works, from PutRecords to the alert function.

import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { lazySchedule, profile } from "../traffic/profiles";
import { send } from "../traffic/sender";
import type { OutRecord, RecordFailure, Target } from "../traffic/targets";
import { alertObjects } from "./alerts";
import { type AwsAccess, awsError, forEachTeam, type TeamClients, type TeamTarget, type UnreachableTeam } from "./teamAws";

export interface SmokeOptions {
  /** Play the lab this many times faster (the deployed job's windows keep their length: more records per window). */
  readonly compression: number;
  /** Lab seconds of steady traffic before the burst: the forest's history. */
  readonly steadySeconds: number;
  /** Per team, from its first record to giving up on the evidence. */
  readonly timeoutMs: number;
  /** Between two listings of the processed bucket. */
  readonly pollMs: number;
  readonly concurrency: number;
}

export const SMOKE_DEFAULTS: SmokeOptions = { compression: 5, steadySeconds: 600, timeoutMs: 10 * 60_000, pollMs: 5000, concurrency: 8 };

export type SmokeVerdict = "alerted" | "no alert" | "error";

export interface SmokeResult {
  readonly team: string;
  readonly verdict: SmokeVerdict;
  /** Seconds from the first record sent to the evidence (or to giving up). */
  readonly seconds: number;
  readonly sent: number;
  /** The CSV that proves the alert. */
  readonly evidence?: string;
  readonly detail?: string;
}

/** PutRecords into the team's stream with the team's own client (its profile and region). */
function streamTarget(c: TeamClients, streamName: string): Target {
  return {
    describe: `Kinesis data stream ${streamName}`,
    maxRecords: 500,
    maxBytes: 5 * 1024 * 1024,
    async put(records: readonly OutRecord[]): Promise<RecordFailure[]> {
      const out = await c.kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: records.map((r) => ({ Data: Buffer.from(`${r.data}\n`), PartitionKey: r.producer })),
        }),
      );
      const failures: RecordFailure[] = [];
      (out.Records ?? []).forEach((r, index) => r.ErrorCode && failures.push({ index, code: r.ErrorCode, message: r.ErrorMessage ?? "" }));
      return failures;
    },
    close: () => undefined,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One team's smoke run (see SmokeResult); never throws: an AWS error is the verdict "error". */
export async function smokeTeam(
  t: TeamTarget,
  c: TeamClients,
  o: SmokeOptions,
  onEvent: (team: string, line: string) => void = () => undefined,
): Promise<SmokeResult> {
  const t0 = Date.now();
  // S3's LastModified has whole seconds: an object written in the first second must count.
  const since = new Date(Math.floor(t0 / 1000) * 1000);
  const seconds = () => (Date.now() - t0) / 1000;
  // Lazy: a long --steady-seconds must not build the whole run in memory (issue #26).
  const records = lazySchedule(profile("lab", { steadySeconds: o.steadySeconds, afterBurstSeconds: 60 }), { compression: o.compression });
  const deadline = t0 + o.timeoutMs;
  const abort = new AbortController();
  let sendError: string | undefined;
  let sent = 0;
  const traffic = send(records, streamTarget(c, t.ingestStreamName), { signal: abort.signal, onProgress: (p) => (sent = p.sent) }).then(
    (r) => {
      sent = r.sent;
      if (r.failed) sendError = `${r.failed} record(s) refused: ${r.failures[0]?.code ?? ""}`;
    },
    (e: unknown) => void (sendError = awsError(e)),
  );
  onEvent(t.team, `sending ${records.count} records over ${(records.lastAtMs / 1000).toFixed(0)} s to ${t.ingestStreamName}`);
  try {
    for (;;) {
      let found: string | undefined;
      try {
        found = (await alertObjects(c.s3, t.processedBucket, since))[0]?.key;
      } catch (e) {
        return { team: t.team, verdict: "error", seconds: seconds(), sent, detail: `reading s3://${t.processedBucket}: ${awsError(e)}` };
      }
      if (found) return { team: t.team, verdict: "alerted", seconds: seconds(), sent, evidence: `s3://${t.processedBucket}/${found}` };
      if (sendError && sent === 0) return { team: t.team, verdict: "error", seconds: seconds(), sent, detail: `sending: ${sendError}` };
      if (Date.now() >= deadline)
        return {
          team: t.team,
          verdict: "no alert",
          seconds: seconds(),
          sent,
          detail: `no new CSV under weblogs/processed/ in ${(o.timeoutMs / 1000).toFixed(0)} s${sendError ? `; sending: ${sendError}` : ""}`,
        };
      await sleep(Math.min(o.pollMs, Math.max(0, deadline - Date.now())));
    }
  } finally {
    // The alert is in, or the team failed: either way, stop sending and let the sender report.
    abort.abort();
    await traffic;
  }
}

/** Every team's smoke run, at most `concurrency` at once; unreachable teams are errors with their reason. */
export function smoke(
  targets: readonly (TeamTarget | UnreachableTeam)[],
  access: AwsAccess,
  o: SmokeOptions,
  onEvent?: (team: string, line: string) => void,
): Promise<SmokeResult[]> {
  return forEachTeam(
    targets,
    access,
    o.concurrency,
    (t, c) => smokeTeam(t, c, o, onEvent),
    (u) => ({ team: u.team, verdict: "error", seconds: 0, sent: 0, detail: u.error }),
  );
}
