// The instructor CLI run in this process, as the in-process tests run it: the test's workspace,
// clock and AWS endpoint in `deps`, what the command prints and the exit code it sets captured.
// (Apart from test/support/cli.ts, which runs tools in a child process: importing the CLI here
// loads the Automation API and the AWS SDK clients, which a test that only spawns tools need not.)

import { main } from "../../cli/workshop";
import type { Deps } from "../../cli/workshop/common";

/** What an in-process run of the instructor CLI printed, and its exit code. */
export interface WorkshopRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `npm run workshop -- <args>` (cli/workshop.ts main) with the test's `deps`. The code is the
 * one main returns, else the one the command set with deps.fail. What main throws is thrown, unless
 * `caught` is given: then the run's code is 99 and `caught(error)` is added to its standard error.
 */
export async function workshopInProcess(
  args: readonly string[],
  deps: Omit<Deps, "out" | "err" | "fail">,
  caught?: (e: unknown) => string,
): Promise<WorkshopRun> {
  let out = "";
  let err = "";
  let failed = 0;
  const all: Deps = { ...deps, out: (t) => void (out += t), err: (t) => void (err += t), fail: (c) => void (failed = c) };
  try {
    const code = await main(["node", "workshop", ...args], all);
    return { code: code || failed, out, err };
  } catch (e) {
    if (!caught) throw e;
    return { code: 99, out, err: err + caught(e) };
  }
}
