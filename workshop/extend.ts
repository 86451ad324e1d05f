// `npm run workshop -- extend --until <time>`: give chosen teams more time, after their event's end
// or before it. Moving `endsAt` and running `up` reschedules the two end-of-event schedules
// (components/eventEnd.ts), but it does not undo what they already did: the Pulumi AWS provider
// starts or stops a Flink application only when `startApplication` itself changes
// (hashicorp/terraform-provider-aws issue 45687), and nothing re-enables a disabled Cognito user.
// So, per team: the new endsAt and `up` first (the schedules move into the future, so they cannot
// fire again right after), then the KDG user enabled (AdminEnableUser), then a stopped application
// started from its latest snapshot (StartApplication, RESTORE_FROM_LATEST_SNAPSHOT: the forest
// keeps what it learnt). `--until` is checked for every team before anything changes.

import { AdminEnableUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DescribeApplicationCommand, KinesisAnalyticsV2Client, StartApplicationCommand } from "@aws-sdk/client-kinesis-analytics-v2";
import { backOff } from "exponential-backoff";
import pLimit from "p-limit";
import { START_RUN_CONFIGURATION } from "../components/restorePolicy";
import { ConfigError, SCHEMA, validateConfig, type ConfigKey } from "../infra/config";
import { expiresAtProblem } from "../policy/rules/expiresAt";
import { retryOptions } from "./orchestrator";
import type { StateStore } from "./state";
import type { ConfigValue, OutputValue, Workspace } from "./workspace";

/** `--until` (or a team's stack) refused: every problem, one line each. Nothing was changed. */
export class ExtendError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`extend refused; nothing was changed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ExtendError";
  }
}

/** The AWS clients extend needs for one team, in its account and region. */
export interface ExtendClients {
  readonly flink: KinesisAnalyticsV2Client;
  readonly cognito: CognitoIdentityProviderClient;
  close(): void;
}

/** Clients in the team's region and (roster) profile; `endpoint` points both at a local stand-in. */
export function extendClients(region: string, profile?: string, endpoint?: { flink?: string; cognito?: string }): ExtendClients {
  const base = { region, ...(profile ? { profile } : {}) };
  // A local endpoint takes any credentials; the SDK still insists on having some.
  const local = { credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const flink = new KinesisAnalyticsV2Client({ ...base, ...(endpoint?.flink ? { endpoint: endpoint.flink, ...local } : {}) });
  const cognito = new CognitoIdentityProviderClient({ ...base, ...(endpoint?.cognito ? { endpoint: endpoint.cognito, ...local } : {}) });
  return { flink, cognito, close: () => [flink, cognito].forEach((c) => c.destroy()) };
}

export interface ExtendOptions {
  /** The new end, as typed: ISO 8601 with a time zone. */
  readonly until: string;
  /** Pulumi project name, the prefix of every config key (Pulumi.yaml `name`). */
  readonly project: string;
  readonly concurrency: number;
  readonly now?: Date;
  /** Attempts for transient failures (lock conflicts, throttling), the first included. */
  readonly attempts?: number;
  readonly startingDelayMs?: number;
  /**
   * How long to wait for a busy application, in ms: a STOPPING one to reach READY before starting
   * it, and the `up` refused while it is busy (ResourceInUseException; retryOptions' busyWaitMs).
   * Default 10 minutes for the first, BUSY_WAIT_MS (15 minutes) for the second; the CLI passes
   * --busy-wait for both.
   */
  readonly readyTimeoutMs?: number;
  /** DescribeApplication every this often while waiting. Default 15 s. */
  readonly pollMs?: number;
  readonly clients: (region: string, profile?: string) => ExtendClients;
  /** A line of one team's progress or log. */
  readonly log?: (team: string, line: string) => void;
}

/** What extend did for one team. */
export interface ExtendResult {
  readonly team: string;
  readonly outcome: "extended" | "failed";
  /** endsAt before and after. */
  readonly from: string;
  readonly to?: string;
  /** "re-enabled" (it was disabled), "already enabled". */
  readonly kdgUser?: string;
  /** "started from the latest snapshot", "already RUNNING", … */
  readonly application?: string;
  /** Which step failed, and why; the steps before it were done. */
  readonly error?: string;
}

interface Checked {
  readonly team: string;
  readonly stack: string;
  readonly profile?: string;
  readonly config: Record<string, ConfigValue>;
  readonly from: string;
}

const key = (project: string, k: ConfigKey) => `${project}:${k}`;

/** The pack's words say expires-at; the instructor typed --until. */
const asUntil = (problem: string) => problem.replace(/^expires-at /, "--until ");

/**
 * Checks `--until` for each chosen team, reading (not changing) its stack's configuration: the
 * config's own endsAt rules (infra/config.ts: ISO 8601 with a zone, in the future), the policy
 * pack's expires-at rule (a real calendar instant, at most maxEventDays ahead: what `up` would
 * enforce), and no earlier than the team's current end. Teams must be up.
 * @throws ExtendError with every problem, deduplicated (one bad --until is one line, not one per team).
 */
export async function checkExtension(
  teams: readonly string[],
  ws: Workspace,
  state: StateStore,
  o: Pick<ExtendOptions, "until" | "project" | "now">,
): Promise<Checked[]> {
  const now = o.now ?? new Date();
  const problems = new Set<string>();
  const untilProblem = expiresAtProblem(o.until, now);
  if (untilProblem) problems.add(`${asUntil(untilProblem)}.`);
  const checked: Checked[] = [];
  for (const team of teams) {
    const record = state.get(team);
    if (!record) {
      problems.add(`team ${team} is not in the state file (known: ${Object.keys(state.all()).join(", ") || "none"})`);
      continue;
    }
    if (record.status !== "up") {
      problems.add(`team ${team}'s stack is ${record.status}: extend brings back a stack that is up; run provision for it`);
      continue;
    }
    const config = await ws.config(record.stack, record.profile);
    const raw: Partial<Record<ConfigKey, string>> = {};
    for (const k of Object.keys(SCHEMA) as ConfigKey[]) raw[k] = config[key(o.project, k)]?.value;
    const from = raw.endsAt ?? "";
    try {
      validateConfig({ ...raw, endsAt: o.until }, now, record.stack);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) {
        // The pack's words already said what is wrong with --until; the config's would repeat it.
        if (p.key === "endsAt" && untilProblem) continue;
        if (p.key === "endsAt") problems.add(`--until ${p.problem}; fix: ${p.fix.replace(/^pulumi config set endsAt /, "--until ")}`);
        else problems.add(`team ${team}'s stack ${record.stack}: ${p.key} ${p.problem}; fix it first (${p.fix})`);
      }
      continue;
    }
    const current = Date.parse(from);
    // Equal is allowed: running extend again after a team failed half-way finishes its steps.
    if (!untilProblem && Number.isFinite(current) && Date.parse(o.until) < current) {
      problems.add(
        `--until ${o.until} is before team ${team}'s current end ${from}: extend only moves the end later (destroy ends an event early)`,
      );
      continue;
    }
    checked.push({ team, stack: record.stack, ...(record.profile ? { profile: record.profile } : {}), config, from });
  }
  if (problems.size > 0) throw new ExtendError([...problems]);
  return checked;
}

/** The user pool id, from the KDG URL the stack exports (`upid`, as the KDG page itself reads it). */
export function userPoolIdOf(kdgUrl: string): string {
  const id = new URL(kdgUrl).searchParams.get("upid");
  if (!id) throw new Error(`the stack's kdgUrl has no upid (user pool id): ${kdgUrl}`);
  return id;
}

const text = (outputs: Record<string, OutputValue>, k: string): string => {
  const v = outputs[k]?.value;
  if (typeof v !== "string" || v === "") throw new Error(`the stack has no output ${k}; run provision for this team`);
  return v;
};

/** Managed Flink's statuses that will pass through READY by themselves (ApplicationStatus, API reference). */
const STOPPING = new Set(["STOPPING", "FORCE_STOPPING"]);
/** Statuses in which the application is, or is becoming, RUNNING: nothing to do. */
const UNDER_WAY = new Set(["RUNNING", "STARTING", "UPDATING", "AUTOSCALING"]);

/** Kinesis Analytics errors worth another try: an operation on the application was in flight. */
const RETRY_FLINK = /ConcurrentModificationException|ResourceInUseException|LimitExceededException/;

async function applicationStatus(c: ExtendClients, name: string): Promise<string> {
  const d = await c.flink.send(new DescribeApplicationCommand({ ApplicationName: name }));
  return d.ApplicationDetail?.ApplicationStatus ?? "UNKNOWN";
}

/**
 * Starts the application if it is stopped (READY), from its latest snapshot; waits for one that is
 * stopping. Returns what it did. StartApplication refuses an application that is not READY
 * (ResourceInUseException): that, and concurrent modifications, are retried after a fresh look.
 */
async function restartApplication(c: ExtendClients, name: string, o: ExtendOptions): Promise<string> {
  const deadline = Date.now() + (o.readyTimeoutMs ?? 600_000);
  return backOff(
    async () => {
      let status = await applicationStatus(c, name);
      while (STOPPING.has(status)) {
        if (Date.now() > deadline)
          throw new Error(
            `application ${name} is still ${status} after ${Math.round((o.readyTimeoutMs ?? 600_000) / 1000)} s; run extend again once it is READY`,
          );
        await new Promise((r) => setTimeout(r, o.pollMs ?? 15_000));
        status = await applicationStatus(c, name);
      }
      if (UNDER_WAY.has(status)) return `already ${status}`;
      if (status !== "READY") throw new Error(`application ${name} is ${status}, not READY: it cannot be started now`);
      await c.flink.send(
        new StartApplicationCommand({
          ApplicationName: name,
          // The program's restore policy: a rollout while the application was stopped leaves a
          // snapshot of the old job, which the new job may not fully claim (components/restorePolicy.ts).
          RunConfiguration: START_RUN_CONFIGURATION,
        }),
      );
      return "started from the latest snapshot";
    },
    {
      numOfAttempts: o.attempts ?? 4,
      startingDelay: o.startingDelayMs ?? 2000,
      jitter: "full",
      retry: (e: unknown) => RETRY_FLINK.test(String((e as { name?: string }).name)),
    },
  );
}

async function enableUser(c: ExtendClients, userPoolId: string, username: string): Promise<string> {
  const user = await c.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  if (user.Enabled !== false) return "already enabled";
  await c.cognito.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }));
  return "re-enabled";
}

/**
 * Extends the chosen teams to `o.until`: validates every team first (ExtendError, nothing changed),
 * then, at most `o.concurrency` teams at once: endsAt in the stack's config and `up` (transient
 * failures retried), the KDG user enabled, a stopped application started from its latest
 * snapshot, and the new endsAt recorded in the state file (so `destroy --expired` waits for it).
 * A team whose `up` fails keeps its user disabled and its application stopped: its schedules
 * still say the old end. One team's failure does not stop the others.
 */
export async function extend(teams: readonly string[], ws: Workspace, state: StateStore, o: ExtendOptions): Promise<ExtendResult[]> {
  const checked = await checkExtension(teams, ws, state, o);
  await ws.installPlugins();
  const limit = pLimit(o.concurrency);
  return Promise.all(
    checked.map((t) =>
      limit(async (): Promise<ExtendResult> => {
        const log = (line: string) => o.log?.(t.team, line);
        let step = "up";
        const done: { kdgUser?: string; application?: string } = {};
        try {
          const outputs = await backOff(
            () =>
              ws.up(
                {
                  team: t.team,
                  stack: t.stack,
                  ...(t.profile ? { profile: t.profile } : {}),
                  config: { ...t.config, [key(o.project, "endsAt")]: { value: o.until } },
                },
                () => undefined,
                log,
              ),
            // Transient failures, and an application busy changing state (the stop schedule's
            // STOPPING answers an update with ResourceInUseException), are waited out.
            retryOptions(
              {
                concurrency: o.concurrency,
                ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
                ...(o.startingDelayMs !== undefined ? { startingDelayMs: o.startingDelayMs } : {}),
                ...(o.readyTimeoutMs !== undefined ? { busyWaitMs: o.readyTimeoutMs } : {}),
              },
              log,
            ),
          );
          const before = state.get(t.team)!;
          state.set(t.team, { ...before, endsAt: o.until, updatedAt: new Date().toISOString() });
          log(`endsAt ${t.from} -> ${o.until}: schedules moved`);
          const c = o.clients(text(outputs, "region"), t.profile);
          try {
            step = "KDG user";
            done.kdgUser = await enableUser(c, userPoolIdOf(text(outputs, "kdgUrl")), text(outputs, "kdgUsername"));
            log(`KDG user ${done.kdgUser}`);
            step = "Flink application";
            done.application = await restartApplication(c, text(outputs, "flinkApplicationName"), o);
            log(`Flink application ${done.application}`);
          } finally {
            c.close();
          }
          return { team: t.team, outcome: "extended", from: t.from, to: o.until, ...done };
        } catch (e) {
          const err = e as { name?: string; message?: string };
          const why = `${step}: ${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${(err.message ?? String(e)).split("\n")[0]}`;
          log(`FAILED at ${why}`);
          return { team: t.team, outcome: "failed", from: t.from, ...(step === "up" ? {} : { to: o.until }), ...done, error: why };
        }
      }),
    ),
  );
}

/** One line per team, then a count: what `npm run workshop -- extend` prints. */
export function formatExtension(results: readonly ExtendResult[]): string {
  const lines = results.map((r) =>
    r.outcome === "extended"
      ? `${r.team}: endsAt ${r.from} -> ${r.to}; KDG user ${r.kdgUser}; Flink application ${r.application}`
      : `${r.team}: FAILED at ${r.error}${r.to ? ` (endsAt already moved to ${r.to}${r.kdgUser ? `, KDG user ${r.kdgUser}` : ""}; run extend again for this team)` : " (its update failed: KDG user and application left as they were)"}`,
  );
  const failed = results.filter((r) => r.outcome === "failed").length;
  return [...lines, `extend: ${results.length} team(s): ${results.length - failed} extended, ${failed} failed`].join("\n") + "\n";
}
