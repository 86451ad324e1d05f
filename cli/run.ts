// The start-up every command shares: run its main, turn the outcome into an exit code, and print
// an error as one line naming what went wrong (no stack trace for a user's mistake).

/**
 * Runs a command's `main` with this process's arguments and exits with its code: the number it
 * returns (0 when it returns nothing), 1 when it throws. Commander prints usage errors itself and
 * exits 1 before `main` returns; that is left as it is.
 */
export function runCli(main: (argv: string[]) => Promise<number | void>): void {
  main(process.argv).then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      if (process.env.DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
