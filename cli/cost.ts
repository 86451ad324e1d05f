// `npm run cost -- --stack <name> --teams N --hours H`: what an event will cost, from the same
// priced model the policy pack's budget rule uses (policy/cost), applied to the resources the
// program really creates for that stack (offline plan).

import { Command } from "commander";
import { estimate, type CostLine } from "../policy/cost/model";
import { PRICES } from "../policy/cost/prices";
import { LAB_REGION } from "../infra/config";
import { MockAccount } from "../offline/fakeAws/account";
import { numberOption } from "./options";
import { runCli } from "./run";
import { renderTable } from "./table";
import { planStack } from "../offline/plan";

export interface EventCost {
  readonly rows: { type: string; count: number; usdPerTeamHour: number; usdPerEvent: number; basis: string }[];
  readonly usdPerTeamHour: number;
  readonly usdPerEvent: number;
}

export async function eventCost(stack: string, teams: number, hours: number): Promise<EventCost> {
  const account = new MockAccount();
  await planStack(stack, { account });
  const { lines, usdPerHour } = estimate(account.ofStack(stack).map((r) => ({ type: r.type, props: r.inputs as Record<string, any> })));
  const byType = new Map<string, CostLine[]>();
  for (const l of lines) byType.set(l.type, [...(byType.get(l.type) ?? []), l]);
  const rows = [...byType.entries()]
    .map(([type, ls]) => {
      const perHour = ls.reduce((s, l) => s + l.usdPerHour, 0);
      return { type, count: ls.length, usdPerTeamHour: perHour, usdPerEvent: perHour * teams * hours, basis: ls[0]!.basis };
    })
    .sort((a, b) => b.usdPerTeamHour - a.usdPerTeamHour || a.type.localeCompare(b.type));
  return { rows, usdPerTeamHour: usdPerHour, usdPerEvent: usdPerHour * teams * hours };
}

export function formatCost(c: EventCost, stack: string, teams: number, hours: number, budget: number): string {
  const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
  const rows = c.rows.map((r) => [
    r.type.replace(/^aws:([a-z0-9]+)\/[A-Za-z0-9]+:/, "aws:$1:"),
    String(r.count),
    usd(r.usdPerTeamHour),
    usd(r.usdPerEvent),
    r.basis,
  ]);
  const table = renderTable(["RESOURCE TYPE", "PER TEAM", "$/TEAM-HOUR", "$/EVENT", "BASIS"], rows, [
    "left",
    "right",
    "right",
    "right",
    "left",
  ]);
  return [
    `Estimated cost of stack ${stack} for ${teams} team(s) over ${hours} hour(s), ${LAB_REGION} list prices:`,
    "",
    table.trimEnd(),
    "",
    `Per team-hour: ${usd(c.usdPerTeamHour)}  (budget ${usd(budget)}: ${c.usdPerTeamHour <= budget ? "within" : "OVER"})`,
    `Per event:     ${usd(c.usdPerEvent)}`,
    "",
    `Assumes the lab's busiest traffic all hour long. Not included: SMS (billed per message by country),`,
    `data transfer out, and Managed Flink's 10-minute minimum per start (${usd((PRICES.flinkKpuHour.usd * 2) / 6)} per start for 1 KPU).`,
    "Prices and their sources: policy/cost/prices.ts.",
  ].join("\n");
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("npm run cost --")
    .description("Estimate an event's AWS cost from the resources a team stack creates.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml describes one team (e.g. workshop) (required)")
    .option("-t, --teams <n>", "number of teams", numberOption("--teams", { above: true }), 1)
    .option("-H, --hours <h>", "hours the stacks stay up", numberOption("--hours", { above: true }), 1)
    .option("--budget <usd>", "per-team hourly budget to compare against", numberOption("--budget", { above: true }), 0.5)
    .option("--json", "print JSON")
    .showHelpAfterError()
    .parse(argv);
  const o = program.opts<{ stack: string; teams: number; hours: number; budget: number; json?: boolean }>();
  // Checked after parsing, so that a mistyped option (--stak) is named first, with a suggestion.
  if (!o.stack) program.error("error: required option '-s, --stack <name>' not specified");
  const cost = await eventCost(o.stack, o.teams, o.hours);
  process.stdout.write((o.json ? JSON.stringify(cost, null, 2) : formatCost(cost, o.stack, o.teams, o.hours, o.budget)) + "\n");
}

if (require.main === module) runCli(main);
