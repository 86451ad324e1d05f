// `npm run workshop -- preflight --roster <file>`: is every account the roster reaches ready for the
// event? The checks are workshop/preflight.ts; this file reads the options and the roster, and
// draws the report (or prints it as JSON). Exit 1 on any ✗.

import { existsSync, readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { ConfigKey } from "../../infra/config";
import { awsAccountProbe, type AccountProbe } from "../../workshop/accountProbe";
import { runPreflight, type AccountReport, type CheckResult, type PreflightReport, type Verdict } from "../../workshop/preflight";
import { documentedDefaults, serviceQuotas, type QuotaSource } from "../../workshop/quotas";
import { compactLines, readRoster, type RosterRow } from "../../workshop/roster";
import { numberOption } from "../options";
import { common, defaultDeps, type Deps, eventProfile, profileValue } from "./common";

const MARK: Record<Verdict, string> = { ok: "✓", warn: "!", fail: "✗" };

/** The options preflight and provision share. */
export interface PreflightCliOptions {
  readonly concurrency: number;
  readonly quotas: string;
  readonly minutesPerStack?: number;
  readonly textsPerPhone?: number;
  /** commander's --no-sms: false when given. */
  readonly sms: boolean;
}

/** Adds the options preflight shares with provision to `cmd`; `concurrency` is its help text there. */
export function preflightOptions(cmd: Command, concurrency: string): Command {
  return cmd
    .requiredOption("-r, --roster <file.csv>", "CSV with columns team,email[,phone][,profile][,account]")
    .option("-c, --concurrency <n>", concurrency, numberOption("--concurrency", { min: 1, integer: true }), 4)
    .addOption(
      new Option("--quotas <source>", "where account quotas come from").choices(["service-quotas", "documented"]).default("service-quotas"),
    )
    .option(
      "--minutes-per-stack <n>",
      "minutes one stack takes to come up, to judge how long credentials must last",
      numberOption("--minutes-per-stack", { above: true }),
    )
    .option(
      "--texts-per-phone <n>",
      "alerts one phone may get during the event, for the SMS spend limit",
      numberOption("--texts-per-phone", { min: 0, integer: true }),
    )
    .option("--no-sms", "this event sends no texts: phones in the roster are ignored (no SMS subscription) and the SMS checks skipped");
}

/** The preflight of `rows` in the event's region, with the AWS probe and quotas unless a test gives its own. */
export function preflightOf(
  rows: readonly RosterRow[],
  base: Partial<Record<ConfigKey, string>>,
  o: PreflightCliOptions,
  io: { probe: AccountProbe; quotas: QuotaSource; now: Date },
): Promise<PreflightReport> {
  return runPreflight(rows, io, {
    region: profileValue(base, "region"),
    concurrency: o.concurrency,
    ...(o.minutesPerStack !== undefined ? { minutesPerStack: o.minutesPerStack } : {}),
    ...(o.textsPerPhone !== undefined ? { textsPerPhone: o.textsPerPhone } : {}),
    noSms: !o.sms,
    env: process.env,
    now: io.now,
  });
}

/** The AWS probe and quota source for the event's region, on `endpoint` when one is given (moto). */
export function awsIo(
  base: Partial<Record<ConfigKey, string>>,
  quotas: string,
  endpoint?: string,
): { probe: AccountProbe; quotas: QuotaSource } {
  const region = profileValue(base, "region");
  return {
    probe: awsAccountProbe(region, endpoint),
    quotas: quotas === "documented" ? documentedDefaults : serviceQuotas(region, endpoint),
  };
}

function renderCheck(c: CheckResult): string[] {
  const lines = [`  ${MARK[c.verdict]} ${c.check.padEnd(20)} ${c.found}`];
  for (const r of c.rows ?? []) lines.push(`      line ${r.line} ${r.team}${r.phone ? ` ${r.phone}` : ""}`);
  if (c.fix) lines.push(`      fix: ${c.fix}`);
  if (c.verdict !== "ok") lines.push(`      (${c.source})`);
  return lines;
}

function accountTitle(a: AccountReport): string {
  const via = a.profiles.map((p) => (p ? `profile ${p}` : "default credentials")).join(", ");
  return `${a.account ? `Account ${a.account}` : "No account"} (${via}): ${a.teams.length} team(s)`;
}

/** The report as text: per account its checks (✓ ok, ! warning, ✗ fail) with fixes and sources, then its quotas used/allowed. */
export function renderPreflight(r: PreflightReport): string {
  const out: string[] = [];
  const teams = r.accounts.reduce((n, a) => n + a.teams.length, 0);
  out.push(
    `Preflight of ${teams} team(s) in ${r.accounts.filter((a) => a.account).length} account(s), ${r.region}; provision needs about ${r.provisionMinutes} min.`,
  );
  if (r.general.length) out.push("", "This shell:", ...r.general.flatMap(renderCheck));
  for (const a of r.accounts) {
    out.push("", accountTitle(a), ...a.checks.flatMap(renderCheck));
    if (a.quotas.length) out.push(`  quotas: ${a.quotas.map((q) => `${q.label} ${q.used}/${q.allowed}`).join(", ")}`);
  }
  const count = (v: Verdict) => [...r.general, ...r.accounts.flatMap((a) => a.checks)].filter((c) => c.verdict === v).length;
  out.push("", `${MARK[r.verdict]} ${count("fail")} to fix, ${count("warn")} warning(s), ${count("ok")} ok.`);
  return out.join("\n") + "\n";
}

/** How the teams split over accounts, one line: "20 in 111111111111 (profile a), 20 in 222222222222 (default credentials)". */
export function accountSplit(rows: readonly RosterRow[]): string {
  const by = new Map<string, RosterRow[]>();
  for (const r of rows) {
    const key = `${r.accountId ?? r.account ?? "an account not asked"} (${r.profile ? `profile ${r.profile}` : "default credentials"})`;
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  return [...by].map(([k, rs]) => `${rs.length} in ${k}${by.size > 1 ? `, lines ${compactLines(rs.map((r) => r.line))}` : ""}`).join("; ");
}

export function preflightCommand(deps: Deps = defaultDeps): Command {
  const cmd = new Command("preflight")
    .description(
      "check every account the roster reaches before the event: credentials and how long they last, the Region, quotas, Lambda concurrency, SMS (sandbox, verified phones, origination identity, spend limit, opt-outs); exit 1 on any ✗",
    )
    .option("--json", "print the report as JSON");
  return preflightOptions(cmd, "stacks provision will update at once (for its expected length)").action(
    async (o: PreflightCliOptions & { roster: string; json?: boolean }, command: Command) => {
      const c = common(command);
      const { base } = eventProfile(c);
      if (!existsSync(o.roster)) throw new Error(`no roster at ${o.roster}`);
      const now = deps.now();
      const rows = await readRoster(readFileSync(o.roster), base, documentedDefaults, now, { checkQuotas: false });
      const report = await preflightOf(rows, base, o, { ...(deps.preflight?.(c) ?? awsIo(base, o.quotas, c.endpoint)), now });
      deps.out(o.json ? JSON.stringify(report, null, 2) + "\n" : renderPreflight(report));
      if (report.verdict === "fail") deps.fail(1);
    },
  );
}
