// Two `npm start` runs in one checkout never share a work file (issue 26, kind 4: the second run
// used to truncate the first's Flink log, .workshop/local/flink.log, for both).

import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newRunFolder } from "../../local/lab";

describe("the local lab's run folders", () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), "runs-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("gives each run its own new folder, even two in the same millisecond from one process", () => {
    const folders = Array.from({ length: 5 }, () => newRunFolder(root));
    assert.equal(new Set(folders).size, 5);
    for (const f of folders) assert.deepEqual(readdirSync(f), [], `${f} starts empty`);
  });

  it("keeps the newest ten runs' folders and any whose run is still running, and removes the rest", () => {
    // Twelve old runs of a process that is gone (pid 999999999 exceeds every pid_max), one of this process.
    for (let i = 0; i < 12; i++) mkdirSync(join(root, `2026-01-01T00-00-${String(i).padStart(2, "0")}-000Z-999999999-abc${i}`));
    const live = `2025-01-01T00-00-00-000Z-${process.pid}-live01`;
    mkdirSync(join(root, live));
    const mine = newRunFolder(root);
    const left = readdirSync(root).sort();
    assert.ok(left.includes(live), "a running run's folder is kept");
    assert.ok(left.includes(mine.split("/").pop()!));
    const old = left.filter((n) => n.includes("-999999999-"));
    assert.deepEqual(
      old,
      Array.from({ length: 10 }, (_, i) => `2026-01-01T00-00-${String(i + 2).padStart(2, "0")}-000Z-999999999-abc${i + 2}`),
    );
  });
});
