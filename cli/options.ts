// Numeric command-line options, checked the same way by every tool: the error names the option
// and the range (commander prints it with the usage).

import { InvalidArgumentError } from "commander";
import { secretPathProblem } from "../secretFile";

export function numberOption(label: string, { min = 0, integer = false, above = false } = {}): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || (above ? n <= min : n < min) || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(
        `${label} must be ${integer ? "a whole number" : "a number"} ${above ? "above" : "of at least"} ${min}.`,
      );
    return n;
  };
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
