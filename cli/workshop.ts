// `npm run workshop -- <command>`: the instructor's tool for a whole event. provision takes a
// roster and brings up one team stack per row (workshop/orchestrator.ts over the Automation API);
// status, outputs and roster read what is there; destroy tears down and looks for leftovers.

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MultiBar, Presets } from "cli-progress";
import { Command, Option } from "commander";
import type { ConfigKey } from "../infra/config";
import { Orchestrator, type TeamProgress, type TeamResult } from "../workshop/orchestrator";
import { documentedDefaults, serviceQuotas } from "../workshop/quotas";
import { PulumiWorkspace, taggingApi } from "../workshop/pulumiWorkspace";
import { readRoster, RosterError, type RosterRow } from "../workshop/roster";
import { fileState } from "../workshop/state";
import type { StackSpec, Workspace } from "../workshop/workspace";
import { numberOption } from "./options";
import { runCli } from "./run";
import { stackConfig } from "../offline/plan";
import { ROOT } from "../paths";

const WORK = join(ROOT, ".workshop");

interface Common {
  profileStack: string;
  state: string;
  logs: string;
}

/** The event profile (Pulumi.workshop.yaml) as plain keys, and the encrypted ones it cannot pass on. */
function eventProfile(stack: string): { base: Partial<Record<ConfigKey, string>>; project: string; encrypted: string[] } {
  const { project, config, encrypted } = stackConfig(stack);
  const base: Partial<Record<ConfigKey, string>> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(`${project}:`)) base[k.slice(project.length + 1) as ConfigKey] = v;
  return { base, project, encrypted };
}

export function specsOf(rows: readonly RosterRow[], base: Partial<Record<ConfigKey, string>>, project: string): StackSpec[] {
  return rows.map((r) => {
    const values: Partial<Record<ConfigKey, string>> = { ...base, team: r.team, notificationEmail: r.email, ...(r.phone ? { notificationPhone: r.phone } : {}) };
    const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project}:${k}`, { value: v, secret: k === "kdgPassword" }]));
    return { team: r.team, stack: `${base.event ?? "clickstream"}-${r.team}`, config, ...(r.profile ? { profile: r.profile } : {}) };
  });
}

/** One line per team, redrawn in place on a terminal; plain lines every few seconds elsewhere. */
function progressView(teams: readonly string[]): { update: (p: TeamProgress) => void; stop: () => void } {
  const width = Math.max(...teams.map((t) => t.length), 4);
  const multi = new MultiBar(
    { format: `{team} {state} {bar} {value}/{total} resources  {elapsed}s {message}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const bars = new Map(teams.map((t) => [t, multi.create(0, 0, { team: t.padEnd(width), state: "queued".padEnd(10), elapsed: "0", message: "" })]));
  return {
    update: (p) => {
      const bar = bars.get(p.team);
      bar?.setTotal(Math.max(p.total, 1));
      bar?.update(p.done, { state: p.state.padEnd(10), elapsed: (p.elapsedMs / 1000).toFixed(0), message: p.message ?? (p.attempt > 1 ? `attempt ${p.attempt}` : "") });
    },
    stop: () => multi.stop(),
  };
}

function summary(results: readonly TeamResult[], verb: string): string {
  const by = (s: string) => results.filter((r) => r.state === s);
  const lines = [`${verb}: ${results.length} team(s): ${["up", "skipped", "destroyed", "failed"].map((s) => `${by(s).length} ${s}`).join(", ")}`];
  for (const r of by("failed")) lines.push(`  FAILED ${r.team} after ${r.attempts} attempt(s): ${(r.error ?? "").split("\n")[0]}`);
  for (const r of results) for (const arn of r.leftovers ?? []) lines.push(`  LEFTOVER ${r.team}: ${arn}`);
  return lines.join("\n");
}

function workspace(): Workspace {
  return new PulumiWorkspace();
}

export function program(): Command {
  const cli = new Command()
    .name("npm run workshop --")
    .description("Provision, watch, hand out and tear down one lab stack per team of an event.")
    .option("--profile-stack <name>", "stack file every team stack starts from", "workshop")
    .option("--state <file>", "where the tool remembers each team's stack and outcome", join(WORK, "state.json"))
    .option("--logs <dir>", "one log file per team", join(WORK, "logs"))
    .showHelpAfterError()
    .addHelpText("after", "\nBackend: the local file backend in .workshop/backend unless PULUMI_BACKEND_URL names another;\nPULUMI_CONFIG_PASSPHRASE encrypts secrets. See the README's instructor walkthrough.");

  cli
    .command("provision")
    .description("validate the roster, then bring up one stack per row (resumable: teams already up are skipped)")
    .requiredOption("-r, --roster <file.csv>", "CSV with columns team,email[,phone][,profile][,account]")
    .option("-c, --concurrency <n>", "stacks updated at once", numberOption("--concurrency", { min: 1, integer: true }), 4)
    .option("--attempts <n>", "attempts per team for transient failures (lock conflicts, throttling)", numberOption("--attempts", { min: 1, integer: true }), 4)
    .addOption(new Option("--quotas <source>", "where account quotas come from").choices(["service-quotas", "documented"]).default("service-quotas"))
    .option("--validate-only", "check the roster and stop")
    .action(async (o: { roster: string; concurrency: number; attempts: number; quotas: string; validateOnly?: boolean }) => {
      const c = cli.opts<Common>();
      const { base, project, encrypted } = eventProfile(c.profileStack);
      if (!existsSync(o.roster)) throw new Error(`no roster at ${o.roster}`);
      const rows = await readRoster(readFileSync(o.roster, "utf8"), base, o.quotas === "documented" ? documentedDefaults : serviceQuotas(base.region ?? "us-east-1"));
      process.stderr.write(`Roster: ${rows.length} team(s), all valid.\n`);
      if (encrypted.length) process.stderr.write(`Note: ${encrypted.join(", ")} is encrypted for the ${c.profileStack} stack; each team stack generates its own.\n`);
      if (o.validateOnly) return;
      const specs = specsOf(rows, base, project);
      mkdirSync(c.logs, { recursive: true });
      const view = progressView(specs.map((s) => s.team));
      const results = await new Orchestrator(workspace(), fileState(c.state)).provision(
        { specs, endsAt: base.endsAt ?? "" },
        { concurrency: o.concurrency, attempts: o.attempts, onProgress: view.update, log: (team, line) => appendFileSync(join(c.logs, `${team}.log`), `${line}\n`) },
      );
      view.stop();
      process.stdout.write(summary(results, "provision") + `\nLogs: ${c.logs}\n`);
      if (results.some((r) => r.state === "failed")) process.exitCode = 1;
    });

  cli
    .command("status")
    .description("each team's stack and the outcome of its last operation (from the state file)")
    .action(() => {
      const c = cli.opts<Common>();
      const teams = existsSync(c.state) ? fileState(c.state).all() : {};
      const rows = Object.entries(teams).map(([t, r]) => [t, r.stack, r.status, r.updatedAt, r.endsAt, (r.error ?? "").split("\n")[0]!]);
      if (rows.length === 0) return void process.stdout.write("No teams yet: run provision.\n");
      const table = [["TEAM", "STACK", "STATUS", "UPDATED", "ENDS", "ERROR"], ...rows];
      const w = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
      process.stdout.write(table.map((r) => r.map((x, i) => x.padEnd(w[i]!)).join("  ").trimEnd()).join("\n") + "\n");
    });

  cli
    .command("outputs")
    .description("each team's stack outputs as JSON (secrets stay hidden)")
    .action(async () => {
      const c = cli.opts<Common>();
      const ws = workspace();
      const out: Record<string, Record<string, unknown>> = {};
      for (const [team, r] of Object.entries(fileState(c.state).all()).filter(([, r]) => r.status === "up")) {
        const o = await ws.outputs(r.stack, r.profile);
        out[team] = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
      }
      process.stdout.write(JSON.stringify(out, null, 2) + "\n");
    });

  cli
    .command("roster")
    .description("the hand-out: team, KDG URL, username and password (decrypted for this export only)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["csv", "md", "html"]).default("md"))
    .option("-o, --out <file>", "write to a file instead of standard output")
    .action(async (o: { format: "csv" | "md" | "html"; out?: string }) => {
      const c = cli.opts<Common>();
      const ws = workspace();
      const rows: string[][] = [];
      for (const [team, r] of Object.entries(fileState(c.state).all()).filter(([, r]) => r.status === "up")) {
        const out = await ws.outputs(r.stack, r.profile);
        const text = (k: string) => (typeof out[k]?.value === "string" ? (out[k].value) : "");
        rows.push([team, text("kdgUrl"), text("kdgUsername"), text("kdgPassword")]);
      }
      process.stderr.write("WARNING: this hand-out contains KDG passwords in clear text. Share it only with the teams, and delete it after the event.\n");
      const text = formatRoster(rows, o.format);
      if (o.out) writeFileSync(o.out, text, { mode: 0o600 });
      else process.stdout.write(text);
    });

  cli
    .command("destroy")
    .description("destroy team stacks, remove them, and report anything still tagged with the team")
    .option("-t, --team <name...>", "these teams")
    .option("--all", "every team in the state file")
    .option("--expired", "teams whose endsAt has passed")
    .option("-c, --concurrency <n>", "stacks destroyed at once", numberOption("--concurrency", { min: 1, integer: true }), 4)
    .action(async (o: { team?: string[]; all?: boolean; expired?: boolean; concurrency: number }) => {
      const c = cli.opts<Common>();
      const chosen = [o.team !== undefined, o.all === true, o.expired === true].filter(Boolean).length;
      if (chosen !== 1) throw new Error("name exactly one of --team, --all or --expired");
      const state = fileState(c.state);
      const { base } = eventProfile(c.profileStack);
      const known = state.all();
      const unknown = (o.team ?? []).filter((t) => !known[t]);
      if (unknown.length) throw new Error(`not in ${c.state}: ${unknown.join(", ")}`);
      const now = Date.now();
      const teams = Object.entries(known)
        .filter(([t, r]) => r.status !== "destroyed" && (o.all || (o.team ?? []).includes(t) || (o.expired && r.endsAt && Date.parse(r.endsAt) < now)))
        .map(([team, r]) => ({ team, stack: r.stack, event: base.event ?? "clickstream", ...(r.profile ? { profile: r.profile } : {}) }));
      if (teams.length === 0) return void process.stdout.write("Nothing to destroy.\n");
      mkdirSync(c.logs, { recursive: true });
      const view = progressView(teams.map((t) => t.team));
      const results = await new Orchestrator(workspace(), state, taggingApi).destroy(teams, { concurrency: o.concurrency, onProgress: view.update, log: (team, line) => appendFileSync(join(c.logs, `${team}.log`), `${line}\n`) });
      view.stop();
      process.stdout.write(summary(results, "destroy") + "\n");
      if (results.some((r) => r.state === "failed" || (r.leftovers?.length ?? 0) > 0)) process.exitCode = 1;
    });
  return cli;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

export function formatRoster(rows: readonly string[][], format: "csv" | "md" | "html"): string {
  const head = ["team", "KDG URL", "username", "password"];
  if (format === "csv") return [head, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\n") + "\n";
  if (format === "md") return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n") + "\n";
  return `<table>\n<tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>\n${rows.map((r) => `<tr><td>${esc(r[0]!)}</td><td><a href="${esc(r[1]!)}">${esc(r[1]!)}</a></td><td>${esc(r[2]!)}</td><td><code>${esc(r[3]!)}</code></td></tr>`).join("\n")}\n</table>\n`;
}

/** Runs the command; a roster with problems exits 2 (bad input), any other failure 1. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof RosterError)) throw e;
    process.stderr.write(`${e.message}
`);
    return 2;
  }
}

if (require.main === module) runCli(main);
