// `--busy-wait <s>` on every command that runs a team's stack: provision, destroy and extend honour
// it as update does (test/workshop/rollout.test.ts "--busy-wait bounds the wait"), through the one
// option of cli/workshop/common.ts. Each team's stack here answers every try with a Flink
// application busy changing state (ResourceInUseException), so without the bound the command
// would keep trying for the default 900 s; with `--busy-wait 0.3` it gives that team up within
// seconds, after more than one try.

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { busyWaitOption } from "../../cli/workshop/common";
import { destroyCommand } from "../../cli/workshop/destroy";
import { extendCommand } from "../../cli/workshop/extend";
import { provisionCommand } from "../../cli/workshop/provision";
import { updateCommand } from "../../cli/workshop/update";
import { teamStackName } from "../../infra/naming";
import { MemoryTags, MemoryWorkspace } from "../../workshop/memoryWorkspace";
import { BUSY_WAIT_MS } from "../../workshop/orchestrator";
import { workshopInProcess } from "../support/workshopCli";

const PROJECT = "clickstream-lab";
const EVENT = "immersion-day";
const NOW = new Date("2027-06-30T12:00:00Z");
const END = "2027-06-30T17:00:00Z";

/** What the engine prints when UpdateApplication/DeleteApplication meets a busy application. */
const busy = (stack: string) =>
  new Error(
    `AWS would reject aws:kinesisanalyticsv2/application:Application "analytics-app": - application ${stack}-anomaly-detection is STOPPING: ResourceInUseException\ncode: 255`,
  );

/** A project folder, a state file with team t1 up (or none), and a workspace whose t1 stack is always busy. */
function event(up: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "busy-wait-"));
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  writeFileSync(join(dir, "Pulumi.workshop.yaml"), `config:\n  ${PROJECT}:event: ${EVENT}\n  ${PROJECT}:endsAt: "${END}"\n`);
  writeFileSync(join(dir, "teams.csv"), "team,email\nt1,t1@example.com\n");
  const stack = teamStackName(EVENT, "t1");
  const state = join(dir, "state.json");
  const ws = new MemoryWorkspace(1);
  if (up) {
    writeFileSync(
      state,
      JSON.stringify({ teams: { t1: { stack, status: "up", configHash: "", endsAt: END, updatedAt: "2027-06-30T09:00:00Z" } } }),
    );
    const config = { event: EVENT, team: "t1", notificationEmail: "t1@example.com", endsAt: END };
    ws.stacks.set(stack, {
      team: "t1",
      stack,
      config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, { value: v }])),
    });
  }
  ws.failures.set(
    stack,
    Array.from({ length: 10_000 }, () => busy(stack)),
  );
  const run = async (...args: string[]) => {
    await ws.installPlugins();
    const started = Date.now();
    const r = await workshopInProcess(["--project", dir, "--state", state, "--logs", join(dir, "logs"), ...args], {
      workspace: () => ws,
      now: () => NOW,
      tagging: new MemoryTags({}),
    });
    return { ...r, seconds: (Date.now() - started) / 1000 };
  };
  /**
   * The command ran `kind` (up, destroy) on the busy stack more than once, then gave t1 up well
   * before the default wait, with exit 1 and the busy error in `failure`'s line.
   */
  const gaveUp = (r: Awaited<ReturnType<typeof run>>, kind: string, failure: RegExp) => {
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, failure);
    assert.ok(ws.calls.filter((c) => c === `${kind} ${stack}`).length > 1, "it waited and tried again while busy");
    assert.ok(r.seconds < 30, `it stopped waiting after ${r.seconds} s`);
  };
  return { dir, run, gaveUp };
}

const FAILED = /FAILED t1 after \d+ attempt\(s\): .*ResourceInUseException/;

describe("--busy-wait on provision, destroy and extend (one option: cli/workshop/common.ts)", function () {
  this.timeout(60_000);

  it("provision gives up a team whose application stays busy once --busy-wait has passed", async () => {
    const e = event(false);
    const r = await e.run(
      "provision",
      "--roster",
      join(e.dir, "teams.csv"),
      "--quotas",
      "documented",
      "--skip-preflight",
      "--concurrency",
      "1",
      "--busy-wait",
      "0.3",
    );
    e.gaveUp(r, "up", FAILED);
  });

  it("destroy gives up a team whose application stays busy once --busy-wait has passed", async () => {
    const e = event(true);
    const r = await e.run("destroy", "--team", "t1", "--busy-wait", "0.3");
    e.gaveUp(r, "destroy", FAILED);
  });

  it("extend gives up a team whose up meets a busy application once --busy-wait has passed", async () => {
    const e = event(true);
    const r = await e.run("extend", "--until", "2027-06-30T19:00:00Z", "--concurrency", "1", "--busy-wait", "0.3");
    e.gaveUp(r, "up", /t1: .*ResourceInUseException/);
  });

  it("is one option: the same help and default (900 s) on every command that runs a stack", () => {
    assert.equal(BUSY_WAIT_MS / 1000, 900);
    // Commander wraps help to the terminal's width: compared with its line breaks and indents as spaces.
    const flat = (text: string) => /--busy-wait <s>.*?\(default: 900\)/.exec(text.replace(/\s+/g, " "))?.[0];
    const expected = flat(new Command().addOption(busyWaitOption()).helpInformation());
    assert.match(expected ?? "", /ResourceInUseException/);
    for (const cmd of [provisionCommand(), updateCommand(), destroyCommand(), extendCommand()])
      assert.equal(flat(cmd.helpInformation()), expected, `${cmd.name()} --help`);
  });
});
