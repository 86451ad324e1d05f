// `npm run workshop -- status`: per team, the stack, the Flink application, the e-mail
// subscription, the last alert, and after the event's end what still bills (workshop/status.ts).

import { existsSync } from "node:fs";
import { Command } from "commander";
import { fileState } from "../../workshop/state";
import { statusOf, type TeamStatusReport } from "../../workshop/status";
import { teamTargets } from "../../workshop/teamAws";
import { numberOption } from "../options";
import { renderTable } from "../table";
import { accessOf, common, defaultDeps, type Deps, eventProfile, profileValue } from "./common";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The report as a table; a pending subscription and a missing alert are spelled out, since they are why no e-mail comes. */
export function renderStatus(reports: readonly TeamStatusReport[], now: Date): string {
  const ago = (d: Date) => `${Math.round((now.getTime() - d.getTime()) / 60_000)} min ago`;
  const rows = reports.map((r) => [
    r.team,
    r.stack,
    r.stackStatus,
    r.flinkStatus ?? "-",
    r.subscription === "pending" ? "PENDING (not confirmed)" : (r.subscription ?? "-"),
    r.lastAlertAt ? `${r.lastAlertAt.toISOString().slice(0, 19)}Z (${ago(r.lastAlertAt)})` : r.lastAlertAt === null ? "none yet" : "-",
    r.endsAt ? `${r.endsAt}${r.ended ? " (ended)" : ""}` : "-",
    r.residual ? `${usd(r.residual.usdPerDay)}/day` : "-",
    r.problems.join("; "),
  ]);
  const lines = [renderTable(["TEAM", "STACK", "STATUS", "FLINK", "E-MAIL", "LAST ALERT", "ENDS", "STILL BILLS", "PROBLEMS"], rows)];
  const residual = reports.filter((r) => r.residual);
  if (residual.length) {
    const total = residual.reduce((s, r) => s + r.residual!.usdPerDay, 0);
    lines.push(`After the end, ${residual.length} team(s) still bill ${usd(total)} a day (${usd(total * 30)} a month) until destroy:`);
    for (const r of residual) lines.push(`  ${r.team}: ${r.residual!.parts.map((p) => `${p.what} ${usd(p.usdPerDay)}`).join(", ")}`);
    lines.push("  npm run workshop -- destroy --expired\n");
  }
  const pending = reports.filter((r) => r.subscription === "pending").map((r) => r.team);
  if (pending.length)
    lines.push(
      `No e-mail will reach ${pending.join(", ")} until the address confirms the subscription (the link in AWS's "Subscription Confirmation" e-mail).\n`,
    );
  return lines.join("\n");
}

/** `status`: reads only the state file for teams that are not up, so it needs no passphrase for those. */
export function statusCommand(deps: Deps = defaultDeps): Command {
  return new Command("status")
    .description(
      "per team: the stack, the Flink application's status, the e-mail subscription (confirmed or pending), the last alert, and after endsAt what still bills per day",
    )
    .option("-t, --team <name...>", "only these teams")
    .option("-c, --concurrency <n>", "teams read at once", numberOption("--concurrency", { min: 1, integer: true }), 8)
    .action(async (o: { team?: string[]; concurrency: number }, cmd: Command) => {
      const c = common(cmd);
      if (!existsSync(c.state)) return void deps.out("No teams yet: run provision.\n");
      const event = profileValue(eventProfile(c).base, "event");
      const targets = await teamTargets(fileState(c.state), () => deps.workspace(c), event, {
        teams: o.team ?? [],
        concurrency: o.concurrency,
      });
      if (targets.length === 0) return void deps.out("No teams yet: run provision.\n");
      const now = deps.now();
      deps.out(renderStatus(await statusOf(targets, accessOf(c), { concurrency: o.concurrency, now }), now));
    });
}
