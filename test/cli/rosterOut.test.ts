// `npm run workshop -- roster --out <file>` writes clear-text KDG passwords (issue #26, kind 1):
// the file ends owner-only whatever was there, is never written through a link, and a bad --out
// is refused naming --out before anything is printed or any stack is read.

import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/workshop";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";
import { runInProcess } from "../support/cli";
import { workshopInProcess } from "../support/workshopCli";

describe("workshop roster --out", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "roster-out-"));
  const state = join(dir, "state.json");
  writeFileSync(
    state,
    JSON.stringify({
      teams: {
        t1: { stack: "immersion-day-t1", status: "up", configHash: "", endsAt: "2027-06-30T17:00:00Z", updatedAt: "2026-11-28T09:00:00Z" },
      },
    }),
  );

  /** The roster in-process against an in-memory workspace holding team t1's stack. */
  function roster(args: string[]) {
    const ws = new MemoryWorkspace();
    ws.stacks.set("immersion-day-t1", { team: "t1", stack: "immersion-day-t1", config: {} });
    return workshopInProcess(["--state", state, "roster", ...args], { workspace: () => ws, now: () => new Date() });
  }

  it("turns an existing 0644 hand-out into an owner-only file (the reported input)", async () => {
    const path = join(dir, "handout.csv");
    writeFileSync(path, "last event's hand-out\n");
    chmodSync(path, 0o644);
    const r = await roster(["--format", "csv", "--out", path]);
    assert.equal(r.code, 0);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, "utf8"), /^t1,https:\/\/kdg\/t1,kdg-user,pw-t1,/m);
    assert.equal(r.out, "", "the passwords go to the file only");
  });

  it("never writes the passwords through a symbolic link", async () => {
    const target = join(dir, "shared-notes.txt");
    writeFileSync(target, "notes\n");
    chmodSync(target, 0o644);
    const link = join(dir, "link.csv");
    symlinkSync(target, link);
    const r = await runInProcess("cli/workshop.ts", main, ["--state", state, "roster", "--out", link]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--out .*link\.csv is a symbolic link/);
    assert.equal(readFileSync(target, "utf8"), "notes\n");
  });

  for (const [what, out, expected] of [
    ["empty", "", /--out is empty: name a file to write/],
    ["a folder", "FOLDER", /--out .* is a folder: name a file in it/],
    ["in a missing folder", join("missing", "handout.csv"), /--out .*handout\.csv: the folder .*missing does not exist/],
  ] as const)
    it(`refuses an --out that is ${what}, naming --out, before printing anything`, async () => {
      const path = out === "FOLDER" ? dir : out === "" ? "" : join(dir, out);
      // No passphrase: reaching the workspace would fail differently.
      const r = await runInProcess("cli/workshop.ts", main, ["--state", state, "roster", "--out", path], {
        PULUMI_CONFIG_PASSPHRASE: "",
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /WARNING/);
      assert.equal(r.stdout, "");
    });

  it("writes a new hand-out owner-only too", async () => {
    mkdirSync(join(dir, "sub"));
    const path = join(dir, "sub", "h.md");
    const r = await roster(["--out", path]);
    assert.equal(r.code, 0);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});
