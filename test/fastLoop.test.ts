// `npm run test:unit` stays the fast loop (issue 27 item 6): a command started in a process of its
// own costs about 2 CPU-seconds of tsx start-up, and 26 such starts were once over half of the
// suite's CPU. A unit test runs a command in-process (runInProcess, test/support/cli.ts); each
// command keeps one runTool, for its entry point and the real exit. This reads the unit tests
// (everything test:unit runs: not *.integration.test.ts) and fails, naming the files, on a second
// process start of a command, or a tsx started some other way.

import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../paths";

const TESTS = join(ROOT, "test");

/** Unit tests that start tsx themselves because what they test is the process: file → why. May only shrink. */
const PROCESS_ITSELF: Record<string, string> = {
  "test/cli/traffic.test.ts":
    "output into a shell pipe: every line arrives before the process exits, and a reader that stops early (| head)",
};

function unitTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return unitTests(path);
    return e.name.endsWith(".test.ts") && !e.name.endsWith(".integration.test.ts") ? [path] : [];
  });
}

describe("the fast loop (npm run test:unit)", () => {
  const files = unitTests(TESTS).map((path) => ({ name: relative(ROOT, path), text: readFileSync(path, "utf8") }));

  it("reads the unit tests it guards", () => {
    assert.ok(files.length > 50, `${files.length} unit test files`);
    assert.ok(files.some((f) => /runTool\("cli\//.test(f.text)));
  });

  it("starts each command in a process of its own at most once; every other case runs in-process", () => {
    const starts = new Map<string, string[]>();
    for (const f of files)
      for (const m of f.text.matchAll(/runTool\(\s*"(cli\/[\w/]+\.ts)"/g)) starts.set(m[1]!, [...(starts.get(m[1]!) ?? []), f.name]);
    const twice = [...starts].filter(([, where]) => where.length > 1).map(([tool, where]) => `${tool}: ${where.join(", ")}`);
    assert.deepEqual(twice, [], "run these in-process with runInProcess (test/support/cli.ts), or keep one");
  });

  it("starts no tsx but through runTool, except where the process itself is what is tested", () => {
    // tsx's loader in an argument list or a shell line (node's --import flag), or the tsx command.
    const own = files.filter((f) => /["']tsx["']\s*[,)\]]|\/\.bin\/tsx|--import\s+tsx\b/.test(f.text)).map((f) => f.name);
    assert.deepEqual(
      own.filter((f) => !(f in PROCESS_ITSELF)),
      [],
      "start a command with runTool (once) or runInProcess (test/support/cli.ts); or say in PROCESS_ITSELF why the process is the subject",
    );
    assert.deepEqual(
      Object.keys(PROCESS_ITSELF).filter((f) => !own.includes(f)),
      [],
      "listed in PROCESS_ITSELF but starts no tsx of its own: take it off the list",
    );
  });
});
