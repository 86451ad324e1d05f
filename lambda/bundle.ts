// The alert Lambda's deployment artifact: lambda/alert.ts bundled by esbuild into one small
// CommonJS file. The AWS SDK v3 is left out: the Node.js Lambda runtimes ship it, and leaving it
// out keeps the package a few kilobytes instead of megabytes.
//
// The program bundles on every preview and up, and esbuild's bundle (a child process, a dozen
// files) was about half a CPU-second of each run (issue 24). So the last bundle is kept on disk with
// the hash of every file esbuild read for it; while none of them changed, the kept text is the
// bundle, byte for byte, and the asset's hash (so the engine's diff) is the same.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { buildSync, version, type BuildOptions } from "esbuild";
import { CACHE_DIR } from "../paths";

export const ALERT_ENTRY = join(__dirname, "alert.ts");

/** Where the last bundle is kept. */
export const BUNDLE_CACHE = join(CACHE_DIR, "alert-bundle.json");

/** esbuild's options for the alert handler (entry and working folder aside). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  sourcemap: false,
  external: ["@aws-sdk/*"],
  write: false,
  logLevel: "silent",
} as const satisfies BuildOptions;

/** A kept bundle: what it was built from and what it is. */
interface KeptBundle {
  /** esbuild's version, the options and the entry: a change of any is another bundle. */
  readonly key: string;
  /** Every file esbuild read (absolute path) with its SHA-256. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly text: string;
}

function sha256(path: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return undefined; // gone: the kept bundle is stale
  }
}

function kept(file: string, key: string): string | undefined {
  let bundle: KeptBundle;
  try {
    bundle = JSON.parse(readFileSync(file, "utf8")) as KeptBundle;
  } catch {
    return undefined; // none yet, or unreadable: build
  }
  if (bundle.key !== key || typeof bundle.text !== "string" || typeof bundle.inputs !== "object") return undefined;
  const inputs = Object.entries(bundle.inputs);
  return inputs.length && inputs.every(([path, hash]) => sha256(path) === hash) ? bundle.text : undefined;
}

function keep(file: string, bundle: KeptBundle): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Another team's program may be writing the same file: each writes its own and renames.
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(bundle));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // A read-only checkout only bundles every time.
  }
}

/** The tsconfig.json esbuild reads for `entry` (the nearest one up), which the metafile does not list. */
function tsconfigOf(entry: string): string | undefined {
  for (let dir = dirname(resolve(entry)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "tsconfig.json"))) return join(dir, "tsconfig.json");
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The alert handler as one CommonJS file (minified; the AWS SDK left to the runtime).
 * @param entry the handler's TypeScript entry (tests bundle their own).
 * @param cacheFile where the last bundle is kept (BUNDLE_CACHE).
 * @throws esbuild's error when the handler does not build.
 */
export function bundleAlert(entry: string = ALERT_ENTRY, cacheFile: string = BUNDLE_CACHE): string {
  const key = JSON.stringify({ esbuild: version, options: BUNDLE_OPTIONS, entry: resolve(entry) });
  const hit = kept(cacheFile, key);
  if (hit !== undefined) return hit;
  const workingDir = dirname(resolve(entry));
  const out = buildSync({ ...BUNDLE_OPTIONS, entryPoints: [entry], absWorkingDir: workingDir, metafile: true });
  const text = out.outputFiles[0]!.text;
  const inputs: Record<string, string> = {};
  const tsconfig = tsconfigOf(entry);
  for (const path of [...Object.keys(out.metafile.inputs).map((input) => resolve(workingDir, input)), ...(tsconfig ? [tsconfig] : [])]) {
    const hash = sha256(path);
    if (hash === undefined) return text; // a virtual input: nothing to compare next time, so keep nothing
    inputs[path] = hash;
  }
  keep(cacheFile, { key, inputs, text });
  return text;
}
