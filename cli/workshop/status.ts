// `npm run workshop -- status`: each team's stack and the outcome of its last operation.

import { existsSync } from "node:fs";
import { Command } from "commander";
import { fileState } from "../../workshop/state";
import { common, table } from "./common";

export function statusCommand(): Command {
  return new Command("status")
    .description("each team's stack and the outcome of its last operation (from the state file)")
    .action((_o: unknown, cmd: Command) => {
      const c = common(cmd);
      const teams = existsSync(c.state) ? fileState(c.state).all() : {};
      const rows = Object.entries(teams).map(([t, r]) => [t, r.stack, r.status, r.updatedAt, r.endsAt, (r.error ?? "").split("\n")[0]!]);
      if (rows.length === 0) return void process.stdout.write("No teams yet: run provision.\n");
      process.stdout.write(table([["TEAM", "STACK", "STATUS", "UPDATED", "ENDS", "ERROR"], ...rows]));
    });
}
