// `npm run workshop -- smoke`: the lab's traffic into every team's stream, and each team's alert
// evidence awaited (workshop/smoke.ts). Exit 1 if any team did not alert.

import { existsSync } from "node:fs";
import { Command } from "commander";
import { labWindowSeconds } from "../../components/analytics";
import { SMOKE_DEFAULTS, smoke, type SmokeResult } from "../../workshop/smoke";
import { fileState } from "../../workshop/state";
import { isReachable, teamTargets } from "../../workshop/teamAws";
import { numberOption } from "../options";
import { renderTable } from "../table";
import { accessOf, common, defaultDeps, type Deps, eventProfile, profileValue } from "./common";

/** One line per team (PASS/FAIL, outcome, seconds, records sent, the CSV or the reason), then the count. */
export function renderSmoke(results: readonly SmokeResult[]): string {
  const rows = results.map((r) => [
    r.team,
    r.verdict === "alerted" ? "PASS" : "FAIL",
    r.verdict,
    `${r.seconds.toFixed(0)} s`,
    String(r.sent),
    r.evidence ?? r.detail ?? "",
  ]);
  const failed = results.filter((r) => r.verdict !== "alerted").length;
  return (
    renderTable(["TEAM", "VERDICT", "OUTCOME", "TIME", "SENT", "EVIDENCE / REASON"], rows) +
    `smoke: ${results.length - failed} of ${results.length} team(s) alerted${failed ? `, ${failed} failed` : ""}.\n`
  );
}

/** `smoke`: exit 1 (through deps.fail) when any team did not alert. */
export function smokeCommand(deps: Deps = defaultDeps): Command {
  const d = SMOKE_DEFAULTS;
  return new Command("smoke")
    .description(
      "send the lab's traffic (steady, then the burst; compressed) to every team's stream and wait for each team's alert CSV; exit 1 if any team fails",
    )
    .option("-t, --team <name...>", "only these teams")
    .option(
      "--compression <x>",
      `play the lab this many times faster (the deployed windows stay ${labWindowSeconds()} s)`,
      numberOption("--compression", { above: true }),
      d.compression,
    )
    .option(
      "--steady-seconds <s>",
      "lab seconds of steady traffic before the burst (the forest's history)",
      numberOption("--steady-seconds", { min: 0 }),
      d.steadySeconds,
    )
    .option(
      "--timeout <s>",
      "seconds per team from the first record to giving up",
      numberOption("--timeout", { above: true }),
      d.timeoutMs / 1000,
    )
    .option("--poll <s>", "seconds between two looks at the processed bucket", numberOption("--poll", { above: true }), d.pollMs / 1000)
    .option("-c, --concurrency <n>", "teams tested at once", numberOption("--concurrency", { min: 1, integer: true }), d.concurrency)
    .action(
      async (
        o: { team?: string[]; compression: number; steadySeconds: number; timeout: number; poll: number; concurrency: number },
        cmd: Command,
      ) => {
        const c = common(cmd);
        if (!existsSync(c.state)) throw new Error(`no state file at ${c.state}: run provision first`);
        const event = profileValue(eventProfile(c).base, "event");
        const targets = await teamTargets(fileState(c.state), () => deps.workspace(c), event, {
          teams: o.team ?? [],
          concurrency: o.concurrency,
        });
        const up = targets.filter((t) => isReachable(t) || t.record.status === "up");
        if (up.length === 0) throw new Error("no team is up: run provision first");
        deps.err(`smoke: ${up.length} team(s), at most ${o.concurrency} at once, ${o.timeout} s each at most.\n`);
        const results = await smoke(
          up,
          accessOf(c),
          {
            compression: o.compression,
            steadySeconds: o.steadySeconds,
            timeoutMs: o.timeout * 1000,
            pollMs: o.poll * 1000,
            concurrency: o.concurrency,
          },
          (team, line) => deps.err(`  ${team}: ${line}\n`),
        );
        deps.out(renderSmoke(results));
        if (results.some((r) => r.verdict !== "alerted")) deps.fail(1);
      },
    );
}
