// How `npm start` ends, every way it can (issue 26, kind 4): whatever ends it, the Flink job and
// the local Kinesis are stopped, and the terminal is told.
//
// - Ctrl-C (SIGINT to the terminal's foreground group), SIGTERM (a process manager, an IDE's stop
//   button, `kill`; to npm's process or its whole group) and SIGHUP (the terminal closed): one
//   orderly stop, exit 128 + the signal's number. npm forwards SIGINT and SIGTERM to its script, and
//   a group signal reaches every process: the same signal can arrive twice, the stop runs once.
// - An uncaught exception or unhandled rejection: its message, the same stop, exit 1.
// - The parent going away: `npm start` runs under `sh -c` (npm's script shell), and Debian's dash
//   dies of a forwarded SIGTERM without passing it on. This process then has another parent; it
//   notices within PARENT_POLL_MS and stops as after SIGTERM.
// - Out of memory, SIGKILL: no code of this process runs. The JVM's reaper (local/reaper.ts) sees
//   its pipe close and stops the JVM; the local Kinesis lives in this process and is gone with it.

import { constants } from "node:os";

/** How often the parent is looked for (a dead parent is noticed this long after, at most). */
export const PARENT_POLL_MS = 1000;

export const STOPPING = "Stopping: the Flink job and the local Kinesis.";
export const STOPPED = "Stopped: the Flink job and the local Kinesis; nothing is left running.";

/** Why the run is ending early: a signal, an error nobody caught, or the parent gone. */
export type Ending = { signal: NodeJS.Signals } | { error: unknown } | { parentGone: number };

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Exit code for an ending: 128 + the signal's number (the shell's convention), 1 otherwise. */
export function exitCodeOf(ending: Ending): number {
  if ("signal" in ending) return 128 + constants.signals[ending.signal];
  if ("parentGone" in ending) return 128 + constants.signals.SIGHUP;
  return 1;
}

function describe(ending: Ending): string {
  if ("signal" in ending) return `${ending.signal} received`;
  if ("parentGone" in ending) return `npm start's parent process ${ending.parentGone} is gone`;
  const e = ending.error;
  return `npm start failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** Whether a process of that pid is there (kill -0); a pid taken again by another process would pass. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Until the returned function is called, every early ending of this process runs `stop` once
 * (later signals while it runs are ignored), prints what happened before and after it, and exits
 * with exitCodeOf(ending). `stop` must not throw; what it throws is printed and the exit goes on.
 * Output errors (a closed terminal after SIGHUP) are swallowed so they cannot become a second crash.
 * @param say prints one line (npm start's stdout)
 */
export function stopOnEveryEnding(stop: (ending: Ending) => Promise<void>, say: (line: string) => void): () => void {
  let ending: Ending | undefined;
  const quiet = () => undefined;
  const safeSay = (line: string) => {
    try {
      say(line);
    } catch {
      // the terminal is gone
    }
  };
  const end = (why: Ending) => {
    if (ending) return;
    ending = why;
    safeSay(`\n${describe(why)}. ${STOPPING}`);
    if ("error" in why && process.env.DEBUG && why.error instanceof Error) safeSay(why.error.stack ?? "");
    void stop(why)
      .catch((e: unknown) => safeSay(`(while stopping: ${e instanceof Error ? e.message : String(e)})`))
      .then(() => {
        safeSay(STOPPED);
        process.exit(exitCodeOf(why));
      });
  };
  const onSignal = (signal: NodeJS.Signals) => end({ signal });
  const onError = (error: unknown) => end({ error });
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  process.stdout.on("error", quiet);
  process.stderr.on("error", quiet);
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (!alive(parent)) end({ parentGone: parent });
  }, PARENT_POLL_MS);
  watch.unref();
  return () => {
    clearInterval(watch);
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  };
}
