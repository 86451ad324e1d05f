// `npm run cost -- --stack <name> --teams N --hours H [--from T] [--ends-at T]`: what an event will
// cost, from the same priced model the policy pack's budget rule uses (policy/cost), applied to the
// resources the program really creates for that stack (offline plan). The stacks bill from
// provisioning (`--from`, now by default) to the event's end (`--ends-at`, or the stack file's
// endsAt), when the Flink applications stop: the lab's hours at the lab's traffic, the rest idle
// (issue 23: a day-before provisioning runs every application about 30 hours, not 6).

import { Command } from "commander";
import { estimate, type CostLine } from "../policy/cost/model";
import { PRICES } from "../policy/cost/prices";
import { LAB_REGION } from "../infra/config";
import { readProject, stackConfig } from "../infra/stackFiles";
import { parseInstant } from "../policy/limits";
import { MockAccount } from "../offline/fakeAws/account";
import { numberOption } from "./options";
import { runCli } from "./run";
import { renderTable } from "./table";
import { planStack } from "../offline/plan";

export interface EventCost {
  readonly rows: { type: string; count: number; usdPerTeamHour: number; usdPerEvent: number; basis: string }[];
  /** One team's cost per hour of the lab, at the lab's busiest traffic, in USD. */
  readonly usdPerTeamHour: number;
  /** One team's cost per idle hour (the stack up, no traffic): the types in STANDING_TYPES, in USD. */
  readonly usdPerIdleTeamHour: number;
  /** Hours of lab (traffic) and of idle running, per team. */
  readonly labHours: number;
  readonly idleHours: number;
  /** teams × (labHours × usdPerTeamHour + idleHours × usdPerIdleTeamHour), in USD. */
  readonly usdPerEvent: number;
}

/**
 * The types that bill by the hour whether or not traffic flows (an application's KPUs, a stream's
 * shards, a dashboard); the others bill per record, request or byte (Firehose, Lambda, S3 PUTs, log
 * ingestion), so an idle hour costs them nothing. A stream's PUT units ride along with its shards:
 * an idle hour is priced a little high, never low.
 */
export const STANDING_TYPES: readonly string[] = [
  "aws:kinesisanalyticsv2/application:Application",
  "aws:kinesis/stream:Stream",
  "aws:cloudwatch/dashboard:Dashboard",
];

/** How long the stacks run: the lab's hours, and the idle rest until the event's end. */
export interface Hours {
  /** Hours the lab's traffic flows (each team's busy hours), above 0. */
  readonly lab: number;
  /** Hours the stacks run in all, from provisioning to endsAt; the lab's hours when unknown or shorter. */
  readonly running?: number;
}

/**
 * Prices `teams` copies of the stack's resources for the given hours.
 * @throws the offline plan's errors (a missing JAR, a broken stack file).
 */
export async function eventCost(stack: string, teams: number, hours: number | Hours): Promise<EventCost> {
  const h: Hours = typeof hours === "number" ? { lab: hours } : hours;
  const labHours = h.lab;
  const idleHours = Math.max(0, (h.running ?? labHours) - labHours);
  const account = new MockAccount();
  await planStack(stack, { account });
  const { lines, usdPerHour } = estimate(account.ofStack(stack).map((r) => ({ type: r.type, props: r.inputs as Record<string, any> })));
  const byType = new Map<string, CostLine[]>();
  for (const l of lines) byType.set(l.type, [...(byType.get(l.type) ?? []), l]);
  const rows = [...byType.entries()]
    .map(([type, ls]) => {
      const perHour = ls.reduce((s, l) => s + l.usdPerHour, 0);
      const idle = STANDING_TYPES.includes(type) ? perHour : 0;
      return {
        type,
        count: ls.length,
        usdPerTeamHour: perHour,
        usdPerEvent: teams * (perHour * labHours + idle * idleHours),
        basis: ls[0]!.basis,
      };
    })
    .sort((a, b) => b.usdPerTeamHour - a.usdPerTeamHour || a.type.localeCompare(b.type));
  const usdPerIdleTeamHour = lines.filter((l) => STANDING_TYPES.includes(l.type)).reduce((sum, l) => sum + l.usdPerHour, 0);
  return {
    rows,
    usdPerTeamHour: usdPerHour,
    usdPerIdleTeamHour,
    labHours,
    idleHours,
    usdPerEvent: teams * (usdPerHour * labHours + usdPerIdleTeamHour * idleHours),
  };
}

/**
 * The hours from `from` to `endsAt` (the stacks' whole run), or undefined when no end is known.
 * @throws Error naming the option when the end is not after `from`.
 */
export function runningHours(from: Date, endsAt: Date | undefined): number | undefined {
  if (!endsAt) return undefined;
  const hours = (endsAt.getTime() - from.getTime()) / 3_600_000;
  if (!(hours > 0)) throw new Error(`--ends-at ${endsAt.toISOString()} is not after --from ${from.toISOString()}`);
  return hours;
}

export function formatCost(c: EventCost, stack: string, teams: number, budget: number): string {
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
    `Estimated cost of stack ${stack} for ${teams} team(s): ${hoursText(c)}, ${LAB_REGION} list prices:`,
    "",
    table.trimEnd(),
    "",
    `Per team-hour: ${usd(c.usdPerTeamHour)}  (budget ${usd(budget)}: ${c.usdPerTeamHour <= budget ? "within" : "OVER"})`,
    `Per idle team-hour: ${usd(c.usdPerIdleTeamHour)}  (${STANDING_TYPES.map((t) => t.split(":").pop()).join(", ")} bill with no traffic)`,
    `Per event:     ${usd(c.usdPerEvent)}  (lab ${usd(teams * c.usdPerTeamHour * c.labHours)} + idle ${usd(teams * c.usdPerIdleTeamHour * c.idleHours)})`,
    "",
    ...(c.idleHours > 0
      ? [
          `The applications run until endsAt: ${c.idleHours.toFixed(1)} idle hour(s) per team cost ${usd(teams * c.usdPerIdleTeamHour * c.idleHours)}.`,
          "To stop them overnight, provision with endsAt at the end of the first day (the applications stop then), and on the",
          "day run `npm run workshop -- extend --until <the event's end>`: it moves endsAt and starts every stopped application.",
          "",
        ]
      : []),
    `Assumes the lab's busiest traffic all hour long. Not included: SMS (billed per message by country),`,
    `data transfer out, and Managed Flink's 10-minute minimum per start (${usd((PRICES.flinkKpuHour.usd * 2) / 6)} per start for 1 KPU).`,
    "Prices and their sources: policy/cost/prices.ts.",
  ].join("\n");
}

function hoursText(c: EventCost): string {
  return c.idleHours > 0
    ? `${(c.labHours + c.idleHours).toFixed(1)} hour(s) running, ${c.labHours} of them lab and ${c.idleHours.toFixed(1)} idle`
    : `${c.labHours} lab hour(s)`;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("npm run cost --")
    .description("Estimate an event's AWS cost from the resources a team stack creates.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml describes one team (e.g. workshop) (required)")
    .option("-t, --teams <n>", "number of teams", numberOption("--teams", { above: true }), 1)
    .option("-H, --hours <h>", "hours of lab per team (the lab's traffic flows)", numberOption("--hours", { above: true }), 1)
    .option("--from <time>", "when the stacks are provisioned, ISO 8601 with a zone (default: now)")
    .option("--ends-at <time>", "when the event ends and the applications stop (default: the stack file's endsAt)")
    .option("--budget <usd>", "per-team hourly budget to compare against", numberOption("--budget", { above: true }), 0.5)
    .option("--json", "print JSON")
    .showHelpAfterError()
    .parse(argv);
  const o = program.opts<{ stack: string; teams: number; hours: number; budget: number; from?: string; endsAt?: string; json?: boolean }>();
  // Checked after parsing, so that a mistyped option (--stak) is named first, with a suggestion.
  if (!o.stack) program.error("error: required option '-s, --stack <name>' not specified");
  const instant = (option: string, text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const at = parseInstant(text);
    if (!at)
      program.error(`error: ${option} ${JSON.stringify(text)} is not an ISO 8601 date and time with a time zone (2026-12-01T17:00:00Z)`);
    return at;
  };
  const from = instant("--from", o.from) ?? new Date();
  const stackEnd = stackConfig(o.stack).config[`${readProject().name}:endsAt`];
  const endsAt = instant("--ends-at", o.endsAt) ?? instant("endsAt (the stack file's)", stackEnd);
  const running = runningHours(from, endsAt);
  const cost = await eventCost(o.stack, o.teams, { lab: o.hours, ...(running !== undefined ? { running } : {}) });
  process.stdout.write((o.json ? JSON.stringify(cost, null, 2) : formatCost(cost, o.stack, o.teams, o.budget)) + "\n");
}

if (require.main === module) runCli(main);
