// What every `npm run workshop` subcommand shares: the top-level options (profile stack, state file,
// logs), the event profile read from the profile stack's file, the workspace, and the progress view.

import { join } from "node:path";
import { MultiBar, Presets } from "cli-progress";
import { Option, type Command } from "commander";
import { SCHEMA, type ConfigKey } from "../../infra/config";
import { stackConfig } from "../../infra/stackFiles";
import { WORK_DIR } from "../../paths";
import { AWS_SECONDS, concurrencyWarning, defaultConcurrency, TEAM_COST, thisMachine } from "../../workshop/capacity";
import { numberOption } from "../options";
import { BUSY_WAIT_MS, type TeamProgress, type TeamResult } from "../../workshop/orchestrator";
import { PulumiWorkspace } from "../../workshop/pulumiWorkspace";
import type { AccountProbe } from "../../workshop/accountProbe";
import type { QuotaSource } from "../../workshop/quotas";
import type { AwsAccess } from "../../workshop/teamAws";
import type { TaggedResources, Workspace } from "../../workshop/workspace";

/** The options `npm run workshop --` takes before the subcommand (see cli/workshop.ts). */
export interface Common {
  profileStack: string;
  state: string;
  logs: string;
  policyPack: string;
  policyPackConfig?: string;
  /** The Pulumi project folder (Pulumi.yaml, the profile stack's file, team stack files). */
  project: string;
  /** An AWS endpoint for every team's clients (moto on 127.0.0.1 in tests). */
  endpoint?: string;
}

export const DEFAULT_STATE = join(WORK_DIR, "state.json");
export const DEFAULT_LOGS = join(WORK_DIR, "logs");

/** The top-level options as seen from a subcommand's action. */
export const common = (cmd: Command): Common => cmd.optsWithGlobals<Common>();

/** The event profile (Pulumi.<stack>.yaml) as plain keys, and the encrypted ones it cannot pass on. */
export function eventProfile(c: Pick<Common, "profileStack" | "project">): {
  base: Partial<Record<ConfigKey, string>>;
  project: string;
  encrypted: string[];
} {
  const { project, config, encrypted } = stackConfig(c.profileStack, c.project);
  const base: Partial<Record<ConfigKey, string>> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(`${project}:`)) base[k.slice(project.length + 1) as ConfigKey] = v;
  return { base, project, encrypted };
}

/**
 * A key of the event profile as every team stack will read it: the profile's value, or the
 * project's default (infra/config.ts SCHEMA, which Pulumi.yaml mirrors) when the profile leaves it out.
 */
export function profileValue(base: Partial<Record<ConfigKey, string>>, key: "event" | "region"): string {
  return base[key] ?? String(SCHEMA[key].default);
}

/** The Automation API workspace (needs PULUMI_CONFIG_PASSPHRASE or a logged-in backend). */
export function workspace(c: Common): Workspace {
  return new PulumiWorkspace({
    policyPack: c.policyPack,
    workDir: c.project,
    ...(c.policyPackConfig ? { policyPackConfig: c.policyPackConfig } : {}),
  });
}

/**
 * What the team checks (status, smoke, cost, roster) reach outside themselves, so that a test can
 * run them in-process against the fake workspace and moto: the workspace (built on first use: the
 * Automation API's needs a passphrase, which a report on failed teams does not), the clock and
 * the output streams.
 */
export interface Deps {
  workspace(c: Common): Workspace;
  now(): Date;
  out(text: string): void;
  err(text: string): void;
  /** The command's exit code when it is not 0 (process.exitCode by default). */
  fail(code: number): void;
  /** Finds what a destroyed team left tagged (the Resource Groups Tagging API when absent). */
  tagging?: TaggedResources;
  /** What preflight reads accounts with; by default AWS (on --endpoint when given) and Service Quotas. */
  preflight?(c: Common): { probe: AccountProbe; quotas: QuotaSource };
}

export const defaultDeps: Deps = {
  workspace,
  now: () => new Date(),
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  fail: (code) => void (process.exitCode = code),
};

/** Where the team checks' AWS clients go. */
export const accessOf = (c: Common): AwsAccess => (c.endpoint ? { endpoint: c.endpoint } : {});

/** One line per team and one for the time left, redrawn in place on a terminal; plain lines every few seconds elsewhere. */
export function progressView(teams: readonly string[]): {
  update: (p: TeamProgress) => void;
  note: (text: string) => void;
  stop: () => void;
} {
  const width = Math.max(...teams.map((t) => t.length), "time left".length);
  const multi = new MultiBar(
    {
      format: `{team} {state} {bar} {value}/{total} resources  {elapsed}s {message}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const bars = new Map(
    teams.map((t) => [t, multi.create(0, 0, { team: t.padEnd(width), state: "queued".padEnd(10), elapsed: "0", message: "" })]),
  );
  // A last line under the teams, on the first note: the time left (workshop/capacity.ts etaTracker).
  let footer: ReturnType<typeof multi.create> | undefined;
  return {
    note: (text) => {
      footer ??= multi.create(0, 0, { team: "time left".padEnd(width), state: "".padEnd(10), elapsed: "-", message: "" });
      footer.update(0, { message: text });
    },
    update: (p) => {
      const bar = bars.get(p.team);
      bar?.setTotal(Math.max(p.total, 1));
      bar?.update(p.done, {
        state: p.state.padEnd(10),
        elapsed: (p.elapsedMs / 1000).toFixed(0),
        message: p.message ?? (p.attempt > 1 ? `attempt ${p.attempt}` : ""),
      });
    },
    stop: () => multi.stop(),
  };
}

/** `--attempts`, as every command that updates stacks takes it (provision, update, extend). */
export const attemptsOption = () =>
  new Option("--attempts <n>", "attempts per team for transient failures (lock conflicts, throttling)")
    .argParser(numberOption("--attempts", { min: 1, integer: true }))
    .default(4);

/**
 * `--busy-wait <s>` of every command that runs a team's stack (provision, update, destroy, extend):
 * how long, in seconds from the first busy answer, a team keeps trying while its Flink application
 * is changing state (ResourceInUseException: workshop/orchestrator.ts retryOptions). Default
 * BUSY_WAIT_MS (900 s). The command passes it on as `busyWaitMs` (extend: `readyTimeoutMs`).
 */
export const busyWaitOption = () =>
  new Option(
    "--busy-wait <s>",
    "seconds a team keeps trying while its Flink application is busy (STARTING, STOPPING, UPDATING: AWS answers ResourceInUseException); then that team fails (update: the rollout stops there)",
  )
    .argParser(numberOption("--busy-wait"))
    .default(BUSY_WAIT_MS / 1000);

/** The closing lines of provision/destroy: counts per outcome, then each failure and leftover. */
export function summary(results: readonly TeamResult[], verb: string): string {
  const by = (s: string) => results.filter((r) => r.state === s);
  const lines = [
    `${verb}: ${results.length} team(s): ${["up", "skipped", "refused", "destroyed", "failed"].map((s) => `${by(s).length} ${s}`).join(", ")}`,
  ];
  for (const r of by("refused")) lines.push(`  REFUSED ${r.team}: ${r.error ?? ""}`);
  for (const r of by("failed")) lines.push(`  FAILED ${r.team} after ${r.attempts} attempt(s): ${(r.error ?? "").split("\n")[0]}`);
  for (const r of results) for (const arn of r.leftovers ?? []) lines.push(`  LEFTOVER ${r.team}: ${arn}`);
  return lines.join("\n");
}

/**
 * The teams in flight for a command that runs the engine per team: the instructor's number (with a
 * warning when free memory will not hold it), or the default from this machine, the measured cost
 * per team and AWS's time for a create or an update (workshop/capacity.ts), with the reason for it.
 */
export function chooseConcurrency(
  requested: number | undefined,
  say: (line: string) => void,
  kind: "create" | "update" = "create",
): number {
  if (requested !== undefined) {
    const warning = concurrencyWarning(requested);
    if (warning) say(`Warning: ${warning}`);
    return requested;
  }
  const choice = defaultConcurrency(thisMachine(), TEAM_COST, AWS_SECONDS[kind].typical);
  say(`Concurrency ${choice.concurrency}: ${choice.reason} (--concurrency chooses another).`);
  return choice.concurrency;
}

/** `--concurrency` for a command that runs the engine per team; without it, chooseConcurrency decides. */
export const concurrencyOption = (what: string): Option =>
  new Option(
    "-c, --concurrency <n>",
    `${what} (default: what this machine's free memory and cores hold, from the measured cost per team; printed)`,
  ).argParser(numberOption("--concurrency", { min: 1, integer: true }));
