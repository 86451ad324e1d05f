// The start-up every command shares: run its main, turn the outcome into an exit code, and print
// an error as one line naming what went wrong (no stack trace for a user's mistake).

/**
 * Resolves once everything written to `stream` so far has been handed to the system. process.exit
 * does not wait for that: into a shell's pipe (64 KiB), the rest of a long output was lost.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  // A stream destroyed by its reader going away (EPIPE) has nothing left to hand over.
  return new Promise((resolve) => (stream.destroyed ? resolve() : stream.write("", () => resolve())));
}

/**
 * Runs a command's `main` with this process's arguments and exits with its code: the number it
 * returns (0 when it returns nothing), 1 when it throws; in both cases once stdout and stderr are
 * flushed. Commander prints usage errors itself and exits 1 before `main` returns; that is left as it is.
 */
export function runCli(main: (argv: string[]) => Promise<number | void>): void {
  const exit = (code: number) => void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
  main(process.argv).then(
    (code) => exit(code ?? 0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      if (process.env.DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      exit(1);
    },
  );
}
