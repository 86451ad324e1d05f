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
// Running it again resumes: a team already updated previews as "no change" and is left alone.

import { backOff, type BackoffOptions } from "exponential-backoff";
import pLimit from "p-limit";
import { ConfigError, SCHEMA, validateConfig, type ConfigKey, type KeySpec } from "../infra/config";
import { configHash, retryOptions } from "./orchestrator";
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
  /** The team updated and checked first; default: the first team (state-file order) with something to change. */
  readonly canary?: string;
  /** Preview and report only. */
  readonly dryRun?: boolean;
  readonly now?: Date;
  /** Attempts per team for transient failures (lock conflicts, throttling), the first included. */
  readonly attempts?: number;
  readonly startingDelayMs?: number;
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

/** Step 1: each team that is up, with its rollout config; teams not up or past their end set aside. */
async function candidates(
  ws: Workspace,
  state: StateStore,
  o: RolloutOptions,
  now: Date,
): Promise<{ ready: Candidate[]; setAside: SetAside[] }> {
  const problems: string[] = [];
  const setAside: SetAside[] = [];
  const ready: Candidate[] = [];
  const limit = pLimit(Math.max(o.concurrency, 4));
  const teams = Object.entries(state.all());
  const stored = await Promise.all(
    teams.map(([, r]) => (r.status === "up" ? limit(() => ws.config(r.stack, r.profile)) : Promise.resolve(undefined))),
  );
  teams.forEach(([team, record], i) => {
    if (record.status !== "up")
      return void setAside.push({ team, reason: `stack is ${record.status}: run provision for it`, ended: false });
    const config = rolloutConfig(stored[i]!, o.profile, o.project);
    for (const key of FIXED_KEYS) {
      const was = stored[i]![k(o.project, key)]?.value;
      const wanted = o.profile[key];
      if (wanted !== undefined && was !== undefined && was !== wanted)
        problems.push(
          `${key} is ${was} in team ${team}'s stack but ${wanted} in the event profile: a rollout cannot rename a team's resources (it would replace the stack); set it back in the profile`,
        );
    }
    const endsAt = Date.parse(config[k(o.project, "endsAt")]?.value ?? record.endsAt);
    if (Number.isFinite(endsAt) && endsAt <= now.getTime())
      return void setAside.push({
        team,
        reason: `its event ended at ${new Date(endsAt).toISOString()}: its Flink application was stopped then and stays stopped (an update does not start it); extend --until <time> --team ${team} restarts it, then run update again`,
        ended: true,
      });
    const raw: Partial<Record<ConfigKey, string>> = {};
    for (const key of Object.keys(SCHEMA) as ConfigKey[]) raw[key] = config[k(o.project, key)]?.value;
    try {
      validateConfig(raw, now, record.stack);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const own = e.problems.filter((p) => p.key === "endsAt");
      // The team's own end (too soon to update) sets it aside; a bad shared key refuses the rollout.
      for (const p of own) setAside.push({ team, reason: `endsAt ${p.problem}; extend it first`, ended: false });
      for (const p of e.problems.filter((x) => x.key !== "endsAt" && TEAM_KEYS.includes(x.key as ConfigKey)))
        problems.push(
          `team ${team}'s stack ${record.stack}: ${p.key} ${p.problem}; fix it first (${p.fix.replace(/^pulumi config set /, `pulumi config set --stack ${record.stack} `)})`,
        );
      for (const p of e.problems.filter((x) => !TEAM_KEYS.includes(x.key as ConfigKey)))
        problems.push(
          `team ${team}: ${p.key} ${p.problem} (fix the event profile: ${p.fix.replace(/^pulumi config set /, `pulumi config set --stack <profile> `)})`,
        );
      if (own.length) return;
    }
    ready.push({ team, record, spec: { team, stack: record.stack, config, ...(record.profile ? { profile: record.profile } : {}) } });
  });
  if (o.canary !== undefined && !ready.some((c) => c.team === o.canary)) {
    const aside = setAside.find((s) => s.team === o.canary);
    problems.push(
      aside
        ? `--canary ${o.canary} cannot be the canary: ${aside.reason}`
        : `--canary ${o.canary} is not a team of the state file (teams: ${teams.map(([t]) => t).join(", ") || "none"})`,
    );
  }
  if (problems.length) throw new RolloutError([...new Set(problems)]);
  return { ready, setAside };
}

/** Seconds left, from the mean time of the teams finished so far, `concurrency` at once. */
export function etaSeconds(finishedSeconds: readonly number[], remaining: number, concurrency: number): number | undefined {
  if (finishedSeconds.length === 0) return undefined;
  const mean = finishedSeconds.reduce((a, b) => a + b, 0) / finishedSeconds.length;
  return Math.ceil(remaining / concurrency) * mean;
}

/**
 * Plans, and unless `o.dryRun`, runs the rollout (see the file's head).
 * @throws RolloutError before any preview when a shared key is invalid, an event or region would
 *   change, or `--canary` names a team that is not up or has ended. Everything else is in the report.
 */
/**
 * Back-off for one team's preview or update, fresh per operation (its own counters): transient
 * failures `attempts` times, an application busy changing state (ResourceInUseException: #22
 * item 4) waited out with back-off (orchestrator.ts retryOptions).
 */
function rolloutRetry(o: RolloutOptions): BackoffOptions {
  return retryOptions({
    concurrency: o.concurrency,
    ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
    ...(o.startingDelayMs !== undefined ? { startingDelayMs: o.startingDelayMs } : {}),
  });
}

export async function rollout(ws: Workspace, state: StateStore, o: RolloutOptions): Promise<RolloutReport> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${o.concurrency}`);
  const now = o.now ?? new Date();
  const { ready, setAside } = await candidates(ws, state, o, now);
  const retry = () => rolloutRetry(o);
  const log = (team: string) => (line: string) => o.log?.(team, line);

  // Step 2: previews, none stored.
  if (ready.length) await ws.installPlugins();
  const limit = pLimit(o.concurrency);
  let previewed = 0;
  const errors: string[] = [];
  const previews = (
    await Promise.all(
      ready.map((c) =>
        limit(async (): Promise<TeamPreview | undefined> => {
          const changes: ResourceChange[] = [];
          try {
            const violations = await backOff(() => {
              changes.length = 0;
              return ws.preview(c.spec, log(c.team), { keepStoredConfig: true, onChange: (ch) => changes.push(ch) });
            }, retry());
            return { team: c.team, changes, violations, description: describeChanges(changes), kind: changeKindOf(changes) };
          } catch (e) {
            errors.push(`team ${c.team}'s preview failed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
            return undefined;
          } finally {
            o.onProgress?.({ phase: "previewing", done: ++previewed, total: ready.length, failed: errors.length, inFlight: [] });
          }
        }),
      ),
    )
  ).filter((p): p is TeamPreview => p !== undefined);
  if (errors.length)
    throw new RolloutError([...errors, "nothing was updated: a rollout starts only when every team's preview says what it will do"]);
  const refused = previews.flatMap((p) => p.violations.map((v) => ({ team: p.team, policy: v.policy, message: v.message })));
  const plan = { dryRun: o.dryRun ?? false, previews, groups: groupPreviews(previews), setAside, refused, updates: [] as TeamUpdate[] };
  o.onPlan?.(plan);
  if (refused.length || o.dryRun) return plan;

  const changed = new Set(previews.filter((p) => p.description !== "no change").map((p) => p.team));
  const canaryName = o.canary ?? ready.find((c) => changed.has(c.team))?.team;
  if (canaryName === undefined) return plan;
  const byTeam = new Map(ready.map((c) => [c.team, c]));
  const updates: TeamUpdate[] = [];

  /** Brings one team up with its rollout config; records the provision hash on success. */
  const update = async (c: Candidate): Promise<{ outputs?: Record<string, OutputValue>; result: TeamUpdate }> => {
    const t0 = performance.now();
    const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
    try {
      const outputs = await backOff(() => ws.up(c.spec, () => undefined, log(c.team)), retry());
      state.set(c.team, {
        ...c.record,
        configHash: provisionHash(c.team, c.record, c.spec.config, o.profile, o.project),
        updatedAt: new Date().toISOString(),
      });
      log(c.team)(`updated in ${seconds()} s`);
      return { outputs, result: { team: c.team, outcome: "updated", seconds: seconds() } };
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
      log(c.team)(`FAILED: ${error}`);
      return { result: { team: c.team, outcome: "failed", seconds: seconds(), error } };
    }
  };

  // Step 3a: the canary, updated (if it has anything to change) and checked.
  const canary = byTeam.get(canaryName)!;
  o.onProgress?.({ phase: "canary", done: 0, total: 1, failed: 0, inFlight: [canaryName] });
  let outputs: Record<string, OutputValue> | undefined;
  if (changed.has(canaryName)) {
    const done = await update(canary);
    updates.push(done.result);
    if (done.result.outcome === "failed")
      return {
        ...plan,
        canary: canaryName,
        updates: [...updates, ...untouchedAfter(ready, changed, canaryName)],
        stopped: { team: canaryName, why: `its update failed: ${done.result.error}` },
      };
    outputs = done.outputs;
  } else {
    outputs = await ws.outputs(canary.spec.stack, canary.spec.profile);
  }
  o.onProgress?.({ phase: "checking canary", done: 0, total: 1, failed: 0, inFlight: [canaryName] });
  const verdict = await o.check(canaryName, outputs!);
  log(canaryName)(`canary check: ${verdict.ok ? "OK" : "FAILED"}: ${verdict.detail}`);
  if (!changed.has(canaryName))
    updates.push({ team: canaryName, outcome: verdict.ok ? "checked" : "failed", ...(verdict.ok ? {} : { error: verdict.detail }) });
  else if (!verdict.ok) updates[0] = { ...updates[0]!, outcome: "failed", error: `canary check: ${verdict.detail}` };
  if (!verdict.ok) {
    return {
      ...plan,
      canary: canaryName,
      canaryVerdict: verdict,
      updates: [...updates, ...untouchedAfter(ready, changed, canaryName)],
      stopped: { team: canaryName, why: `canary check: ${verdict.detail}` },
    };
  }

  // Step 3b: the rest, at most `concurrency` at once; the first failure stops what has not started.
  const rest = ready.filter((c) => changed.has(c.team) && c.team !== canaryName);
  let stopped: { team: string; why: string } | undefined;
  const inFlight = new Set<string>();
  const times: number[] = [];
  let failed = 0;
  const progress = () =>
    o.onProgress?.({
      phase: "updating",
      done: times.length,
      total: rest.length,
      failed,
      inFlight: [...inFlight],
      ...(etaSeconds(times, rest.length - times.length, o.concurrency) !== undefined
        ? { etaSeconds: etaSeconds(times, rest.length - times.length, o.concurrency)! }
        : {}),
    });
  const results = await Promise.all(
    rest.map((c) =>
      limit(async (): Promise<TeamUpdate> => {
        if (stopped) return { team: c.team, outcome: "untouched" };
        inFlight.add(c.team);
        progress();
        const { result } = await update(c);
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
  return { ...plan, canary: canaryName, canaryVerdict: verdict, updates: [...updates, ...results], ...(stopped ? { stopped } : {}) };
}

/** The teams with a change, other than the canary: never started when the canary stops the run. */
function untouchedAfter(ready: readonly Candidate[], changed: ReadonlySet<string>, canary: string): TeamUpdate[] {
  return ready.filter((c) => changed.has(c.team) && c.team !== canary).map((c): TeamUpdate => ({ team: c.team, outcome: "untouched" }));
}
