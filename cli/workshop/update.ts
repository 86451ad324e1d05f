// `npm run workshop -- update`: roll what changed (the program, the JAR, the event profile) out to
// every team that is up: one preview summary grouped across teams, a canary updated and checked,
// then the rest; stops at the first failure and says how to resume (workshop/rollout.ts). Exit 2
// when it refuses to start (bad input, a mandatory policy violation), 1 when a team fails.

import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import type { RestoreCost } from "../../components/restorePolicy";
import { checkCanary } from "../../workshop/canary";
import { rollout, RolloutError, type CanaryVerdict, type RolloutProgress, type RolloutReport } from "../../workshop/rollout";
import { RESTART_NOTES, type ChangeKind } from "../../workshop/rolloutPlan";
import { SMOKE_DEFAULTS } from "../../workshop/smoke";
import { flinkFacts } from "../../workshop/spend";
import { fileState, type StateStore } from "../../workshop/state";
import { targetOf, teamClients } from "../../workshop/teamAws";
import type { OutputValue } from "../../workshop/workspace";
import { numberOption } from "../options";
import { estimate } from "../../workshop/capacity";
import {
  accessOf,
  attemptsOption,
  busyWaitOption,
  chooseConcurrency,
  concurrencyOption,
  common,
  defaultDeps,
  type Common,
  type Deps,
  eventProfile,
  profileValue,
} from "./common";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** Teams in name order (t2 before t10), at most eight named: a summary reads the same whichever team finished first. */
const teamList = (unordered: readonly string[]) => {
  const teams = [...unordered].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return teams.length <= 8 ? teams.join(", ") : `${teams.slice(0, 8).join(", ")} and ${teams.length - 8} more`;
};

/**
 * What a group's change costs an attendee, one line: the restart (RESTART_NOTES of its kind) and
 * the forest's warm-up (its restore cost, from the restore policy at the deployed window length
 * and sample size). Empty when the Flink application does not restart.
 */
export function costLine(kind: ChangeKind, cost: RestoreCost): string {
  const note = RESTART_NOTES[kind];
  if (!note.restart) return "";
  const warm = cost.warmUpWindows
    ? `the forest scores nothing for ${cost.warmUpWindows} windows (about ${Math.round(cost.warmUpSeconds / 60)} min of traffic)`
    : "no forest warm-up";
  return `${kind}: the Flink job restarts; ${warm}: ${note.why}`;
}

/** The preview, grouped: the largest group first ("the rest"), the teams that differ listed apart, then the teams set aside and the refusals. */
export function renderPlan(r: RolloutReport): string {
  const lines = [`Preview of ${plural(r.previews.length, "team")} with the policy pack:`];
  r.groups.forEach((g, i) => {
    const who = i === 0 && r.groups.length > 1 ? "" : ` (${teamList(g.teams)})`;
    lines.push(
      `  ${i === 0 ? "" : "differs: "}${plural(g.teams.length, "team")}${i === 0 && r.groups.length === 1 ? "" : who}: ${g.description}`,
    );
    const cost = costLine(g.kind, g.cost);
    if (cost) lines.push(`      ${cost}`);
  });
  for (const s of r.setAside) lines.push(`  set aside: ${s.team}: ${s.reason}`);
  for (const t of r.stoppedIncluded ?? [])
    lines.push(
      `  stopped, updated anyway (--include-stopped): ${t}: its Flink application stays stopped (READY); the change takes effect when extend --team ${t} starts it`,
    );
  for (const u of r.statusUnknown ?? [])
    lines.push(`  status unknown: ${u.team}: its Flink application's status could not be read (${u.why}); updated as if it runs`);
  if (r.refused.length) {
    lines.push(
      `REFUSED: ${plural(new Set(r.refused.map((v) => v.team)).size, "team")} would violate a mandatory policy; nothing was updated:`,
    );
    for (const v of r.refused) lines.push(`  ${v.team}: ${v.policy}: ${v.message.split("\n")[0]}`);
  }
  return lines.join("\n") + "\n";
}

/** After the run: the canary, counts per outcome, the failure and why, the untouched teams, and the command that resumes. */
export function renderOutcome(r: RolloutReport, resume: string): string {
  if (r.refused.length) return "Fix the violations (the event profile, the pack's limits or the program), then run update again.\n";
  if (r.dryRun) return "Dry run: nothing was updated.\n";
  if (!r.canary && !r.updates.length) return `Nothing to change: every team that is up is up to date.\n`;
  const by = (o: string) => r.updates.filter((u) => u.outcome === o);
  const lines = [
    r.canary
      ? `Canary ${r.canary}: ${r.canaryVerdict ? `${r.canaryVerdict.ok ? "check passed" : "check FAILED"}: ${r.canaryVerdict.detail}` : "its update failed"}`
      : "No canary: only stopped teams (--include-stopped) had a change, and no team runs to check it on",
    `update: ${plural(r.updates.length, "team")}: ${["updated", "checked", "failed", "untouched"].map((o) => `${by(o).length} ${o}`).join(", ")}` +
      `; ${r.previews.filter((p) => p.description === "no change").length} already up to date`,
  ];
  for (const u of by("failed")) lines.push(`  FAILED ${u.team}: ${u.error ?? ""}`);
  if (by("untouched").length) lines.push(`  untouched (not started, as they were): ${teamList(by("untouched").map((u) => u.team))}`);
  const ended = r.setAside.filter((s) => s.ended).map((s) => s.team);
  if (ended.length)
    lines.push(`  stopped at endsAt, left stopped: ${teamList(ended)} (extend --until <time> --team … restarts them; then update again)`);
  const stoppedAside = r.setAside.filter((s) => s.stopped).map((s) => s.team);
  if (stoppedAside.length)
    lines.push(
      `  stopped before the update (cost --stop-over-cap, or by hand), left as they were: ${teamList(stoppedAside)} (--include-stopped updates them)`,
    );
  if (r.stopped) lines.push(`Stopped at ${r.stopped.team}: ${r.stopped.why}`);
  if (r.stopped && r.stopped.team === r.canary) lines.push(...failedCanaryLines(r.canary, r.canaryVerdict !== undefined));
  if (r.stopped) lines.push(`Resume, once the cause is fixed: ${resume}`);
  return lines.join("\n") + "\n";
}

/**
 * What to do about a canary that failed: where it is (the new version if its update went through),
 * that resuming checks it first again (workshop/rollout.ts, TeamRecord.canaryFailed), and how to
 * roll it back: the previous checkout, then the same command, which updates it back and checks it.
 */
function failedCanaryLines(canary: string, checked: boolean): string[] {
  const where = checked
    ? "is on the version this checkout deploys (its update went through; its check failed)"
    : "may be partly on the version this checkout deploys (its update failed part-way)";
  return [
    `  ${canary} ${where}; no other team was touched.`,
    `  Resuming (below) checks ${canary} first again, updated if the version changed since, and goes on only if it passes.`,
    `  To roll ${canary} back: check out the previous version (git checkout <commit>; the event profile as it was), then the resume command: it updates ${canary} back and checks it.`,
  ];
}

/** One progress line: phase, counts, the teams in flight, the time left. */
export function progressLine(p: RolloutProgress): string {
  const eta =
    p.etaSeconds === undefined
      ? ""
      : `, about ${p.etaSeconds < 90 ? `${Math.round(p.etaSeconds)} s` : `${Math.round(p.etaSeconds / 60)} min`} left`;
  const flight = p.inFlight.length ? `, in flight: ${teamList(p.inFlight)}` : "";
  return `update: ${p.phase} ${p.done}/${p.total}${p.failed ? `, ${p.failed} failed` : ""}${flight}${eta}`;
}

/**
 * Until a team has finished, the rollout has no time left of its own: take the model's, the engine's
 * measured time plus AWS's for an update (workshop/capacity.ts); then the teams' own times.
 */
function withEstimate(p: RolloutProgress, concurrency: number): RolloutProgress {
  if (p.etaSeconds !== undefined || p.total <= p.done) return p;
  return { ...p, etaSeconds: estimate({ teams: p.total - p.done, concurrency, kind: "update" }).seconds };
}

/**
 * The command line that resumes: this one as typed, without --canary and --dry-run. The canary of
 * the resumed run is the one that failed, if one did (the state file remembers it), else the next
 * team with a change.
 */
export function resumeCommand(cmd: Command): string {
  const args: string[] = [];
  for (const c of [cmd.parent, cmd]) {
    for (const opt of c?.options ?? []) {
      const name = opt.attributeName();
      if (c!.getOptionValueSource(name) !== "cli" || ["canary", "dryRun"].includes(name)) continue;
      const v = c!.getOptionValue(name) as unknown;
      args.push(opt.long!, ...(typeof v === "boolean" ? [] : Array.isArray(v) ? v.map(String) : [String(v)]));
    }
    if (c === cmd.parent) args.push("update");
  }
  return `npm run workshop -- ${args.join(" ")}`;
}

/** Reads a team's Flink application status (ApplicationStatus) from its outputs: on AWS (or --endpoint). */
export type StatusFactory = (c: Common) => (team: string, outputs: Record<string, OutputValue>) => Promise<string>;

const awsStatus =
  (state: StateStore): StatusFactory =>
  (c) =>
  async (team, outputs) => {
    const t = targetOf(team, state.get(team)!, profileValue(eventProfile(c).base, "event"), outputs);
    const clients = teamClients(t, accessOf(c));
    try {
      return (await flinkFacts(clients, t.flinkApplicationName)).status;
    } finally {
      clients.close();
    }
  };

/** The canary check the command runs: on AWS (or --endpoint) with the team's outputs. */
export type CheckFactory = (
  c: Common,
  o: { check: string; timeoutSeconds: number },
) => (team: string, outputs: Record<string, OutputValue>) => Promise<CanaryVerdict>;

const awsCheck =
  (state: StateStore): CheckFactory =>
  (c, o) =>
  async (team, outputs) => {
    try {
      const t = targetOf(team, state.get(team)!, profileValue(eventProfile(c).base, "event"), outputs);
      const clients = teamClients(t, accessOf(c));
      try {
        return await checkCanary(t, clients, {
          runningTimeoutMs: o.timeoutSeconds * 1000,
          pollMs: 5000,
          ...(o.check === "smoke" ? { smoke: { ...SMOKE_DEFAULTS, timeoutMs: o.timeoutSeconds * 1000, concurrency: 1 } } : {}),
        });
      } finally {
        clients.close();
      }
    } catch (e) {
      return { ok: false, detail: e instanceof Error ? e.message.split("\n")[0]! : String(e) };
    }
  };

/** What the command reads on AWS, replaceable in a test. */
type UpdateDeps = Deps & { check?: CheckFactory; status?: StatusFactory };

export function updateCommand(deps: UpdateDeps = defaultDeps): Command {
  return new Command("update")
    .description(
      "roll what changed (program, JAR, event profile) out to every team that is up: preview all with the policy pack, update a canary and check it, then the rest; stops at the first failure; run again to resume",
    )
    .option("--canary <team>", "the team updated and checked first (default: the first team with something to change)")
    .addOption(concurrencyOption("teams updated at once after the canary"))
    .option("--dry-run", "preview every team and print the summary; change nothing")
    .option(
      "--include-stopped",
      "also update teams whose Flink application is stopped though their event runs (cost --stop-over-cap, or by hand): they stay stopped, and are never the canary; default: set them aside",
    )
    .addOption(
      new Option(
        "--check <how>",
        "how the canary is checked: running (its Flink application RUNNING again) or smoke (also the lab's traffic until its alert: the job scores windows)",
      )
        .choices(["running", "smoke"])
        .default("smoke"),
    )
    .option("--check-timeout <s>", "seconds the canary may take to pass its check", numberOption("--check-timeout", { above: true }), 600)
    .addOption(attemptsOption())
    .addOption(busyWaitOption())
    .addHelpText(
      "after",
      "\nWhat each kind of change costs an attendee, and what a bare `pulumi up` after endsAt does: docs/running-an-event.md (Changing something mid-event).",
    )
    .action((o: UpdateFlags, cmd: Command) => runUpdate(deps, o, cmd));
}

/** update's options, as commander parses them. */
interface UpdateFlags {
  readonly canary?: string;
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  readonly includeStopped?: boolean;
  readonly check: string;
  readonly checkTimeout: number;
  readonly attempts: number;
  readonly busyWait: number;
}

/** The command: the rollout with its progress on stderr and one log per team, then the outcome and the exit code. */
async function runUpdate(deps: UpdateDeps, o: UpdateFlags, cmd: Command): Promise<void> {
  const c = common(cmd);
  if (!existsSync(c.state)) throw new Error(`no state file at ${c.state}: run provision first`);
  const state = fileState(c.state);
  const { base, project } = eventProfile(c);
  mkdirSync(c.logs, { recursive: true });
  const concurrency = chooseConcurrency(o.concurrency, (line) => deps.err(`${line}\n`), "update");
  try {
    const report = await rollout(deps.workspace(c), state, {
      project,
      profile: base,
      concurrency,
      ...(o.canary !== undefined ? { canary: o.canary } : {}),
      ...(o.dryRun ? { dryRun: true } : {}),
      ...(o.includeStopped ? { includeStopped: true } : {}),
      applicationStatus: (deps.status ?? awsStatus(state))(c),
      now: deps.now(),
      attempts: o.attempts,
      busyWaitMs: o.busyWait * 1000,
      onWait: (team, why) => deps.err(`update: ${team}: ${why}\n`),
      check: (deps.check ?? awsCheck(state))(c, { check: o.check, timeoutSeconds: o.checkTimeout }),
      onProgress: (p) => deps.err(`${progressLine(withEstimate(p, concurrency))}\n`),
      log: (team, line) => appendFileSync(join(c.logs, `${team}.log`), `${line}\n`),
      onPlan: (r) => deps.out(renderPlan(r)),
    });
    deps.out(renderOutcome(report, resumeCommand(cmd)));
    if (report.refused.length) deps.fail(2);
    else if (report.stopped) deps.fail(1);
  } catch (e) {
    if (!(e instanceof RolloutError)) throw e;
    deps.err(`${e.message}\n`);
    deps.fail(2);
  }
}
