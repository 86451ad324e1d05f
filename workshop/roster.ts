// The instructor's roster: one CSV row per team. Every row is checked the way its stack's
// configuration will be (infra/config.ts, with the event's Pulumi.workshop.yaml values underneath),
// plus what only a roster can get wrong: duplicates, an account column that is not the profile's
// account, and more teams than an account's quotas hold. All problems are reported at once, with
// the line each row starts on in the file, before any stack is touched.

import { parse, type Info } from "csv-parse/sync";
import { ConfigError, validateConfig, type ConfigKey, type RunLimits } from "../infra/config";
import { checkQuotas, type AccountSource, type QuotaSource } from "./quotas";
import type { RosterProblem, RosterRow } from "./rosterRow";

export type { RosterProblem, RosterRow } from "./rosterRow";

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
const HEADER_FIX = `save the roster as CSV with a header row: ${COLUMNS.join(",")}`;

/** Delimiters a spreadsheet may save with, and their names for messages. */
const DELIMITERS: Readonly<Record<string, string>> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar" };

/**
 * The roster's text. UTF-8 (with or without a byte-order mark) and UTF-16 (with a byte-order mark,
 * or recognised by its zero bytes, as Excel's "Unicode text" writes it) are read; anything else is
 * refused, naming the encoding, rather than read as mojibake.
 */
export function decodeRoster(bytes: Uint8Array): { text: string; encoding: string } {
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(b.subarray(2)), encoding: "UTF-16 LE" };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(b.subarray(2)), encoding: "UTF-16 BE" };
  const sample = b.subarray(0, Math.min(b.length, 200));
  const zeros = (parity: number) => sample.filter((x, i) => i % 2 === parity && x === 0).length;
  if (sample.length >= 4 && zeros(1) > sample.length / 4) return { text: new TextDecoder("utf-16le").decode(b), encoding: "UTF-16 LE" };
  if (sample.length >= 4 && zeros(0) > sample.length / 4) return { text: new TextDecoder("utf-16be").decode(b), encoding: "UTF-16 BE" };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(b);
    return { text: text.startsWith("\uFEFF") ? text.slice(1) : text, encoding: "UTF-8" };
  } catch {
    const at = firstInvalidUtf8(b);
    throw new RosterError([
      {
        line: lineAt(b, at),
        field: "file",
        problem: `is not UTF-8 or UTF-16: byte 0x${b[at]!.toString(16).toUpperCase().padStart(2, "0")} at offset ${at} (a Windows-1252 or Latin-1 file, as older spreadsheets save)`,
        fix: 'save the roster as "CSV UTF-8" (or UTF-16)',
      },
    ]);
  }
}

/** Offset of the first byte that starts no valid UTF-8 sequence (RFC 3629 lengths; overlongs aside). */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const lead = b[i]!;
    const length =
      lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}

function lineAt(b: Uint8Array, offset: number): number {
  return b.subarray(0, offset).filter((x) => x === 0x0a).length + 1;
}

/** The delimiter of the header line: the candidate it holds most of; comma when it holds none. */
export function detectDelimiter(headerLine: string): string {
  const counts = Object.keys(DELIMITERS).map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  const best = counts.sort((x, y) => y.n - x.n)[0]!;
  return best.n > 0 ? best.d : ",";
}

/** The header line (the first that is neither empty nor a # comment) and its line number. */
function headerOf(lines: readonly string[]): { text: string; line: number } | undefined {
  const i = lines.findIndex((l) => l.trim() !== "" && !l.startsWith("#"));
  return i === -1 ? undefined : { text: lines[i]!, line: i + 1 };
}

interface ParsedRecord {
  readonly record: Record<string, string>;
  readonly info: Info;
}

export interface ReadRosterOptions {
  /** Whose account each profile reaches (STS GetCallerIdentity); without it, the account column is only checked for form. */
  readonly accounts?: AccountSource;
  /** False: leave the quota check to the caller (preflight reports quotas per account itself). Default true. */
  readonly checkQuotas?: boolean;
  /** The run's pack limits (`--policy-pack-config`, workshop/packConfig.ts); the pack's defaults without. */
  readonly limits?: RunLimits;
}

/** The run's limits for validateConfig, when the caller has them. */
const limitsOf = (o: ReadRosterOptions) => (o.limits ? { limits: o.limits } : {});

/**
 * Parses and checks the roster; `base` is the event's stack config (Pulumi.workshop.yaml).
 * `csv` is the file's bytes (encoding detected) or its text. Throws one RosterError naming every
 * problem with its line.
 */
export async function readRoster(
  csv: string | Uint8Array,
  base: Partial<Record<ConfigKey, string>>,
  quotas: QuotaSource,
  now = new Date(),
  options: ReadRosterOptions = {},
): Promise<RosterRow[]> {
  const parsed = parseRoster(csv);
  const problems = headerProblems(parsed);
  if (problems.length) throw new RosterError(problems);
  const profile = profileProblems(base, now, options);
  problems.push(...profile.problems);
  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  for (const record of parsed.records) {
    const checked = checkRow(record, { base, now, options, profileKeys: profile.keys, seen });
    problems.push(...checked.problems);
    rows.push(checked.row);
  }
  if (problems.length) throw new RosterError(problems);

  const resolved = options.accounts ? await resolveAccounts(rows, options.accounts, problems) : rows;
  if (problems.length === 0 && options.checkQuotas !== false) problems.push(...(await checkQuotas(resolved, quotas)));
  if (problems.length) throw new RosterError(problems);
  return resolved;
}

/** The roster as csv-parse reads it: its records, the header's columns (trimmed, lower case) and line, and how it was read. */
interface ParsedRoster {
  readonly records: readonly ParsedRecord[];
  readonly columns: readonly string[];
  readonly headerLine: number;
  /** "read as UTF-8 with the semicolon as delimiter", for messages. */
  readonly read: string;
}

/**
 * Decodes the roster (decodeRoster, or text as given), finds its delimiter from the header line
 * and parses it. # starts a comment line; empty lines are skipped.
 * @throws RosterError when the bytes are not UTF-8 or UTF-16, or the text is not CSV (with its line).
 */
function parseRoster(csv: string | Uint8Array): ParsedRoster {
  const { text: decoded, encoding } = typeof csv === "string" ? { text: csv.replace(/^\uFEFF/, ""), encoding: "text" } : decodeRoster(csv);
  // One line ending, so that csv-parse's line count is the editor's.
  const text = decoded.replace(/\r\n?/g, "\n");
  const header = headerOf(text.split("\n"));
  const delimiter = header ? detectDelimiter(header.text) : ",";
  const read = `read as ${encoding === "text" ? "text" : encoding} with the ${DELIMITERS[delimiter]} as delimiter`;
  let columns: string[] = [];
  try {
    const records = parse<Record<string, string>>(text, {
      delimiter,
      columns: (h: string[]) => (columns = h.map((c) => c.trim().toLowerCase())),
      skip_empty_lines: true,
      // A # starts a comment only at the start of a line: "+15555550123#ext9" keeps its #.
      comment: "#",
      comment_no_infix: true,
      info: true,
    }) as unknown as ParsedRecord[];
    return { records, columns, headerLine: header?.line ?? 1, read };
  } catch (e) {
    throw new RosterError([
      { line: lineOfCsvError(e), field: "file", problem: `not readable as CSV (${read}): ${(e as Error).message}`, fix: HEADER_FIX },
    ]);
  }
}

/** The header's problems: a column twice, a required one missing, an unknown one; and a roster without rows. */
function headerProblems({ records, columns, headerLine, read }: ParsedRoster): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const seenColumns = new Set<string>();
  for (const c of columns) {
    if (seenColumns.has(c))
      problems.push({ line: headerLine, field: c, problem: "column appears twice in the header", fix: "keep one column of each name" });
    seenColumns.add(c);
  }
  for (const c of REQUIRED)
    if (columns.length > 0 && !columns.includes(c))
      problems.push({
        line: headerLine,
        field: c,
        problem: `column is missing (the header, ${read}, has: ${columns.join(", ")})`,
        fix: `add a ${c} column to the header row, or ${HEADER_FIX}`,
      });
  for (const c of new Set(columns))
    if (!(COLUMNS as readonly string[]).includes(c))
      problems.push({ line: headerLine, field: c, problem: `unknown column (${read})`, fix: `use only ${COLUMNS.join(", ")}` });
  if (records.length === 0) problems.push({ line: 0, field: "file", problem: "no teams", fix: "add one row per team under the header" });
  return problems;
}

/**
 * Problems of the event profile itself (say, no endsAt): the same for every row, so reported once
 * (line 0, with the fix on the workshop stack); `keys` are their config keys, left out of the rows'.
 */
function profileProblems(
  base: Partial<Record<ConfigKey, string>>,
  now: Date,
  options: ReadRosterOptions,
): { problems: RosterProblem[]; keys: Set<string> } {
  const problems: RosterProblem[] = [];
  const keys = new Set<string>();
  try {
    validateConfig({ team: "t", notificationEmail: "a@example.com", ...base }, now, undefined, limitsOf(options));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      keys.add(p.key);
      problems.push({
        line: 0,
        field: p.key,
        problem: `${p.problem} (in the event profile, Pulumi.workshop.yaml)`,
        fix: p.fix.replace(/^pulumi config (set|rm) /, "pulumi config $1 --stack workshop "),
      });
    }
  }
  return { problems, keys };
}

/** What checkRow needs besides the row: the profile, the run, and the teams seen so far (name → line; it adds this row's). */
interface RowContext {
  readonly base: Partial<Record<ConfigKey, string>>;
  readonly now: Date;
  readonly options: ReadRosterOptions;
  readonly profileKeys: ReadonlySet<string>;
  readonly seen: Map<string, number>;
}

/**
 * One row: its config checked as its stack's will be (validateConfig over the profile, problems
 * named by column), a team name already used, the account and profile columns' form.
 */
function checkRow({ record: r, info }: ParsedRecord, ctx: RowContext): { row: RosterRow; problems: RosterProblem[] } {
  // csv-parse counts the line a record ends on; a quoted field's newlines say how far back it starts.
  const line = info.lines - Object.values(r).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
  const cell = (c: string) => (r[c] ?? "").trim();
  const problems = rowConfigProblems(r, line, cell, ctx);
  const team = cell("team");
  if (team && ctx.seen.has(team))
    problems.push({
      line,
      field: "team",
      problem: `"${team}" is already on line ${ctx.seen.get(team)}`,
      fix: "give every team its own name",
    });
  else if (team) ctx.seen.set(team, line);
  const account = cell("account");
  const profile = cell("profile");
  if (account && !/^\d{12}$/.test(account))
    problems.push({
      line,
      field: "account",
      problem: `"${account}" is not a 12-digit AWS account ID`,
      fix: "write the account ID as 12 digits, or leave it empty",
    });
  if (profile && !/^[\w.+=@,-]+$/.test(profile))
    problems.push({ line, field: "profile", problem: `"${profile}" is not an AWS profile name`, fix: "use a profile from ~/.aws/config" });
  const row: RosterRow = {
    line,
    team,
    email: cell("email"),
    ...(cell("phone") ? { phone: cell("phone") } : {}),
    ...(profile ? { profile } : {}),
    ...(account ? { account } : {}),
  };
  return { row, problems };
}

/** The row's team, email and phone over the profile, through validateConfig; a problem of the profile's own keys is not repeated. */
function rowConfigProblems(r: Record<string, string>, line: number, cell: (c: string) => string, ctx: RowContext): RosterProblem[] {
  const raw: Partial<Record<ConfigKey, string>> = { ...ctx.base };
  for (const [col, key] of Object.entries(ROSTER_TO_CONFIG)) if (r[col] !== undefined) raw[key] = cell(col);
  try {
    validateConfig(raw, ctx.now, undefined, limitsOf(ctx.options));
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const back = Object.fromEntries(Object.entries(ROSTER_TO_CONFIG).map(([col, key]) => [key, col]));
    return e.problems
      .filter((x) => !ctx.profileKeys.has(x.key))
      .map((p) => ({
        line,
        field: back[p.key] ?? p.key,
        problem: p.problem,
        fix: back[p.key] ? `correct the ${back[p.key]} column` : p.fix,
      }));
  }
}

/**
 * Asks once per profile which account its credentials reach, checks each row's account column
 * against it, and returns the rows with that account, so quotas count one account once however
 * its rows name it. Credentials that do not work are one problem per profile (with the lines of
 * its rows), not one per row: 40 rows without credentials are one fix, not 40.
 */
async function resolveAccounts(rows: readonly RosterRow[], accounts: AccountSource, problems: RosterProblem[]): Promise<RosterRow[]> {
  const byProfile = new Map<string, RosterRow[]>();
  for (const r of rows) byProfile.set(r.profile ?? "", [...(byProfile.get(r.profile ?? "") ?? []), r]);
  const found = new Map<string, { id?: string; error?: string }>();
  await Promise.all(
    [...byProfile.keys()].map(async (key) => {
      try {
        found.set(key, { id: await accounts.accountOf(key || undefined) });
      } catch (e) {
        found.set(key, { error: e instanceof Error ? e.message : String(e) });
      }
    }),
  );
  return rows.map((r) => {
    const key = r.profile ?? "";
    const { id, error } = found.get(key)!;
    const who = r.profile ? `profile ${r.profile}` : "the default credentials";
    if (id === undefined) {
      // Once per profile, at its first row, naming the others.
      const its = byProfile.get(key)!;
      if (its[0] === r)
        problems.push({
          line: r.line,
          field: r.profile ? "profile" : "account",
          problem: `cannot tell which AWS account is behind ${who} (STS GetCallerIdentity: ${error ?? "no account"})${its.length > 1 ? `; ${its.length} rows use it (lines ${compactLines(its.map((x) => x.line))})` : ""}; offline, validate with --quotas documented`,
          fix: r.profile ? `aws sts get-caller-identity --profile ${r.profile}` : "aws sts get-caller-identity",
        });
      return r;
    }
    if (r.account && r.account !== id) {
      problems.push({
        line: r.line,
        field: "account",
        problem: `"${r.account}" is not the AWS account behind ${who} (${id})`,
        fix: `write ${id}, or use a profile of account ${r.account}`,
      });
    }
    return { ...r, accountId: id };
  });
}

/** Line numbers as ranges: 2-5, 9, 11-12. */
export function compactLines(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out.join(", ");
}

function lineOfCsvError(e: unknown): number {
  const lines = (e as { lines?: unknown }).lines;
  return typeof lines === "number" ? lines : 0;
}
