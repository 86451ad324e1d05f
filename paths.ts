// Where things live in this repository, in one place. Every module that needs a path outside its
// own folder takes it from here, so a move is one edit.

import { join } from "node:path";

/** The repository root (the folder with Pulumi.yaml and package.json). */
export const ROOT = __dirname;

/** The Flink job's Maven project. */
export const ANALYTICS_DIR = join(ROOT, "analytics");

/** The shaded JAR that `npm run build:jar` writes and the analytics component uploads. */
export const JAR_PATH = join(ANALYTICS_DIR, "target", "clickstream-analytics-1.0.0.jar");

/** The lab's SQL and the runtime-property contract that the job and the component share. */
export const SQL_DIR = join(ROOT, "sql");

/** The CrossGuard policy pack's folder (what `--policy-pack` names). */
export const POLICY_PACK_DIR = join(ROOT, "policy");

/** Local working state: instructor state and logs, the local lab's logs, generated stack files. */
export const WORK_DIR = join(ROOT, ".workshop");

/** moto's server, installed into the clone's own virtualenv by `npm run setup`. */
export const MOTO_SERVER = join(ROOT, ".venv", "bin", "moto_server");

/** What the tools keep between runs (kept bundles, type-check stamps); `npm ci` clears it with node_modules. */
export const CACHE_DIR = join(ROOT, "node_modules", ".cache", "clickstream-lab");
