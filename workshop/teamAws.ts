// What the instructor checks (status, smoke, cost) need to reach one team's resources: the names
// from its stack outputs (infra/teamStack.ts) and AWS clients in its account (its AWS profile) and
// region, or on a local endpoint such as moto for the tests.

import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import pLimit from "p-limit";
import { teamNames } from "../infra/naming";
import { kinesisClientConfig } from "../traffic/targets";
import type { StateStore, TeamRecord } from "./state";
import type { OutputValue, Workspace } from "./workspace";

/** One team as the checks see it: its state-file record and the names its stack exported. */
export interface TeamTarget {
  readonly team: string;
  readonly record: TeamRecord;
  readonly region: string;
  readonly ingestStreamName: string;
  readonly anomaliesStreamName: string;
  readonly rawBucket: string;
  readonly processedBucket: string;
  readonly topicArn: string;
  readonly flinkApplicationName: string;
  /** The three log groups (Firehose, Flink, Lambda), from infra/naming.ts: the stack does not export them. */
  readonly logGroups: readonly string[];
}

/** The stack outputs every check reads; a stack without them was not brought up by this program. */
const REQUIRED = [
  "region",
  "ingestStreamName",
  "anomaliesStreamName",
  "rawBucket",
  "processedBucket",
  "topicArn",
  "flinkApplicationName",
] as const;

/**
 * A team's target from its outputs. Throws, naming the stack and the missing outputs, when the stack
 * lacks one (a stack that failed half-way, or one made by another program).
 */
export function targetOf(team: string, record: TeamRecord, event: string, outputs: Record<string, OutputValue>): TeamTarget {
  const text = (k: string) => (typeof outputs[k]?.value === "string" ? outputs[k].value : undefined);
  const missing = REQUIRED.filter((k) => !text(k));
  if (missing.length) throw new Error(`stack ${record.stack} has no output ${missing.join(", ")}: run provision again for team ${team}`);
  const n = teamNames(event, team);
  return {
    team,
    record,
    region: text("region")!,
    ingestStreamName: text("ingestStreamName")!,
    anomaliesStreamName: text("anomaliesStreamName")!,
    rawBucket: text("rawBucket")!,
    processedBucket: text("processedBucket")!,
    topicArn: text("topicArn")!,
    flinkApplicationName: text("flinkApplicationName")!,
    logGroups: [n.firehoseLogGroup, n.analyticsLogGroup, n.alertLogGroup],
  };
}

/** A team whose outputs could not be read: the checks still list it, with the reason. */
export interface UnreachableTeam {
  readonly team: string;
  readonly record: TeamRecord;
  readonly error: string;
}

/**
 * The chosen teams (all, when `teams` is empty) of the state file that are up, with their
 * outputs read at most `concurrency` at a time. Teams not up are returned as unreachable with
 * their state, so that a report still shows them. `workspace` is called only if a team is up.
 * Throws on a team name the state does not know.
 */
export async function teamTargets(
  state: StateStore,
  workspace: () => Workspace,
  event: string,
  { teams = [], concurrency = 8 }: { teams?: readonly string[]; concurrency?: number } = {},
): Promise<(TeamTarget | UnreachableTeam)[]> {
  const known = state.all();
  const unknown = teams.filter((t) => !known[t]);
  if (unknown.length) throw new Error(`not in the state file: ${unknown.join(", ")} (known: ${Object.keys(known).join(", ") || "none"})`);
  const limit = pLimit(concurrency);
  const chosen = Object.entries(known).filter(([t]) => teams.length === 0 || teams.includes(t));
  const ws = chosen.some(([, r]) => r.status === "up") ? workspace() : undefined;
  return Promise.all(
    chosen.map(([team, record]) =>
      limit(async (): Promise<TeamTarget | UnreachableTeam> => {
        if (record.status !== "up") return { team, record, error: `stack is ${record.status}` };
        try {
          return targetOf(team, record, event, await ws!.outputs(record.stack, record.profile));
        } catch (e) {
          return { team, record, error: e instanceof Error ? e.message.split("\n")[0]! : String(e) };
        }
      }),
    ),
  );
}

export const isReachable = (t: TeamTarget | UnreachableTeam): t is TeamTarget => !("error" in t);

/** Where the clients go: the team's region and profile, or a local endpoint (moto) in tests. */
export interface AwsAccess {
  readonly endpoint?: string;
}

export interface TeamClients {
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly flink: KinesisAnalyticsV2Client;
  readonly logs: CloudWatchLogsClient;
  close(): void;
}

/** AWS clients in the team's account (its roster profile) and region; the SDK's own retries apply. */
export function teamClients(t: Pick<TeamTarget, "region" | "record">, access: AwsAccess = {}): TeamClients {
  // kinesisClientConfig: the region, the endpoint and dummy credentials for a local endpoint, and
  // HTTP/1.1, which every one of these services speaks.
  const base = {
    ...kinesisClientConfig({ region: t.region, ...(access.endpoint ? { endpoint: access.endpoint } : {}) }),
    ...(t.record.profile ? { profile: t.record.profile } : {}),
  };
  const clients = {
    kinesis: new KinesisClient(base),
    // A local endpoint serves buckets by path, not as a subdomain.
    s3: new S3Client({ ...base, ...(access.endpoint ? { forcePathStyle: true } : {}) }),
    sns: new SNSClient(base),
    flink: new KinesisAnalyticsV2Client(base),
    logs: new CloudWatchLogsClient(base),
  };
  return { ...clients, close: () => Object.values(clients).forEach((c) => c.destroy()) };
}

/** Runs `check` on each reachable team with its clients, at most `concurrency` at once; clients are closed after. */
export async function forEachTeam<R>(
  targets: readonly (TeamTarget | UnreachableTeam)[],
  access: AwsAccess,
  concurrency: number,
  check: (t: TeamTarget, c: TeamClients) => Promise<R>,
  unreachable: (t: UnreachableTeam) => R,
): Promise<R[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    targets.map((t) =>
      limit(async () => {
        if (!isReachable(t)) return unreachable(t);
        const c = teamClients(t, access);
        try {
          return await check(t, c);
        } finally {
          c.close();
        }
      }),
    ),
  );
}

/** The message of an AWS error, one line, with the SDK's error name (e.g. ResourceNotFoundException). */
export function awsError(e: unknown): string {
  const err = e as { name?: string; message?: string };
  const text = (err.message ?? String(e)).split("\n")[0]!;
  return err.name && err.name !== "Error" && !text.includes(err.name) ? `${err.name}: ${text}` : text;
}
