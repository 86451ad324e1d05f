// Numeric command-line options, checked the same way by every tool: the error names the option
// and the range (commander prints it with the usage).

import { InvalidArgumentError } from "commander";

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
