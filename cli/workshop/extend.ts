// `npm run workshop -- extend --until <time> [--team …]`: move the event's end for the chosen teams
// (all teams that are up, by default) and bring back what the end switched off: the KDG user and a
// stopped Flink application (workshop/extend.ts). Bad input exits 2 with every problem and
// nothing changed; a team that fails exits 1, the others are still extended.

import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { readProject } from "../../infra/stackFiles";
import { ROOT } from "../../paths";
import { estimate, formatDuration } from "../../workshop/capacity";
import { extend, extendClients, ExtendError, formatExtension } from "../../workshop/extend";
import { fileState } from "../../workshop/state";
import { numberOption } from "../options";
import { attemptsOption, busyWaitOption, chooseConcurrency, common, defaultDeps, type Deps } from "./common";

export function extendCommand(deps: Deps = defaultDeps): Command {
  return new Command("extend")
    .description(
      "move endsAt later for the chosen teams (stack config + up), re-enable their KDG users and start stopped Flink applications from their latest snapshot",
    )
    .requiredOption(
      "-u, --until <time>",
      "the new end, ISO 8601 with a time zone (2026-12-01T19:00:00Z); in the future, at most 14 days ahead, not before a team's current end",
    )
    .option("-t, --team <name...>", "only these teams (default: every team that is up)")
    .option(
      "-c, --concurrency <n>",
      "teams extended at once (default: what this machine's free memory and cores hold, from the measured cost per team; printed)",
      numberOption("--concurrency", { min: 1, integer: true }),
    )
    .addOption(attemptsOption())
    .addOption(busyWaitOption())
    .addHelpText(
      "after",
      "\nRe-running provision afterwards skips extended teams (their config hash is kept), so it does not undo the extension.",
    )
    .action(async (o: { until: string; team?: string[]; concurrency?: number; attempts: number; busyWait: number }, cmd: Command) => {
      const c = common(cmd);
      if (!existsSync(c.state)) throw new Error(`no state file at ${c.state}: run provision first`);
      const state = fileState(c.state);
      const teams =
        o.team ??
        Object.entries(state.all())
          .filter(([, r]) => r.status === "up")
          .map(([t]) => t);
      if (teams.length === 0) return void deps.out("No team is up: nothing to extend.\n");
      // The project folder option (--project) where this CLI has it; the repository otherwise.
      const project = readProject(cmd.optsWithGlobals<{ project?: string }>().project ?? ROOT).name;
      mkdirSync(c.logs, { recursive: true });
      const concurrency = chooseConcurrency(o.concurrency, (line) => deps.err(`${line}\n`), "update");
      const e = estimate({ teams: teams.length, concurrency, kind: "update" });
      deps.err(`Estimated time: ~${formatDuration(e.seconds)}, at most ${formatDuration(e.boundSeconds)} (${e.basis}).\n`);
      try {
        const results = await extend(teams, deps.workspace(c), state, {
          until: o.until,
          project,
          now: deps.now(),
          concurrency,
          attempts: o.attempts,
          readyTimeoutMs: o.busyWait * 1000,
          clients: (region, profile) => extendClients(region, profile, c.endpoint ? { flink: c.endpoint, cognito: c.endpoint } : undefined),
          log: (team, line) => {
            appendFileSync(join(c.logs, `${team}.log`), `${line}\n`);
            deps.err(`${team}: ${line}\n`);
          },
        });
        deps.out(formatExtension(results));
        if (results.some((r) => r.outcome === "failed")) deps.fail(1);
      } catch (e) {
        if (!(e instanceof ExtendError)) throw e;
        deps.err(`${e.message}\n`);
        deps.fail(2);
      }
    });
}
