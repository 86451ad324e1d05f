// `npm run workshop -- provision`: validate the roster, then one stack per row through the
// orchestrator (at most N at once, retries, resumable).

import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import type { ConfigKey, RunLimits } from "../../infra/config";
import { teamStackName } from "../../infra/naming";
import { estimate, etaTracker, formatDuration } from "../../workshop/capacity";
import { Orchestrator, type TeamResult } from "../../workshop/orchestrator";
import { documentedDefaults, serviceQuotas, stsAccounts } from "../../workshop/quotas";
import { readRoster, type RosterRow } from "../../workshop/roster";
import { fileState } from "../../workshop/state";
import { readPackConfig } from "../../workshop/packConfig";
import type { StackSpec } from "../../workshop/workspace";
import { POLICY_PACK_DIR } from "../../paths";
import {
  attemptsOption,
  busyWaitOption,
  chooseConcurrency,
  common,
  type Common,
  defaultDeps,
  type Deps,
  eventProfile,
  profileValue,
  progressView,
  summary,
} from "./common";
import { accountSplit, awsIo, preflightOf, preflightOptions, renderPreflight, type PreflightCliOptions } from "./preflight";

/** Each roster row as a stack: the event profile's keys plus the row's team, e-mail and phone. */
export function specsOf(rows: readonly RosterRow[], base: Partial<Record<ConfigKey, string>>, project: string): StackSpec[] {
  const event = profileValue(base, "event");
  return rows.map((r) => {
    const values: Partial<Record<ConfigKey, string>> = {
      ...base,
      team: r.team,
      notificationEmail: r.email,
      ...(r.phone ? { notificationPhone: r.phone } : {}),
      // The stack's provider takes the row's profile itself and refuses any account but the row's
      // (the account column, or the one STS returned for its profile).
      ...(r.profile ? { awsProfile: r.profile } : {}),
      ...((r.account ?? r.accountId) ? { allowedAccountIds: (r.account ?? r.accountId)! } : {}),
    };
    const config = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [`${project}:${k}`, { value: v, secret: k === "kdgPassword" }]),
    );
    return { team: r.team, stack: teamStackName(event, r.team), config, ...(r.profile ? { profile: r.profile } : {}) };
  });
}

export function provisionCommand(deps: Deps = defaultDeps): Command {
  const cmd = new Command("provision")
    .description(
      "validate the roster, run preflight on every account it reaches, then bring up one stack per row (resumable: teams already up are skipped)",
    )
    .addOption(attemptsOption())
    .addOption(busyWaitOption())
    .option("--validate-only", "check the roster and stop")
    .option("--skip-preflight", "provision even when preflight finds a ✗ (or without AWS to ask, as against the fake account)");
  return preflightOptions(cmd, "stacks updated at once").action(async (o: ProvisionOptions, command: Command) => {
    const c = common(command);
    const limits = await runLimitsOf(c);
    const { base, project, encrypted } = eventProfile(c);
    const rows = await validRoster(o, c, base, deps, limits);
    if (encrypted.length)
      deps.err(`Note: ${encrypted.join(", ")} is encrypted for the ${c.profileStack} stack; each team stack generates its own.\n`);
    if (o.validateOnly || !(await preflightAllows(rows, base, o, c, deps))) return;
    const specs = specsOf(o.sms ? rows : rows.map(({ phone: _, ...r }) => r), base, project);
    const results = await provisionTeams(specs, base.endsAt ?? "", o, c, deps);
    deps.out(summary(results, "provision") + `\nLogs: ${c.logs}\n`);
    if (results.some((r) => r.state === "failed" || r.state === "refused")) deps.fail(1);
  });
}

/**
 * The run's pack limits from --policy-pack-config, checked once before any team (PackConfigError,
 * exit 2); undefined without one. Policy names and schemas come from our pack only: another
 * pack's (--policy-pack) cannot be read here, so its file is checked for existence and JSON only.
 */
async function runLimitsOf(c: Common): Promise<RunLimits | undefined> {
  if (!c.policyPackConfig) return undefined;
  const ours = resolve(c.policyPack) === POLICY_PACK_DIR;
  return readPackConfig(c.policyPackConfig, ours ? (await import("../../policy/policies.js")).POLICIES : undefined);
}

type ProvisionOptions = PreflightCliOptions & {
  roster: string;
  attempts: number;
  busyWait: number;
  validateOnly?: boolean;
  skipPreflight?: boolean;
};

/**
 * The roster, every problem refused at once (RosterError). Offline (documented quotas), the account
 * column is checked for form only; otherwise against STS GetCallerIdentity of each row's profile.
 */
async function validRoster(
  o: ProvisionOptions,
  c: Common,
  base: Partial<Record<ConfigKey, string>>,
  deps: Deps,
  limits?: RunLimits,
): Promise<RosterRow[]> {
  if (!existsSync(o.roster)) throw new Error(`no roster at ${o.roster}`);
  const region = profileValue(base, "region");
  const online = o.quotas !== "documented";
  // The file's bytes: readRoster detects UTF-8 or UTF-16.
  const rows = await readRoster(readFileSync(o.roster), base, online ? serviceQuotas(region, c.endpoint) : documentedDefaults, deps.now(), {
    ...(online ? { accounts: stsAccounts(region, c.endpoint) } : {}),
    ...(limits ? { limits } : {}),
  });
  deps.err(`Roster: ${rows.length} team(s), all valid: ${accountSplit(rows)}.\n`);
  return rows;
}

/** Runs preflight unless skipped; false (and exit 1) when it found a ✗: nothing is touched then. */
async function preflightAllows(
  rows: readonly RosterRow[],
  base: Partial<Record<ConfigKey, string>>,
  o: ProvisionOptions,
  c: Common,
  deps: Deps,
): Promise<boolean> {
  if (o.skipPreflight) return true;
  const report = await preflightOf(rows, base, o, { ...(deps.preflight?.(c) ?? awsIo(base, o.quotas, c.endpoint)), now: deps.now() });
  if (report.verdict === "fail") {
    deps.out(renderPreflight(report));
    deps.err(
      "provision refused: preflight found the ✗ above, and no stack was touched. Fix them and run provision again, or pass --skip-preflight to provision anyway.\n",
    );
    deps.fail(1);
    return false;
  }
  if (report.verdict === "warn") deps.err(renderPreflight(report));
  return true;
}

/** The orchestrator over every spec, with the progress view and one log file per team. */
async function provisionTeams(
  specs: readonly StackSpec[],
  endsAt: string,
  o: ProvisionOptions,
  c: Common,
  deps: Deps,
): Promise<TeamResult[]> {
  mkdirSync(c.logs, { recursive: true });
  const concurrency = chooseConcurrency(o.concurrency, (line) => deps.err(`${line}\n`));
  const first = estimate({ teams: specs.length, concurrency, kind: "create" });
  deps.err(
    `Estimated time: ~${formatDuration(first.seconds)}, at most ${formatDuration(first.boundSeconds)} (${first.basis}); teams already up are skipped and take none.\n`,
  );
  const orchestrator = new Orchestrator(deps.workspace(c), fileState(c.state));
  const view = progressView(specs.map((s) => s.team));
  const eta = etaTracker({ teams: specs.length, concurrency, kind: "create" });
  try {
    return await orchestrator.provision(
      { specs, endsAt },
      {
        concurrency,
        attempts: o.attempts,
        busyWaitMs: o.busyWait * 1000,
        onProgress: (p) => {
          view.update(p);
          const left = eta.update(p);
          if (left) view.note(left);
        },
        log: (team, line) => appendFileSync(join(c.logs, `${team}.log`), `${line}\n`),
      },
    );
  } finally {
    // A failure outside any one team (plugins, the backend) must not leave the view's timer holding the process.
    view.stop();
  }
}
