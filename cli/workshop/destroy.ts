// `npm run workshop -- destroy`: tear down the chosen teams' stacks and look for leftovers; it ends
// with a receipt (workshop/receipt.ts): per team, what was deleted and what is still tagged.

import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { Orchestrator } from "../../workshop/orchestrator";
import { taggingApi } from "../../workshop/pulumiWorkspace";
import { formatReceipt, receiptOf } from "../../workshop/receipt";
import { fileState } from "../../workshop/state";
import { numberOption } from "../options";
import { busyWaitOption, common, defaultDeps, type Deps, eventProfile, profileValue, progressView, summary } from "./common";

/**
 * `destroy`: exit 1 (through deps.fail) when a team failed or left anything tagged. `tagging` finds
 * the leftovers (the Resource Groups Tagging API by default; a test hands the fake account's).
 */
export function destroyCommand(deps: Deps = defaultDeps): Command {
  return new Command("destroy")
    .description("destroy team stacks, remove them, and report anything still tagged with the team")
    .option("-t, --team <name...>", "these teams")
    .option("--all", "every team in the state file")
    .option("--expired", "teams whose endsAt has passed")
    .option("-c, --concurrency <n>", "stacks destroyed at once", numberOption("--concurrency", { min: 1, integer: true }), 4)
    .addOption(busyWaitOption())
    .action(async (o: { team?: string[]; all?: boolean; expired?: boolean; concurrency: number; busyWait: number }, cmd: Command) => {
      const c = common(cmd);
      const chosen = [o.team !== undefined, o.all === true, o.expired === true].filter(Boolean).length;
      if (chosen !== 1) throw new Error("name exactly one of --team, --all or --expired");
      const state = fileState(c.state);
      const event = profileValue(eventProfile(c).base, "event");
      const known = state.all();
      const unknown = (o.team ?? []).filter((t) => !known[t]);
      if (unknown.length) throw new Error(`not in ${c.state}: ${unknown.join(", ")}`);
      const now = deps.now().getTime();
      const teams = Object.entries(known)
        .filter(
          ([t, r]) =>
            r.status !== "destroyed" && (o.all || (o.team ?? []).includes(t) || (o.expired && r.endsAt && Date.parse(r.endsAt) < now)),
        )
        .map(([team, r]) => ({ team, stack: r.stack, event, ...(r.profile ? { profile: r.profile } : {}) }));
      if (teams.length === 0) return void deps.out("Nothing to destroy.\n");
      mkdirSync(c.logs, { recursive: true });
      const view = progressView(teams.map((t) => t.team));
      const results = await new Orchestrator(deps.workspace(c), state, deps.tagging ?? taggingApi).destroy(teams, {
        concurrency: o.concurrency,
        busyWaitMs: o.busyWait * 1000,
        onProgress: view.update,
        log: (team, line) => appendFileSync(join(c.logs, `${team}.log`), `${line}\n`),
      });
      view.stop();
      deps.out(summary(results, "destroy") + "\n\n" + formatReceipt(receiptOf(results, event)));
      if (results.some((r) => r.state === "failed" || (r.leftovers?.length ?? 0) > 0)) deps.fail(1);
    });
}
