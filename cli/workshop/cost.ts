// `npm run workshop -- cost`: what each team spends now and has spent at most, from its actual
// resources and the cost model (workshop/spend.ts); with --cap, the teams above it, and with
// --stop-over-cap their Flink applications stopped.

import { existsSync } from "node:fs";
import { Command } from "commander";
import { costOfTeam, type TeamCostCheck, type TeamSpend } from "../../workshop/spend";
import { fileState } from "../../workshop/state";
import { forEachTeam, teamTargets } from "../../workshop/teamAws";
import { numberOption } from "../options";
import { renderTable } from "../table";
import { accessOf, common, defaultDeps, type Deps, eventProfile, profileValue } from "./common";

/** One team's line (workshop/spend.ts costOfTeam). */
export type TeamCost = TeamCostCheck;

const usd = (n: number) => `$${n.toFixed(2)}`;

/** One line per team (dollars now per hour, Flink hours and dollars so far at most, after-end per day, cap verdict, action), then totals. */
export function renderCost(costs: readonly TeamCost[], cap: number | undefined): string {
  const rows = costs.map((t) => [
    t.team,
    t.flinkStatus ?? "-",
    t.spend ? `${usd(t.spend.usdPerHourNow)}/h` : "-",
    t.spend ? `${t.spend.flinkHoursAtMost.toFixed(1)} h` : "-",
    t.spend ? usd(t.spend.usdSoFar) : "-",
    t.residual ? `${usd(t.residual.usdPerDay)}/day` : "-",
    cap === undefined ? "-" : t.overCap ? "OVER" : "ok",
    t.action ?? t.problem ?? "",
  ]);
  const known = costs.filter((t) => t.spend);
  const total = (f: (s: TeamSpend) => number) => known.reduce((s, t) => s + f(t.spend!), 0);
  return (
    renderTable(
      [
        "TEAM",
        "FLINK",
        "NOW",
        "FLINK HOURS (AT MOST)",
        "SO FAR (AT MOST)",
        "AFTER END",
        `CAP${cap === undefined ? "" : ` ${usd(cap)}`}`,
        "ACTION / PROBLEM",
      ],
      rows,
    ) +
    `${known.length} team(s): ${usd(total((s) => s.usdPerHourNow))}/h now, at most ${usd(total((s) => s.usdSoFar))} so far. Prices: policy/cost/prices.ts.\n`
  );
}

/** `cost`: exit 1 (through deps.fail) when a StopApplication it asked for failed. */
export function costCommand(deps: Deps = defaultDeps): Command {
  return new Command("cost")
    .description(
      "what each team spends now (its streams' shards and its Flink application's KPUs, read live) and has spent at most; --cap marks teams above it, --stop-over-cap stops their Flink applications",
    )
    .option("-t, --team <name...>", "only these teams")
    .option("--cap <usd>", "dollars per team: teams whose spend so far is above it are marked OVER", numberOption("--cap", { above: true }))
    .option(
      "--stop-over-cap",
      // workshop/rollout.ts sets aside a team whose application is stopped while its event runs;
      // an instructor who stops teams here should know the next update skips them.
      "stop the Flink application of every team over the cap (StopApplication with a snapshot); update then sets those teams aside (update --include-stopped includes them)",
    )
    .option("-c, --concurrency <n>", "teams read at once", numberOption("--concurrency", { min: 1, integer: true }), 8)
    .action(async (o: { team?: string[]; cap?: number; stopOverCap?: boolean; concurrency: number }, cmd: Command) => {
      const c = common(cmd);
      if (o.stopOverCap && o.cap === undefined) throw new Error("--stop-over-cap needs --cap <usd>");
      if (!existsSync(c.state)) throw new Error(`no state file at ${c.state}: run provision first`);
      const event = profileValue(eventProfile(c).base, "event");
      const targets = await teamTargets(fileState(c.state), () => deps.workspace(c), event, {
        teams: o.team ?? [],
        concurrency: o.concurrency,
      });
      const now = deps.now();
      const costs = await forEachTeam<TeamCost>(
        targets,
        accessOf(c),
        o.concurrency,
        (t, cl) => costOfTeam(t, cl, { ...(o.cap !== undefined ? { cap: o.cap } : {}), stopOverCap: Boolean(o.stopOverCap), now }),
        (u) => ({ team: u.team, overCap: false, problem: u.error }),
      );
      deps.out(renderCost(costs, o.cap));
      if (costs.some((t) => t.action?.startsWith("stop failed"))) deps.fail(1);
    });
}
