// Runs one of our command-line tools as a user would (through tsx), and keeps its exit code and
// both output streams whatever the outcome.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../paths";
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ToolRun> {
  return promisify(execFile)(TSX, [tool, ...args], { cwd: ROOT, env, encoding: "utf8" }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
