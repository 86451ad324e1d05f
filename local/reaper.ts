// The Flink JVM's keeper: a small node process between `npm start` and the JVM that stops the JVM
// whenever `npm start` goes away, however it goes (issue 26, kind 4).
//
// Why a separate process: `npm start` can end without running any of its own code. Out of memory
// (V8 aborts), SIGKILL, a crash in native code: no handler runs, and a JVM in its own process
// group (it must be: a Ctrl-C should reach `npm start`, which stops the job in order, not the JVM
// mid-write) would be left running. Linux's PR_SET_PDEATHSIG is not reachable from node and does
// not exist on macOS; a JVM cannot learn of its parent's death without code of ours in it. What
// every Unix does give is a pipe: when the last process holding its write end dies, the reader
// sees end-of-file at once, whatever killed the writer. So:
//
//   npm start (node) ──stdin pipe──► reaper (this file, its own session) ──► java (same group)
//
// - `npm start` holds the only write end of the reaper's stdin (node opens pipes close-on-exec,
//   so no other child inherits it). To stop the job in order it writes "stop" and closes it.
// - End-of-file without "stop" means `npm start` died: the reaper stops the JVM all the same and
//   says so on the terminal (its stderr is npm start's), then exits.
// - The reaper is in its own session (spawned detached), so the terminal's Ctrl-C and SIGHUP and
//   a SIGTERM to npm's process group do not reach it or the JVM; it only ends after the JVM has.
// - Stopping: SIGTERM to the JVM's group (Flink runs its shutdown hooks), SIGKILL after
//   STOP_GRACE_MS. The reaper exits with the JVM's status (128 + signal number for a signal).
//
// The one way left to orphan the JVM is to SIGKILL this process alone, by its pid.

import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { constants } from "node:os";
import { pathToFileURL } from "node:url";

/** How long the JVM gets for its shutdown hooks after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/** What `npm start` writes on the reaper's stdin to stop the JVM itself (no message then). */
const STOP = "stop";

/** What the reaper prints when it stops the JVM because `npm start` went away without asking. */
export const ORPHAN_NOTICE = "npm start's process ended without stopping the Flink job";

export interface Watched {
  /** The reaper; it exits after the JVM, with the JVM's status. */
  readonly process: ChildProcess;
  /** Stops the JVM (SIGTERM, then SIGKILL after STOP_GRACE_MS) and resolves once the reaper has exited. */
  stop(): Promise<void>;
}

export interface WatchedOptions {
  /** File that receives the command's stdout and stderr (appended). */
  readonly log: string;
  readonly env?: NodeJS.ProcessEnv;
  /** What the orphan notice calls the command, e.g. "the Flink job". */
  readonly what: string;
}

/**
 * Starts `command` under a reaper (see the top of this file): in its own session, its output to
 * `o.log`, stopped whenever this process stops it or dies.
 */
export function startWatched(command: string, args: string[], o: WatchedOptions): Watched {
  const loader = pathToFileURL(require.resolve("tsx")).href;
  const reaper = spawn(process.execPath, ["--import", loader, __filename, JSON.stringify({ command, args, log: o.log, what: o.what })], {
    stdio: ["pipe", "ignore", "inherit"],
    detached: true,
    ...(o.env ? { env: o.env } : {}),
  });
  // The pipe breaks when the reaper is gone; nothing to do about it here.
  reaper.stdin.on("error", () => undefined);
  const done = () => reaper.exitCode !== null || reaper.signalCode !== null;
  const exited = new Promise<void>((resolve) => reaper.once("exit", () => resolve()));
  const stop = async () => {
    if (done()) return;
    reaper.stdin.end(`${STOP}\n`);
    // The reaper escalates to SIGKILL itself; this is the backstop should it be stuck.
    const backstop = setTimeout(() => {
      try {
        process.kill(-reaper.pid!, "SIGKILL");
      } catch {
        // gone already
      }
    }, STOP_GRACE_MS * 2);
    await exited;
    clearTimeout(backstop);
  };
  return { process: reaper, stop };
}

/** The reaper's own life: run the command, stop it on "stop" or when stdin closes, mirror its exit. */
function reap(spec: { command: string; args: string[]; log: string; what: string }): void {
  const out = openSync(spec.log, "a");
  const child = spawn(spec.command, spec.args, { stdio: ["ignore", out, out] });
  let asked = false;
  let stopping = false;
  let orphan = false;
  const say = (line: string) => {
    try {
      process.stderr.write(`${line}\n`);
    } catch {
      // the terminal may be gone (SIGHUP): the stop goes on
    }
  };
  process.stderr.on("error", () => undefined);
  const stopChild = (orphaned: boolean) => {
    if (stopping || child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    orphan = orphaned;
    if (orphaned) say(`\n${ORPHAN_NOTICE} (pid ${child.pid}): stopping it; the local Kinesis ended with that process.`);
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-process.pid, sig); // the reaper's group: the command and anything it started
      } catch {
        child.kill(sig);
      }
    };
    signal("SIGTERM");
    setTimeout(() => signal("SIGKILL"), STOP_GRACE_MS).unref();
  };
  // A SIGTERM to the group (the reaper's own, above) or to the reaper alone means: stop the command.
  process.on("SIGTERM", () => stopChild(false));
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d: string) => {
    input += d;
    if (input.split("\n").includes(STOP)) asked = true;
  });
  process.stdin.on("end", () => stopChild(!asked));
  process.stdin.on("error", () => stopChild(!asked));
  child.on("error", (e) => {
    say(`could not start ${spec.command}: ${e.message}`);
    process.exit(127);
  });
  child.on("exit", (code, sig) => {
    if (orphan) say(`Stopped ${spec.what} (pid ${child.pid}); nothing of npm start is left running.`);
    process.exit(code ?? 128 + (sig ? constants.signals[sig] : 0));
  });
}

if (require.main === module) reap(JSON.parse(process.argv[2]!) as Parameters<typeof reap>[0]);
