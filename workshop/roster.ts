// The instructor's roster: one CSV row per team. Every row is checked the way its stack's
// configuration will be (infra/config.ts, with the event's Pulumi.workshop.yaml values underneath),
// plus what only a roster can get wrong: duplicates, and more teams than an account's quotas hold.
// All problems are reported at once, with line numbers, before any stack is touched.

import { parse } from "csv-parse/sync";
import { ConfigError, validateConfig, type ConfigKey } from "../infra/config";
import { checkQuotas, type QuotaSource } from "./quotas";

export interface RosterRow {
  readonly line: number;
  readonly team: string;
  readonly email: string;
  readonly phone?: string;
  /** An AWS CLI profile, for events spread over several accounts. */
  readonly profile?: string;
  /** The account the row's stack must land in (checked against the profile's, when given). */
  readonly account?: string;
}

export interface RosterProblem {
  /** 0 for the file as a whole. */
  readonly line: number;
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

export class RosterError extends Error {
  constructor(readonly problems: readonly RosterProblem[]) {
    super(
      `The roster has ${problems.length} problem${problems.length === 1 ? "" : "s"}; no stack was touched.\n` +
        problems.map((p) => `  - ${p.line ? `line ${p.line}, ` : ""}${p.field}: ${p.problem}\n    fix: ${p.fix}`).join("\n"),
    );
    this.name = "RosterError";
  }
}

export const COLUMNS = ["team", "email", "phone", "profile", "account"] as const;
const REQUIRED = ["team", "email"];
const ROSTER_TO_CONFIG: Record<string, ConfigKey> = { team: "team", email: "notificationEmail", phone: "notificationPhone" };

/** Parses and checks the roster; `base` is the event's stack config (Pulumi.workshop.yaml). */
export async function readRoster(csv: string, base: Partial<Record<ConfigKey, string>>, quotas: QuotaSource, now = new Date()): Promise<RosterRow[]> {
  const problems: RosterProblem[] = [];
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, comment: "#" });
  } catch (e) {
    throw new RosterError([{ line: 0, field: "file", problem: `not readable as CSV: ${(e as Error).message}`, fix: "save the roster as CSV with a header row: team,email,phone,profile,account" }]);
  }
  const header = Object.keys(records[0] ?? {});
  for (const c of REQUIRED) if (records.length > 0 && !header.includes(c)) problems.push({ line: 1, field: c, problem: "column is missing", fix: `add a ${c} column to the header row` });
  for (const c of header) if (!(COLUMNS as readonly string[]).includes(c)) problems.push({ line: 1, field: c, problem: "unknown column", fix: `use only ${COLUMNS.join(", ")}` });
  if (records.length === 0) problems.push({ line: 0, field: "file", problem: "no teams", fix: "add one row per team under the header" });
  if (problems.length) throw new RosterError(problems);

  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const line = i + 2; // the header is line 1
    const raw: Partial<Record<ConfigKey, string>> = { ...base };
    for (const [col, key] of Object.entries(ROSTER_TO_CONFIG)) if (r[col] !== undefined) raw[key] = r[col];
    try {
      validateConfig(raw, now);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const back = Object.fromEntries(Object.entries(ROSTER_TO_CONFIG).map(([col, key]) => [key, col]));
      for (const p of e.problems) problems.push({ line, field: back[p.key] ?? p.key, problem: p.problem, fix: back[p.key] ? `correct the ${back[p.key]} column` : p.fix });
    }
    const team = r.team ?? "";
    if (team && seen.has(team)) problems.push({ line, field: "team", problem: `"${team}" is already on line ${seen.get(team)}`, fix: "give every team its own name" });
    else if (team) seen.set(team, line);
    if (r.account && !/^\d{12}$/.test(r.account)) problems.push({ line, field: "account", problem: `"${r.account}" is not a 12-digit AWS account ID`, fix: "write the account ID as 12 digits, or leave it empty" });
    if (r.profile && !/^[\w.+=@,-]+$/.test(r.profile)) problems.push({ line, field: "profile", problem: `"${r.profile}" is not an AWS profile name`, fix: "use a profile from ~/.aws/config" });
    rows.push({
      line,
      team,
      email: r.email ?? "",
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.profile ? { profile: r.profile } : {}),
      ...(r.account ? { account: r.account } : {}),
    });
  });
  if (problems.length === 0) problems.push(...(await checkQuotas(rows, quotas)));
  if (problems.length) throw new RosterError(problems);
  return rows;
}
