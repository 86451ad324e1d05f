// Runs one of our command-line tools as a user would, and keeps its exit code and both output
// streams whatever the outcome: through tsx in a process of its own (runTool), or in this process
// through the same start-up (runInProcess).
//
// A tsx start-up of a command costs about 2 CPU-seconds (issue 27 item 6: thirty of them were most
// of `npm run test:unit`). What a separate process proves beyond the in-process run is the entry
// point itself (`if (require.main === module) runCli(main)`) and the real process.exit: one
// runTool per command keeps that; every other case runs in-process.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { runCli } from "../../cli/run";
import { ROOT } from "../../paths";

/**
 * How package.json's scripts start a tool: node with tsx's loader, one process. (The `tsx` command
 * would put a second process above it that relays a terminal's Ctrl-C again when the command has
 * not confirmed it within 30 ms, and SIGKILLs it 30 ms later: a busy machine saw one Ctrl-C twice.)
 */
export const NODE_TSX: readonly string[] = [process.execPath, "--import", "tsx"];

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ToolRun> {
  return promisify(execFile)(NODE_TSX[0]!, [...NODE_TSX.slice(1), tool, ...args], { cwd: ROOT, env, encoding: "utf8" }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** Thrown in place of process.exit while a command runs in-process: the process would stop there. */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

/** Sets `target[key]` for a while; the returned function puts back what was there (own or inherited). */
function borrow<T extends object>(target: T, key: PropertyKey, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true });
  return () => (own ? Object.defineProperty(target, key, own) : Reflect.deleteProperty(target, key));
}

/**
 * Runs a command's `main` in this process exactly as its file's `runCli(main)` runs it in its own:
 * argv `node <tool> ...args`, a returned number as the exit code, a thrown error as one line on
 * stderr and code 1, and commander's own exits (usage errors, --help) as they are. Output written
 * to process.stdout and process.stderr is kept (both as pipes, as runTool sees them: no colour,
 * commander's default width), and nothing written after the exit is. process.exitCode, argv and
 * `env`'s keys are restored afterwards. One run at a time: it borrows process-wide state.
 *
 * @param env variables to set (a value) or remove (undefined) for the run, on top of process.env
 */
export async function runInProcess(
  tool: string,
  main: (argv: string[]) => Promise<number | void>,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ToolRun> {
  let stdout = "";
  let stderr = "";
  let code: number | undefined;
  let inMain = false;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  // The run is over when runCli exits after main settled; the first exit called (maybe from inside
  // main, by commander) is the process's code.
  const exit = (c?: number | string | null): void => {
    code ??= Number(c ?? process.exitCode ?? 0);
    // Inside main, stop it where the process would have stopped.
    if (inMain) throw new Exited(code);
    resolveDone(code);
  };
  const keep =
    (into: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      if (code === undefined) into(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  };
  const exitCode = process.exitCode;
  const restore = [
    borrow(process, "argv", [process.execPath, join(ROOT, tool), ...args]),
    borrow(process, "exit", exit),
    borrow(process.stdout, "isTTY", false),
    borrow(process.stderr, "isTTY", false),
    borrow(
      process.stdout,
      "write",
      keep((t) => (stdout += t)),
    ),
    borrow(
      process.stderr,
      "write",
      keep((t) => (stderr += t)),
    ),
  ];
  try {
    process.exitCode = undefined;
    setEnv(env);
    runCli(async (argv) => {
      inMain = true;
      try {
        return await main(argv);
      } finally {
        inMain = false;
      }
    });
    return { code: await done, stdout, stderr };
  } finally {
    for (const put of restore.reverse()) put();
    process.exitCode = exitCode;
    setEnv(savedEnv);
  }
}
