// Every workshop subcommand takes its dependencies (issue 27 item 4): `outputs` and `destroy` run
// in-process here against the in-memory workspace and tags, as status, smoke and the others do.

import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/workshop";
import type { Deps } from "../../cli/workshop/common";
import { MemoryTags, MemoryWorkspace } from "../../workshop/memoryWorkspace";

describe("workshop subcommands in-process", function () {
  this.timeout(60_000);

  /** A state file with two teams up, their stacks in a memory workspace, and what each run printed. */
  function event(left: Record<string, string[]> = {}) {
    const dir = mkdtempSync(join(tmpdir(), "workshop-deps-"));
    const state = join(dir, "state.json");
    const record = (team: string) => ({
      stack: `immersion-day-${team}`,
      status: "up",
      configHash: "",
      endsAt: "2027-06-30T17:00:00Z",
      updatedAt: "2026-11-28T09:00:00Z",
    });
    writeFileSync(state, JSON.stringify({ teams: { t1: record("t1"), t2: record("t2") } }));
    const ws = new MemoryWorkspace(1);
    for (const team of ["t1", "t2"]) ws.stacks.set(`immersion-day-${team}`, { team, stack: `immersion-day-${team}`, config: {} });
    const run = { out: "", err: "", code: 0 };
    const deps: Deps = {
      workspace: () => ws,
      now: () => new Date("2027-06-30T12:00:00Z"),
      out: (t) => void (run.out += t),
      err: (t) => void (run.err += t),
      fail: (code) => void (run.code = code),
      tagging: new MemoryTags(left),
    };
    const workshop = (...args: string[]) => main(["node", "workshop", "--state", state, "--logs", join(dir, "logs"), ...args], deps);
    return { state, ws, run, workshop };
  }

  it("outputs: every team's outputs on the given output, secrets hidden", async () => {
    const e = event();
    await e.workshop("outputs");
    const printed = JSON.parse(e.run.out) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(printed).sort(), ["t1", "t2"]);
    assert.equal(printed.t1!.kdgUrl, "https://kdg/t1");
    assert.equal(printed.t1!.kdgPassword, "[secret]");
  });

  it("destroy: one team through the given workspace, a true receipt, and exit 0 when nothing is left", async () => {
    const e = event();
    await e.ws.installPlugins();
    await e.workshop("destroy", "--team", "t1");
    assert.ok(e.ws.calls.includes("destroy immersion-day-t1"), e.ws.calls.join("\n"));
    assert.ok(!e.ws.calls.includes("destroy immersion-day-t2"));
    assert.match(e.run.out, /Receipt: event /);
    assert.equal(e.run.code, 0, e.run.out + e.run.err);
    const after = JSON.parse(readFileSync(e.state, "utf8")) as { teams: Record<string, { status: string }> };
    assert.equal(after.teams.t2!.status, "up");
  });

  it("destroy: a leftover the tags still show fails the run through the given exit", async () => {
    const e = event({ t1: ["arn:aws:s3:::immersion-day-t1-raw"] });
    await e.ws.installPlugins();
    await e.workshop("destroy", "--team", "t1");
    assert.match(e.run.out, /immersion-day-t1-raw/);
    assert.equal(e.run.code, 1);
  });
});
