// `npm run workshop -- outputs`: each team's stack outputs as JSON, secrets hidden.

import { Command } from "commander";
import { fileState } from "../../workshop/state";
import { common, defaultDeps, type Deps } from "./common";

/** `outputs`: every team that is up, its outputs as JSON on deps.out. */
export function outputsCommand(deps: Deps = defaultDeps): Command {
  return new Command("outputs")
    .description("each team's stack outputs as JSON (secrets stay hidden)")
    .action(async (_o: unknown, cmd: Command) => {
      const c = common(cmd);
      const ws = deps.workspace(c);
      const out: Record<string, Record<string, unknown>> = {};
      for (const [team, r] of Object.entries(fileState(c.state).all()).filter(([, r]) => r.status === "up")) {
        const o = await ws.outputs(r.stack, r.profile);
        out[team] = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
      }
      deps.out(JSON.stringify(out, null, 2) + "\n");
    });
}
