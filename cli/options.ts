// Command-line options checked the same way by every tool: numbers are plain decimals in their
// range, URLs are URLs, a file for a secret is a file, and a mistyped required option is named as
// a typo. Every error names the option and what it takes (commander prints it with the usage).

import { InvalidArgumentError, type Command, type Option } from "commander";
import { secretPathProblem } from "../secretFile";

/** A plain decimal: digits, at most one point, an optional sign. No hex, exponent, blank or Infinity. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const WHOLE = /^[+-]?\d+$/;

export interface NumberRange {
  /** The least value (inclusive unless `above`); 0 by default. */
  readonly min?: number;
  /** The greatest value, inclusive; none by default (whole numbers stop at 2^53 - 1). */
  readonly max?: number;
  readonly integer?: boolean;
  /** `min` itself is refused (a rate or a factor above 0). */
  readonly above?: boolean;
}

/** "a whole number from 0 to 65535", "a number above 0", ...: the range as the error states it. */
export function describeRange({ min = 0, max, integer = false, above = false }: NumberRange): string {
  const kind = integer ? "a whole number" : "a number";
  if (max !== undefined) return above ? `${kind} above ${min} and at most ${max}` : `${kind} from ${min} to ${max}`;
  return `${kind} ${above ? "above" : "of at least"} ${min}`;
}

/**
 * A commander parser for a numeric option: the text must be a plain decimal (`''`, `0x50`, `1e3`,
 * ` 5`, `Infinity` are refused, though JavaScript's Number() takes them all) within the range.
 * @throws InvalidArgumentError "<label> must be <range>, written in decimal digits; not '<text>'."
 */
export function numberOption(label: string, range: NumberRange = {}): (v: string) => number {
  const { min = 0, max, integer = false, above = false } = range;
  return (v) => {
    const n = Number(v);
    const ok =
      (integer ? WHOLE : DECIMAL).test(v) &&
      Number.isFinite(n) &&
      (above ? n > min : n >= min) &&
      (max === undefined || n <= max) &&
      (!integer || Number.isSafeInteger(n));
    if (!ok)
      throw new InvalidArgumentError(`${label} must be ${describeRange(range)}, written in decimal digits; not ${JSON.stringify(v)}.`);
    return n;
  };
}

/** TCP ports (RFC 6335): 0 (any free port) to 65535. */
export const PORT_RANGE: NumberRange = { min: 0, max: 65535, integer: true };

/**
 * A commander parser for a number that must be one of `allowed` (e.g. the compressions that
 * divide a window), written in decimal: "--compression must be one of 1, 2, 5 or 10; not '0.5'."
 */
export function oneOfNumbers(label: string, allowed: readonly number[], why = ""): (v: string) => number {
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}` : String(allowed[0]);
  return (v) => {
    const n = Number(v);
    if (!DECIMAL.test(v) || !allowed.includes(n))
      throw new InvalidArgumentError(`${label} must be one of ${list}${why ? ` (${why})` : ""}; not ${JSON.stringify(v)}.`);
    return n;
  };
}

/**
 * A commander parser for an endpoint URL: an absolute http or https URL such as
 * http://127.0.0.1:5000 (what the AWS SDK's `endpoint` takes), or an error naming the option,
 * instead of the SDK's bare "Invalid URL" at the first call.
 */
export function urlOption(label: string): (v: string) => string {
  return (v) => {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname)
      throw new InvalidArgumentError(`${label} must be an http or https URL such as http://127.0.0.1:5000; not ${JSON.stringify(v)}.`);
    return v;
  };
}

/**
 * Commander checks required options before unknown ones, so `provision --rooster x.csv` said
 * "required option '--roster' not specified" and never "Did you mean --roster?" (issue #26). This
 * makes every required option of `cmd` and of its subcommands optional to commander, and checks
 * it in a preAction hook, which runs after the unknown-option check and before the action.
 * Call it once the command and its subcommands are complete.
 */
export function typosBeforeRequired(cmd: Command): Command {
  const required: Option[] = cmd.options.filter((o) => o.mandatory);
  for (const o of required) o.mandatory = false;
  if (required.length)
    cmd.hook("preAction", () => {
      const missing = required.find((o) => cmd.getOptionValue(o.attributeName()) === undefined);
      if (missing) cmd.error(`error: required option '${missing.flags}' not specified`, { code: "commander.missingMandatoryOptionValue" });
    });
  for (const sub of cmd.commands) typosBeforeRequired(sub);
  return cmd;
}

/**
 * A commander parser for an option naming a file that will hold a secret (`--out` of the roster's
 * hand-out): refuses, while parsing and so before anything is printed or fetched, what
 * secretPathProblem (secretFile.ts) refuses: empty, a folder, a symbolic link, a missing folder.
 * Write the file itself with writeSecretFile.
 */
export function secretFileOption(flag: string): (v: string) => string {
  return (v) => {
    const problem = secretPathProblem(v, flag);
    if (problem) throw new InvalidArgumentError(problem);
    return v;
  };
}
