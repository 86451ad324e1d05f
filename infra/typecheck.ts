// The engine runs the program and the policy pack without type-checking them (tsconfig.json's
// "ts-node" section for the program, policy/main.js for the pack; issue 24): type-checking them on
// every preview and up cost about 17 CPU-seconds and 1 GB per process, for code that `npm run
// typecheck` already checks. So that a type error in someone's own change is still reported with its
// file and line before anything is created, the program checks here, once per change: the files the
// last clean check read are hashed, and only when they differ from every recorded clean check does it
// run tsc over tsconfig.deploy.json (the program and the pack), then records the new clean state.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

/** The tsc project that covers what the engine runs: the program's entry and the pack's. */
export const DEPLOY_TSCONFIG = "tsconfig.deploy.json";

/** One clean check: the files it read (relative to the project folder where inside it) and their combined hash. */
interface CleanCheck {
  readonly files: readonly string[];
  readonly hash: string;
}

/** How many clean states are remembered (a few branches or sandboxes side by side). */
const KEPT = 20;
/** A lock older than this is from a check that died; the next one takes over (a check takes ~30-90 s). */
const STALE_LOCK_MS = 10 * 60_000;

function stampFile(root: string): string {
  return join(root, "node_modules", ".cache", "clickstream-lab", "typecheck.json");
}

/** Files whose change can change the verdict without being among the files tsc lists. */
const ALWAYS = ["tsconfig.json", DEPLOY_TSCONFIG, "package-lock.json"];

function hashOf(root: string, files: readonly string[]): string | undefined {
  const h = createHash("sha256");
  for (const f of files) {
    const path = resolve(root, f);
    if (!existsSync(path)) return undefined;
    h.update(f).update("\0").update(readFileSync(path)).update("\0");
  }
  return h.digest("hex");
}

function readStamps(root: string): CleanCheck[] {
  try {
    const parsed = JSON.parse(readFileSync(stampFile(root), "utf8")) as unknown;
    return Array.isArray(parsed) ? (parsed as CleanCheck[]).filter((c) => Array.isArray(c.files) && typeof c.hash === "string") : [];
  } catch {
    return [];
  }
}

function isClean(root: string): boolean {
  return readStamps(root).some((c) => hashOf(root, c.files) === c.hash);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Holds a lock folder beside the stamp while `work` runs, so that teams started together do not
 * each run tsc (about 1 GB apiece): the others wait and then find the first one's stamp.
 */
function withLock<T>(root: string, work: () => T): T {
  const lock = `${stampFile(root)}.lock`;
  mkdirSync(join(lock, ".."), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmdirSync(lock);
      } catch {
        // gone meanwhile: try again
      }
      sleep(500);
    }
  }
  try {
    return work();
  } finally {
    rmdirSync(lock);
  }
}

/** Runs tsc over a project of `root`; its diagnostics, or the files it read when there are none. */
function runTsc(root: string, tsconfig: string): { errors: string } | { files: string[] } {
  const tsc = require.resolve("typescript/lib/tsc.js", { paths: [root, __dirname] });
  let out: string;
  try {
    out = execFileSync(process.execPath, [tsc, "-p", join(root, tsconfig), "--noEmit", "--pretty", "false", "--listFiles"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    // tsc prints its diagnostics and, with --listFiles, the files; keep the diagnostics.
    const errors = `${stdout}\n${stderr}`
      .split("\n")
      .filter((l) => l.trim() && !(isAbsolute(l.trim()) && /\.(d\.)?[cm]?ts$/.test(l.trim())))
      .join("\n");
    return { errors: errors || (e instanceof Error ? e.message : String(e)) };
  }
  const files = out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.includes("/node_modules/"))
    // Relative where the file is inside the project, so that a copy of the project (the engine
    // sandbox links the repository's folders) finds the same clean state.
    .map((l) => (relative(root, l).startsWith("..") ? l : relative(root, l)));
  return { files: [...new Set([...files, ...ALWAYS.filter((f) => existsSync(join(root, f)))])].sort() };
}

/**
 * Type-checks the program and the policy pack in `root` (the project folder, where the engine runs
 * the program) unless their files are unchanged since a clean check, and records a clean result.
 * Cost when unchanged: reading and hashing the checked files (~100 files, a few milliseconds); on a
 * change: one tsc run (tens of CPU-seconds, about 1 GB, in a child process).
 * @returns undefined when the code type-checks; otherwise the message to show: tsc's diagnostics,
 * each with its file and line, and what to run.
 */
function record(root: string, files: readonly string[]): void {
  const hash = hashOf(root, files);
  if (!hash) return;
  const kept = [{ files, hash }, ...readStamps(root).filter((c) => c.hash !== hash)].slice(0, KEPT);
  const file = stampFile(root);
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(kept));
  renameSync(`${file}.${process.pid}`, file);
}

/**
 * `npm run typecheck`: tsc over the whole repository (tsconfig.json), always, and on success the
 * same record as typeErrors keeps: the whole repository's files include the program's and the
 * pack's, so the engine's next run, and CI's engine tests after it, do not check them again.
 * @returns tsc's diagnostics, or undefined when everything type-checks.
 */
export function typecheckRepository(root: string): string | undefined {
  return withLock(root, () => {
    const result = runTsc(root, "tsconfig.json");
    if ("errors" in result) return result.errors;
    record(root, result.files);
    return undefined;
  });
}

export function typeErrors(root: string = process.cwd(), log: (line: string) => void = () => {}): string | undefined {
  if (!existsSync(join(root, DEPLOY_TSCONFIG))) return undefined; // not this repository's layout: nothing to check against
  if (isClean(root)) return undefined;
  return withLock(root, () => {
    if (isClean(root)) return undefined; // another process checked the same files meanwhile
    log("Type-checking the program and the policy pack (changed since their last clean check)…");
    const result = runTsc(root, DEPLOY_TSCONFIG);
    if ("errors" in result)
      return `The program or the policy pack does not type-check; nothing was run:\n${result.errors}\n(fix the lines above; \`npm run typecheck\` checks the whole repository)`;
    record(root, result.files);
    return undefined;
  });
}
