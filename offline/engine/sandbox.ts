// A private place to run the real Pulumi engine against the fake AWS account: a copy of the
// project (its folders linked, its stack files copied, so `pulumi config set` edits the copy and
// never the repository), a private HOME and PULUMI_HOME, a file backend, the fake account's state
// file, and PATH with the engine built by scripts/setup-engine.sh and the fake provider plugins.
// Used by test/engine/ and by anyone who wants to try the README's commands without AWS.

import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { AccountState } from "../fakeAws/core";
import { LAB_REGION } from "../../infra/config";
import { ROOT } from "../../paths";

/** The launchers of the fake provider plugins (pulumi-resource-aws, pulumi-resource-random). */
export const FAKE_PLUGIN_BIN = join(ROOT, "offline", "fakeAws", "bin");
/** The executable that serves policy/ to this engine as an analyzer (see the file). */
export const POLICY_PACK_SHIM = join(ROOT, "offline", "engine", "policy-pack");

let built: string | undefined;

/**
 * The folder with `pulumi` and `pulumi-language-nodejs`, building them the first time (15-30
 * minutes on 2 cores, then cached outside the clone; scripts/setup-engine.sh).
 * @throws Error with the build's output when it fails or runs out of time.
 */
export function engineBin(): string {
  if (built) return built;
  try {
    const out = execFileSync("bash", [join(ROOT, "scripts", "setup-engine.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    built = out.trim().split("\n").pop()!;
  } catch (e) {
    throw new Error(`the real Pulumi engine could not be built (scripts/setup-engine.sh): ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return built;
}

/** The outcome of one command: its exit code and both output streams. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface EngineSandbox {
  /** The project copy: run `pulumi` here. */
  readonly project: string;
  /**
   * The sandbox's own file backend, for `pulumi login <backend>`. (`pulumi login --local` would
   * use the real user's ~/.pulumi: the CLI takes the home folder from the user database, not $HOME.)
   */
  readonly backend: string;
  /** The environment every command gets (PATH, HOME, PULUMI_*, FAKE_AWS_ACCOUNT, dummy AWS keys). */
  readonly env: NodeJS.ProcessEnv;
  /** The fake account's state file. */
  readonly accountFile: string;
  /** Runs the engine's `pulumi` with these arguments in the project copy. */
  pulumi(args: readonly string[], timeoutMs?: number): Promise<CommandRun>;
  /** Runs any command with the sandbox's environment, in the project copy unless `cwd` says otherwise. */
  run(file: string, args: readonly string[], options?: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CommandRun>;
  /** What the fake account holds now. */
  account(): AccountState;
  /** Removes everything the sandbox made. */
  dispose(): void;
}

/** Top-level entries of the repository that the project copy leaves out. */
const LEFT_OUT = new Set([".git", ".workshop", "node_modules"]);

/** The project copy: stack files and `copy` folders copied, everything else linked. */
function copyProject(project: string, options: { main?: string; copy?: readonly string[] }): void {
  mkdirSync(project);
  for (const entry of readdirSync(ROOT)) {
    if (LEFT_OUT.has(entry)) continue;
    const from = join(ROOT, entry);
    if (/^Pulumi(\.[^.]+)?\.yaml$/.test(entry) || options.copy?.includes(entry)) cpSync(from, join(project, entry), { recursive: true });
    else symlinkSync(from, join(project, entry));
  }
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"));
  if (options.main) {
    // A TypeScript entry (a test's variant of the program) is loaded by the launcher's ts-node,
    // transpile-only (PULUMI_NODEJS_TRANSPILE_ONLY below); the lab's own entry is JavaScript.
    const file = join(project, "Pulumi.yaml");
    const yaml = readFileSync(file, "utf8").replace(/^main: .*$/m, `main: ${options.main}`);
    writeFileSync(file, options.main.endsWith(".ts") ? yaml.replace(/^(\s+typescript:) false$/m, "$1 true") : yaml);
  }
}

/**
 * Makes a sandbox. `main` replaces the program's entry point in the copied Pulumi.yaml (a path
 * relative to the repository root), for tests that run a variant of the program. `copy` names
 * top-level folders to copy instead of link, for a test that edits the program's files.
 */
export function createSandbox(options: { main?: string; copy?: readonly string[] } = {}): EngineSandbox {
  const bin = engineBin();
  const dir = mkdtempSync(join(tmpdir(), "engine-"));
  const project = join(dir, "project");
  const home = join(dir, "home");
  mkdirSync(home);
  copyProject(project, options);
  const accountFile = join(dir, "account.json");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [bin, FAKE_PLUGIN_BIN, process.env.PATH ?? ""].join(delimiter),
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    PULUMI_CONFIG_PASSPHRASE: "engine-tests",
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // A TypeScript `main` (see copyProject) transpile-only, as infra/main.js runs the lab's program;
    // the lab's own entry gets no such variable, exactly as a `pulumi up` by hand.
    ...(options.main?.endsWith(".ts") ? { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true" } : {}),
    FAKE_AWS_ACCOUNT: accountFile,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: LAB_REGION,
  };
  delete env.PULUMI_BACKEND_URL;
  delete env.PULUMI_ACCESS_TOKEN;

  const run: EngineSandbox["run"] = (file, args, o = {}) =>
    new Promise((resolve) => {
      execFile(
        file,
        [...args],
        { cwd: o.cwd ?? project, env: { ...env, ...o.env }, encoding: "utf8", timeout: o.timeoutMs ?? 900_000, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });

  mkdirSync(join(dir, "backend"));
  return {
    project,
    backend: `file://${join(dir, "backend")}`,
    env,
    accountFile,
    pulumi: (args, timeoutMs) => run(join(bin, "pulumi"), args, { ...(timeoutMs ? { timeoutMs } : {}) }),
    run,
    account: () =>
      existsSync(accountFile)
        ? (JSON.parse(readFileSync(accountFile, "utf8")) as AccountState)
        : { accountId: "", resources: [], taken: {} },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
