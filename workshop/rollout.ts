// `npm run workshop -- update` as a library: roll a change (a new JAR or SQL, a threshold in the
// event profile, a Lambda fix, a pack limit) out to every team that is up, mid-event, without
// breaking them all at once (issue 22 item 1). In order:
//   1. every team's config is the stored one with the event profile's shared keys laid over it
//      (team, e-mail, phone, password and the team's own endsAt stay the team's); a config the
//      program would refuse stops everything before any preview; a team past its endsAt is set
//      aside (its application stays stopped; `extend` restarts it);
//   2. every team is previewed with the policy pack without storing that config (a dry run, or a
//      team the rollout never reaches, keeps its stack as it was); one mandatory violation, or a
//      preview that fails, refuses the whole rollout;
//   3. one canary team is updated and checked (the caller's check: application RUNNING, the job
//      scoring windows again), then the rest at most `concurrency` at once; the first failure
//      stops it: teams not started stay untouched.
// Running it again resumes: a team already updated previews as "no change" and is left alone. A
// canary that failed its check stays on the version that failed (it was updated) and the state
// file says so (TeamRecord.canaryFailed): the next run checks that same team first, updated again
// if the version changed since (a fix, or the previous version checked out), so a bad change never
// reaches a second team by way of a new canary.
// A team whose Flink application is stopped (READY) while its event runs was stopped on purpose
// (`cost --stop-over-cap`, or by hand): with `applicationStatus` the rollout sets it aside, unless
// `includeStopped` (then it is updated, never the canary, and stays stopped: an update does not
// start an application, terraform-provider-aws issue 45687).

import { backOff, type BackoffOptions } from "exponential-backoff";
import pLimit from "p-limit";
import { ConfigError, SCHEMA, validateConfig, type ConfigKey, type KeySpec } from "../infra/config";
import { BUSY_WAIT_MS, busyLine, configHash, retryOptions } from "./orchestrator";
import { changeKindOf, describeChanges, groupPreviews, type ChangeGroup, type TeamPreview } from "./rolloutPlan";
import type { StateStore, TeamRecord } from "./state";
import type { ConfigValue, OutputValue, ResourceChange, StackSpec, Workspace } from "./workspace";

/** Keys each team keeps as its own: the roster row's, the generated password, and the end `extend` may have moved. */
export const TEAM_KEYS: readonly ConfigKey[] = ["team", "notificationEmail", "notificationPhone", "kdgPassword", "endsAt"];
/** Keys that name every resource: a rollout cannot change them (it would replace the whole stack). */
const FIXED_KEYS: readonly ConfigKey[] = ["event", "region"];

/** The rollout refused before anything changed: every problem, one line each. */
export class RolloutError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`update refused; nothing was changed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RolloutError";
  }
}

/** What the canary check found: `ok`, and what it saw or why it failed, one line. */
export interface CanaryVerdict {
  readonly ok: boolean;
  readonly detail: string;
}

/** Where a rollout is, for a progress line. */
export interface RolloutProgress {
  readonly phase: "previewing" | "canary" | "checking canary" | "updating";
  /** Teams finished in this phase (previewed, or updated), and of how many. */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly inFlight: readonly string[];
  /** Seconds left, estimated from the teams finished so far; absent until one is. */
  readonly etaSeconds?: number;
}

export interface RolloutOptions {
  /** Pulumi project name, the prefix of every config key (Pulumi.yaml `name`). */
  readonly project: string;
  /** The event profile's keys (Pulumi.<profile stack>.yaml), unprefixed. */
  readonly profile: Partial<Record<ConfigKey, string>>;
  /** Teams updated at once after the canary. */
  readonly concurrency: number;
  /**
   * The team updated and checked first; default: the team whose canary check failed last time
   * (TeamRecord.canaryFailed), else the first team (state-file order) with something to change.
   * Naming another team while that one is up is refused: the change it failed would spread.
   */
  readonly canary?: string;
  /**
   * Reads a team's Flink application status (ApplicationStatus: READY is stopped) from its stack
   * outputs, before any preview. Absent: not read, and no team is set aside for being stopped.
   * A throw keeps the team in, said in the plan (RolloutReport.statusUnknown): a team whose
   * application cannot be read (deleted by hand, throttled) is updated as before, and an update
   * does not start a stopped application (terraform-provider-aws issue 45687).
   */
  readonly applicationStatus?: (team: string, outputs: Record<string, OutputValue>) => Promise<string>;
  /** Update teams whose application is stopped too (they stay stopped, and are never the canary); default: set them aside. */
  readonly includeStopped?: boolean;
  /** Preview and report only. */
  readonly dryRun?: boolean;
  readonly now?: Date;
  /** Attempts per team for transient failures (lock conflicts, throttling), the first included. */
  readonly attempts?: number;
  readonly startingDelayMs?: number;
  /**
   * How long one team's preview or update keeps trying while a resource is busy changing state
   * (ResourceInUseException: a Flink application STARTING, STOPPING or UPDATING; API_UpdateApplication),
   * in ms from its first busy answer; then the team fails and the rollout stops. Default BUSY_WAIT_MS
   * (15 minutes: orchestrator.ts).
   */
  readonly busyWaitMs?: number;
  /** The longest pause between two tries, in ms (orchestrator.ts RunOptions.maxDelayMs). */
  readonly maxDelayMs?: number;
  /** Hears each wait for a busy resource: the team, and why it waits (the line naming the resource). */
  readonly onWait?: (team: string, why: string) => void;
  /** Checks the canary once it is updated, from its stack outputs. Never throws: a failure is `ok: false`. */
  readonly check: (team: string, outputs: Record<string, OutputValue>) => Promise<CanaryVerdict>;
  readonly onProgress?: (p: RolloutProgress) => void;
  /** Hears the plan (previews grouped, teams set aside, refusals) once every team is previewed, before any update. */
  readonly onPlan?: (plan: RolloutReport) => void;
  /** A line of one team's log (the CLI writes one file per team). */
  readonly log?: (team: string, line: string) => void;
}

/** A team the rollout leaves alone, and why. */
export interface SetAside {
  readonly team: string;
  readonly reason: string;
  /** Its event ended: the stop schedule stopped its application, which an update would not start again. */
  readonly ended: boolean;
  /** Its application is stopped (READY) while its event runs: stopped on purpose (`cost --stop-over-cap`, or by hand). */
  readonly stopped?: boolean;
}

/** What one team's update came to. */
export interface TeamUpdate {
  readonly team: string;
  /** updated; checked (the canary had nothing to change, and was checked); failed; untouched (never started). */
  readonly outcome: "updated" | "checked" | "failed" | "untouched";
  readonly seconds?: number;
  readonly error?: string;
}

export interface RolloutReport {
  readonly dryRun: boolean;
  readonly previews: readonly TeamPreview[];
  /** Previews grouped by what changes, the largest group first. */
  readonly groups: readonly ChangeGroup[];
  readonly setAside: readonly SetAside[];
  /** Teams whose application is stopped, updated anyway (`includeStopped`): left stopped, the change takes effect when they start. */
  readonly stoppedIncluded?: readonly string[];
  /** Teams whose application's status could not be read (`applicationStatus` threw), and why: updated as if it runs. */
  readonly statusUnknown?: readonly { readonly team: string; readonly why: string }[];
  /** Mandatory violations by team: the rollout did not start. */
  readonly refused: readonly { readonly team: string; readonly policy: string; readonly message: string }[];
  readonly canary?: string;
  readonly canaryVerdict?: CanaryVerdict;
  /** One per team with something to change (and the canary), in the order they were started. */
  readonly updates: readonly TeamUpdate[];
  /** The first failure, which stopped the rollout. */
  readonly stopped?: { readonly team: string; readonly why: string };
}

interface Candidate {
  readonly team: string;
  readonly record: TeamRecord;
  readonly spec: StackSpec;
  /** Its application is stopped (READY) and `includeStopped` keeps it in: updated, never the canary. */
  readonly stopped?: boolean;
  /** Why its application's status could not be read, if it could not. */
  readonly statusUnknown?: string;
}

const k = (project: string, key: ConfigKey) => `${project}:${key}`;

/**
 * The team's stored config with the profile's shared keys laid over it: a shared key the profile
 * sets takes its value; one the profile no longer sets goes back to the project's default (only if
 * the stack had it: an absent key already is the default). The team's own keys (TEAM_KEYS) stay.
 */
export function rolloutConfig(
  stored: Record<string, ConfigValue>,
  profile: Partial<Record<ConfigKey, string>>,
  project: string,
): Record<string, ConfigValue> {
  const config = { ...stored };
  for (const key of Object.keys(SCHEMA) as ConfigKey[]) {
    if (TEAM_KEYS.includes(key) || FIXED_KEYS.includes(key)) continue;
    const spec: KeySpec = SCHEMA[key];
    const value = profile[key] ?? (k(project, key) in stored && spec.default !== undefined ? String(spec.default) : undefined);
    if (value !== undefined) config[k(project, key)] = { value, ...(spec.secret ? { secret: true } : {}) };
  }
  return config;
}

/**
 * The hash `provision` would record for this team with today's profile (workshop/orchestrator.ts
 * configHash of the profile's keys plus the roster row's), so that provision skips a team the
 * rollout brought up to date, and does not undo an `extend` by bringing back the profile's endsAt.
 */
export function provisionHash(
  team: string,
  record: TeamRecord,
  stored: Record<string, ConfigValue>,
  profile: Partial<Record<ConfigKey, string>>,
  project: string,
): string {
  const row = (key: ConfigKey) => stored[k(project, key)]?.value;
  const values: Partial<Record<ConfigKey, string>> = {
    ...profile,
    team,
    notificationEmail: row("notificationEmail") ?? "",
    ...(row("notificationPhone") ? { notificationPhone: row("notificationPhone") } : {}),
  };
  const config = Object.fromEntries(Object.entries(values).map(([key, value]) => [k(project, key as ConfigKey), { value }]));
  return configHash({ team, stack: record.stack, config, ...(record.profile ? { profile: record.profile } : {}) });
}

/** What step 1 made of one team: ready to preview, set aside, and any problem that refuses the rollout. */
interface Judged {
  readonly ready?: Candidate;
  readonly setAside: readonly SetAside[];
  readonly problems: readonly string[];
}

/** Step 1: each team that is up, with its rollout config; teams not up or past their end set aside. */
async function candidates(
  ws: Workspace,
  state: StateStore,
  o: RolloutOptions,
  now: Date,
): Promise<{ ready: Candidate[]; setAside: SetAside[] }> {
  const teams = Object.entries(state.all());
  const stored = await storedConfigs(ws, teams, o.concurrency);
  const judged = teams.map(([team, record], i) => judgeTeam(team, record, stored[i], o, now));
  const running = await stoppedApart(
    ws,
    judged.flatMap((j) => (j.ready ? [j.ready] : [])),
    o,
  );
  const ready = running.ready;
  const setAside = [...judged.flatMap((j) => j.setAside), ...running.setAside];
  const problems = judged.flatMap((j) => j.problems);
  const canary = canaryProblem(o.canary, ready, setAside, teams) ?? failedCanaryProblem(o.canary, ready, setAside, teams);
  if (canary) problems.push(canary);
  if (problems.length) throw new RolloutError([...new Set(problems)]);
  return { ready, setAside };
}

/**
 * Teams whose Flink application is stopped (READY) though their event runs, read with
 * `o.applicationStatus` from their outputs: set aside, or with `o.includeStopped` kept and marked.
 * A team whose status cannot be read is kept, marked with why (the plan says so).
 */
async function stoppedApart(
  ws: Workspace,
  ready: readonly Candidate[],
  o: RolloutOptions,
): Promise<{ ready: Candidate[]; setAside: SetAside[] }> {
  const read = o.applicationStatus;
  if (!read) return { ready: [...ready], setAside: [] };
  const limit = pLimit(Math.max(o.concurrency, 4));
  const statuses = await Promise.all(
    ready.map((c) =>
      limit(async () => {
        try {
          return { status: await read(c.team, await ws.outputs(c.spec.stack, c.spec.profile)) };
        } catch (e) {
          return { unknown: firstLine(e) };
        }
      }),
    ),
  );
  const out = { ready: [] as Candidate[], setAside: [] as SetAside[] };
  ready.forEach((c, i) => {
    const s = statuses[i]!;
    if (s.unknown !== undefined) out.ready.push({ ...c, statusUnknown: s.unknown });
    else if (s.status !== "READY") out.ready.push(c);
    else if (o.includeStopped) out.ready.push({ ...c, stopped: true });
    else
      out.setAside.push({
        team: c.team,
        reason:
          "its Flink application is stopped (READY) though its event runs: stopped on purpose (cost --stop-over-cap, or by hand), so update leaves it as it is; " +
          `--include-stopped updates it too (it stays stopped: the change takes effect when extend --team ${c.team} starts it)`,
        ended: false,
        stopped: true,
      });
  });
  return out;
}

/** Each team's stored config, read a few at once (at least 4); undefined for a team that is not up. */
function storedConfigs(
  ws: Workspace,
  teams: readonly [string, TeamRecord][],
  concurrency: number,
): Promise<(Record<string, ConfigValue> | undefined)[]> {
  const limit = pLimit(Math.max(concurrency, 4));
  return Promise.all(teams.map(([, r]) => (r.status === "up" ? limit(() => ws.config(r.stack, r.profile)) : Promise.resolve(undefined))));
}

/** One team of step 1: not up, ended, its own endsAt too soon (set aside), or ready; with what refuses the rollout. */
function judgeTeam(
  team: string,
  record: TeamRecord,
  stored: Record<string, ConfigValue> | undefined,
  o: RolloutOptions,
  now: Date,
): Judged {
  if (record.status !== "up" || stored === undefined)
    return { setAside: [{ team, reason: `stack is ${record.status}: run provision for it`, ended: false }], problems: [] };
  const config = rolloutConfig(stored, o.profile, o.project);
  const problems = fixedKeyProblems(team, stored, o);
  const endsAt = Date.parse(config[k(o.project, "endsAt")]?.value ?? record.endsAt);
  if (Number.isFinite(endsAt) && endsAt <= now.getTime())
    return {
      setAside: [
        {
          team,
          reason: `its event ended at ${new Date(endsAt).toISOString()}: its Flink application was stopped then and stays stopped (an update does not start it); extend --until <time> --team ${team} restarts it, then run update again`,
          ended: true,
        },
      ],
      problems,
    };
  const checked = checkTeamConfig(team, record, config, o.project, now);
  problems.push(...checked.problems);
  if (checked.setAside.length) return { setAside: checked.setAside, problems };
  const spec: StackSpec = { team, stack: record.stack, config, ...(record.profile ? { profile: record.profile } : {}) };
  return { ready: { team, record, spec }, setAside: [], problems };
}

/** The event and region a profile would change for this team: a rollout cannot rename resources. */
function fixedKeyProblems(team: string, stored: Record<string, ConfigValue>, o: RolloutOptions): string[] {
  const problems: string[] = [];
  for (const key of FIXED_KEYS) {
    const was = stored[k(o.project, key)]?.value;
    const wanted = o.profile[key];
    if (wanted !== undefined && was !== undefined && was !== wanted)
      problems.push(
        `${key} is ${was} in team ${team}'s stack but ${wanted} in the event profile: a rollout cannot rename a team's resources (it would replace the stack); set it back in the profile`,
      );
  }
  return problems;
}

/**
 * The team's rollout config through validateConfig (infra/config.ts): its own endsAt too soon sets
 * it aside; any other problem refuses the rollout, with the `pulumi config set` that fixes it on
 * the team's stack (a team key) or on the event profile (a shared key).
 */
function checkTeamConfig(
  team: string,
  record: TeamRecord,
  config: Record<string, ConfigValue>,
  project: string,
  now: Date,
): { setAside: SetAside[]; problems: string[] } {
  const raw: Partial<Record<ConfigKey, string>> = {};
  for (const key of Object.keys(SCHEMA) as ConfigKey[]) raw[key] = config[k(project, key)]?.value;
  try {
    validateConfig(raw, now, record.stack);
    return { setAside: [], problems: [] };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const own = e.problems.filter((p) => p.key === "endsAt");
    const onStack = (fix: string) => fix.replace(/^pulumi config set /, `pulumi config set --stack ${record.stack} `);
    const onProfile = (fix: string) => fix.replace(/^pulumi config set /, `pulumi config set --stack <profile> `);
    const problems = [
      ...e.problems
        .filter((p) => p.key !== "endsAt" && TEAM_KEYS.includes(p.key as ConfigKey))
        .map((p) => `team ${team}'s stack ${record.stack}: ${p.key} ${p.problem}; fix it first (${onStack(p.fix)})`),
      ...e.problems
        .filter((p) => !TEAM_KEYS.includes(p.key as ConfigKey))
        .map((p) => `team ${team}: ${p.key} ${p.problem} (fix the event profile: ${onProfile(p.fix)})`),
    ];
    // The team's own end (too soon to update) sets it aside; a bad shared key refuses the rollout.
    const setAside = own.map((p): SetAside => ({ team, reason: `endsAt ${p.problem}; extend it first`, ended: false }));
    return { setAside, problems };
  }
}

/**
 * Why this rollout cannot go on with another canary than the team whose check failed last time
 * (TeamRecord.canaryFailed), if it cannot: that team is on the failed version, and a new canary
 * would spread it. Naming another team is refused while the failed one is up and ready; when the
 * failed one is set aside (ended, stopped), a canary must be named, as the instructor's choice.
 */
function failedCanaryProblem(
  canary: string | undefined,
  ready: readonly Candidate[],
  setAside: readonly SetAside[],
  teams: readonly [string, TeamRecord][],
): string | undefined {
  const failed = teams.find(([, r]) => r.canaryFailed !== undefined && r.status === "up");
  if (!failed || canary === failed[0]) return undefined;
  const [team, record] = failed;
  const why = `team ${team} failed its canary check at ${record.canaryFailed!.at} (${record.canaryFailed!.detail}) and is on the version that failed`;
  const isReady = ready.find((c) => c.team === team);
  if (isReady?.stopped)
    return `${why}, and its application is stopped now: start it (extend --team ${team}) and run update again, which checks it first`;
  if (isReady && canary !== undefined)
    return `${why}: run update without --canary (or --canary ${team}): it checks ${team} again first, and goes on only if it passes`;
  const aside = setAside.find((s) => s.team === team);
  if (aside && canary === undefined) return `${why}, and is set aside now (${aside.reason}): name the canary with --canary <team> to go on`;
  return undefined;
}

/** Why `--canary` cannot be the canary (not a team, set aside, or stopped), if it cannot. */
function canaryProblem(
  canary: string | undefined,
  ready: readonly Candidate[],
  setAside: readonly SetAside[],
  teams: readonly [string, TeamRecord][],
): string | undefined {
  const chosen = ready.find((c) => c.team === canary);
  if (chosen?.stopped)
    return `--canary ${canary} cannot be the canary: its Flink application is stopped (READY), and the check needs it RUNNING`;
  if (canary === undefined || chosen) return undefined;
  const aside = setAside.find((s) => s.team === canary);
  return aside
    ? `--canary ${canary} cannot be the canary: ${aside.reason}`
    : `--canary ${canary} is not a team of the state file (teams: ${teams.map(([t]) => t).join(", ") || "none"})`;
}

/** Seconds left, from the mean time of the teams finished so far, `concurrency` at once. */
export function etaSeconds(finishedSeconds: readonly number[], remaining: number, concurrency: number): number | undefined {
  if (finishedSeconds.length === 0) return undefined;
  const mean = finishedSeconds.reduce((a, b) => a + b, 0) / finishedSeconds.length;
  return Math.ceil(remaining / concurrency) * mean;
}

/**
 * Back-off for one team's preview or update, fresh per operation (its own counters): transient
 * failures `attempts` times, an application busy changing state (ResourceInUseException: #22
 * item 4) waited out with back-off for up to `busyWaitMs` (orchestrator.ts retryOptions), each
 * wait said in the team's log and to `onWait`: minutes of silence would look like a hang.
 */
function rolloutRetry(o: RolloutOptions, team: string): BackoffOptions {
  return retryOptions(
    {
      concurrency: o.concurrency,
      ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
      ...(o.startingDelayMs !== undefined ? { startingDelayMs: o.startingDelayMs } : {}),
      ...(o.busyWaitMs !== undefined ? { busyWaitMs: o.busyWaitMs } : {}),
      ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}),
    },
    (why) => {
      o.log?.(team, why);
      o.onWait?.(team, why);
    },
  );
}

const teamLog = (o: RolloutOptions, team: string) => (line: string) => o.log?.(team, line);
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!;

/**
 * One line for a team whose update failed: its error's first line, or, when a resource was still
 * busy changing state after the wait, that resource's line and what to do (the rollout resumes
 * only once it is READY or RUNNING: API_UpdateApplication).
 */
function failureLine(e: unknown, busyWaitMs: number | undefined): string {
  const busy = busyLine(e);
  if (busy === undefined) return firstLine(e);
  return (
    `a resource was still busy changing state after waiting ${(busyWaitMs ?? BUSY_WAIT_MS) / 1000} s (--busy-wait): ${busy}; ` +
    "wait until it has finished (a Flink application READY or RUNNING: npm run workshop -- status shows it), then resume"
  );
}

/**
 * Plans, and unless `o.dryRun`, runs the rollout (see the file's head).
 * @throws RangeError for a concurrency that is not a whole number of at least 1.
 * @throws RolloutError before any preview when a shared key is invalid, an event or region would
 *   change, or `--canary` names a team that is not up or has ended; after the previews when one
 *   failed. Everything else is in the report.
 */
export async function rollout(ws: Workspace, state: StateStore, o: RolloutOptions): Promise<RolloutReport> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${o.concurrency}`);
  const { ready, setAside } = await candidates(ws, state, o, o.now ?? new Date());
  const previews = await previewAll(ws, ready, o);
  const refused = previews.flatMap((p) => p.violations.map((v) => ({ team: p.team, policy: v.policy, message: v.message })));
  const plan = {
    dryRun: o.dryRun ?? false,
    previews,
    groups: groupPreviews(previews),
    setAside,
    stoppedIncluded: ready.filter((c) => c.stopped).map((c) => c.team),
    statusUnknown: ready.flatMap((c) => (c.statusUnknown !== undefined ? [{ team: c.team, why: c.statusUnknown }] : [])),
    refused,
    updates: [] as TeamUpdate[],
  };
  o.onPlan?.(plan);
  if (refused.length || o.dryRun) return plan;

  const changed = new Set(previews.filter((p) => p.description !== "no change").map((p) => p.team));
  const canaryName = o.canary ?? defaultCanary(ready, changed);
  if (canaryName === undefined) {
    // Only stopped teams (includeStopped) have a change, and no team runs to check it on.
    const stopped = ready.filter((c) => c.stopped && changed.has(c.team));
    if (!stopped.length) return plan;
    const rest = await updateRest(ws, state, o, stopped);
    return { ...plan, updates: rest.updates, ...(rest.stopped ? { stopped: rest.stopped } : {}) };
  }
  const { updates: first, ...canary } = await updateCanary(
    ws,
    state,
    o,
    ready.find((c) => c.team === canaryName)!,
    changed.has(canaryName),
  );
  if (canary.stopped) return { ...plan, canary: canaryName, ...canary, updates: [...first, ...untouchedAfter(ready, changed, canaryName)] };
  const { updates, stopped } = await updateRest(
    ws,
    state,
    o,
    ready.filter((c) => changed.has(c.team) && c.team !== canaryName),
  );
  return { ...plan, canary: canaryName, ...canary, updates: [...first, ...updates], ...(stopped ? { stopped } : {}) };
}

/**
 * The canary when none is named: the team whose canary check failed last time (it is on the
 * version that failed), else the first running team with a change, else, when only stopped teams
 * (includeStopped) have one, a running team with none: it is checked before they are updated.
 */
function defaultCanary(ready: readonly Candidate[], changed: ReadonlySet<string>): string | undefined {
  const failed = ready.find((c) => c.record.canaryFailed !== undefined);
  if (failed) return failed.team;
  const first = ready.find((c) => changed.has(c.team) && !c.stopped);
  if (first) return first.team;
  return ready.some((c) => c.stopped && changed.has(c.team)) ? ready.find((c) => !c.stopped)?.team : undefined;
}

/**
 * Step 2: every ready team previewed with the pack, `concurrency` at once, none stored.
 * @throws RolloutError naming every preview that failed: a rollout starts only when each says what it will do.
 */
async function previewAll(ws: Workspace, ready: readonly Candidate[], o: RolloutOptions): Promise<TeamPreview[]> {
  if (ready.length) await ws.installPlugins();
  const limit = pLimit(o.concurrency);
  let previewed = 0;
  const errors: string[] = [];
  const previews = await Promise.all(
    ready.map((c) =>
      limit(async (): Promise<TeamPreview | undefined> => {
        try {
          return await previewTeam(ws, c, o);
        } catch (e) {
          errors.push(`team ${c.team}'s preview failed: ${firstLine(e)}`);
          return undefined;
        } finally {
          o.onProgress?.({ phase: "previewing", done: ++previewed, total: ready.length, failed: errors.length, inFlight: [] });
        }
      }),
    ),
  );
  if (errors.length)
    throw new RolloutError([...errors, "nothing was updated: a rollout starts only when every team's preview says what it will do"]);
  return previews.filter((p): p is TeamPreview => p !== undefined);
}

/** One team's preview with its rollout config, not stored, tried again as rolloutRetry allows. */
async function previewTeam(ws: Workspace, c: Candidate, o: RolloutOptions): Promise<TeamPreview> {
  const changes: ResourceChange[] = [];
  const violations = await backOff(
    () => {
      changes.length = 0;
      return ws.preview(c.spec, teamLog(o, c.team), { keepStoredConfig: true, onChange: (ch) => changes.push(ch) });
    },
    rolloutRetry(o, c.team),
  );
  return { team: c.team, changes, violations, description: describeChanges(changes), kind: changeKindOf(changes) };
}

/** Brings one team up with its rollout config; records the provision hash on success. Never throws: a failure is its outcome. */
async function updateTeam(
  ws: Workspace,
  state: StateStore,
  o: RolloutOptions,
  c: Candidate,
): Promise<{ outputs?: Record<string, OutputValue>; result: TeamUpdate }> {
  const log = teamLog(o, c.team);
  const t0 = performance.now();
  const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
  try {
    const outputs = await backOff(() => ws.up(c.spec, () => undefined, log), rolloutRetry(o, c.team));
    state.set(c.team, {
      ...c.record,
      configHash: provisionHash(c.team, c.record, c.spec.config, o.profile, o.project),
      updatedAt: new Date().toISOString(),
    });
    log(`updated in ${seconds()} s`);
    return { outputs, result: { team: c.team, outcome: "updated", seconds: seconds() } };
  } catch (e) {
    const error = failureLine(e, o.busyWaitMs);
    log(`FAILED: ${error}`);
    return { result: { team: c.team, outcome: "failed", seconds: seconds(), error } };
  }
}

/**
 * Step 3a: the canary, updated (if it has anything to change) and checked. `stopped` when its
 * update or its check failed; its one update either way.
 */
async function updateCanary(
  ws: Workspace,
  state: StateStore,
  o: RolloutOptions,
  canary: Candidate,
  hasChange: boolean,
): Promise<{ updates: TeamUpdate[]; canaryVerdict?: CanaryVerdict; stopped?: { team: string; why: string } }> {
  const team = canary.team;
  o.onProgress?.({ phase: "canary", done: 0, total: 1, failed: 0, inFlight: [team] });
  let outputs: Record<string, OutputValue> | undefined;
  let updated: TeamUpdate | undefined;
  if (hasChange) {
    const done = await updateTeam(ws, state, o, canary);
    updated = done.result;
    if (updated.outcome === "failed") {
      // A failed update may have changed part of the stack: the next run starts with this canary again.
      markCanary(state, team, { ok: false, detail: `its update failed: ${updated.error}` });
      return { updates: [updated], stopped: { team, why: `its update failed: ${updated.error}` } };
    }
    outputs = done.outputs;
  } else {
    outputs = await ws.outputs(canary.spec.stack, canary.spec.profile);
  }
  o.onProgress?.({ phase: "checking canary", done: 0, total: 1, failed: 0, inFlight: [team] });
  const verdict = await o.check(team, outputs!);
  teamLog(o, team)(`canary check: ${verdict.ok ? "OK" : "FAILED"}: ${verdict.detail}`);
  markCanary(state, team, verdict);
  const update: TeamUpdate = !updated
    ? { team, outcome: verdict.ok ? "checked" : "failed", ...(verdict.ok ? {} : { error: verdict.detail }) }
    : verdict.ok
      ? updated
      : { ...updated, outcome: "failed", error: `canary check: ${verdict.detail}` };
  return {
    updates: [update],
    canaryVerdict: verdict,
    ...(verdict.ok ? {} : { stopped: { team, why: `canary check: ${verdict.detail}` } }),
  };
}

/**
 * Records a failed canary check on the team's state record (TeamRecord.canaryFailed), or clears it
 * once the check passes: the record is what makes the next run check this team first again.
 */
function markCanary(state: StateStore, team: string, verdict: CanaryVerdict): void {
  const record = Object.fromEntries(Object.entries(state.get(team)!).filter(([key]) => key !== "canaryFailed")) as TeamRecord;
  state.set(team, verdict.ok ? record : { ...record, canaryFailed: { at: new Date().toISOString(), detail: verdict.detail } });
}

/** Step 3b: the rest, at most `concurrency` at once; the first failure stops what has not started (untouched). */
async function updateRest(
  ws: Workspace,
  state: StateStore,
  o: RolloutOptions,
  rest: readonly Candidate[],
): Promise<{ updates: TeamUpdate[]; stopped?: { team: string; why: string } }> {
  const limit = pLimit(o.concurrency);
  let stopped: { team: string; why: string } | undefined;
  const inFlight = new Set<string>();
  const times: number[] = [];
  let failed = 0;
  const progress = () => {
    const eta = etaSeconds(times, rest.length - times.length, o.concurrency);
    o.onProgress?.({
      phase: "updating",
      done: times.length,
      total: rest.length,
      failed,
      inFlight: [...inFlight],
      ...(eta !== undefined ? { etaSeconds: eta } : {}),
    });
  };
  const updates = await Promise.all(
    rest.map((c) =>
      limit(async (): Promise<TeamUpdate> => {
        if (stopped) return { team: c.team, outcome: "untouched" };
        inFlight.add(c.team);
        progress();
        const { result } = await updateTeam(ws, state, o, c);
        inFlight.delete(c.team);
        times.push(result.seconds ?? 0);
        if (result.outcome === "failed") {
          failed++;
          stopped ??= { team: c.team, why: `its update failed: ${result.error}` };
        }
        progress();
        return result;
      }),
    ),
  );
  return { updates, ...(stopped ? { stopped } : {}) };
}

/** The teams with a change, other than the canary: never started when the canary stops the run. */
function untouchedAfter(ready: readonly Candidate[], changed: ReadonlySet<string>, canary: string): TeamUpdate[] {
  return ready.filter((c) => changed.has(c.team) && c.team !== canary).map((c): TeamUpdate => ({ team: c.team, outcome: "untouched" }));
}
