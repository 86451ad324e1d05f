// Every way `npm start` can end leaves nothing running and says so (issue 26, kind 4), with real
// processes: `npm start` itself (npm, its `sh -c`, node) or its entry, the real Flink JVM under its
// reaper, and the ending sent as a user, a process manager or a bug would send it. Each case waits
// until the JVM is there, ends the run, and checks that every process of the run's tree is gone
// and what the terminal was told. About 15-40 s per case on 2 busy cores (the JVM's start and
// shutdown); no timing is asserted.

import { strict as assert } from "node:assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { ROOT } from "../../paths";
import { STOPPED, STOPPING } from "../../local/lifecycle";
import { ORPHAN_NOTICE } from "../../local/reaper";

const LAB_ARGS = ["--no-page", "--steady-seconds", "60", "--compression", "10"];
const JVM = "lab.clickstream.ClickstreamJob";

interface Run {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves when both output streams are closed (every process that held them is gone) and the child has exited. */
  readonly closed: Promise<void>;
}

/** Starts a run in its own process group (as a terminal's job is), stdin a pipe, output kept. */
function start(command: string, args: string[]): Run {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const streams = [child.stdout, child.stderr].map((s) => new Promise<void>((r) => s.once("close", () => r())));
  const closed = Promise.all([exited, ...streams]).then(() => undefined);
  return { child, output: () => out, closed };
}

const npmStart = () => start("npm", ["start", "--", ...LAB_ARGS]);
const entry = (nodeArgs: string[] = [], file = "cli/start.ts") =>
  start(process.execPath, [...nodeArgs, "--import", "tsx", file, ...LAB_ARGS]);

/** pid → command line of every process. */
function processes(): Map<number, { ppid: number; cmd: string; zombie: boolean }> {
  const table = new Map<number, { ppid: number; cmd: string; zombie: boolean }>();
  for (const line of execFileSync("ps", ["-e", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" }).split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) table.set(Number(m[1]), { ppid: Number(m[2]), zombie: m[3]!.startsWith("Z"), cmd: m[4]! });
  }
  return table;
}

/** The live processes under `root` (itself included). */
function tree(root: number): Map<number, string> {
  const all = processes();
  const found = new Map<number, string>();
  const visit = (pid: number) => {
    const p = all.get(pid);
    if (!p || p.zombie) return;
    found.set(pid, p.cmd);
    for (const [child, q] of all) if (q.ppid === pid) visit(child);
  };
  visit(root);
  return found;
}

async function until<T>(what: string, probe: () => T | undefined, run: Run, ms = 300_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the run's Flink JVM runs; returns every process of the run then. */
async function jvmUp(run: Run): Promise<Map<number, string>> {
  return until(
    "the Flink JVM",
    () => {
      const t = tree(run.child.pid!);
      return [...t.values()].some((cmd) => cmd.includes(JVM)) ? t : undefined;
    },
    run,
  );
}

/** Waits until none of `pids` is alive; fails naming the ones left. */
async function allGone(pids: Map<number, string>, run: Run): Promise<void> {
  const alive = () => {
    const now = processes();
    return [...pids].filter(([pid, cmd]) => {
      const p = now.get(pid);
      return p && !p.zombie && p.cmd === cmd;
    });
  };
  const end = Date.now() + 120_000;
  while (alive().length && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(
    alive().map(([pid, cmd]) => `${pid} ${cmd.slice(0, 120)}`),
    [],
    `left running after the run ended; output:\n${run.output()}`,
  );
}

/** Sends `signal` to the run's whole process group (what a terminal does), ignoring a group already gone. */
function toGroup(run: Run, signal: NodeJS.Signals): void {
  process.kill(-run.child.pid!, signal);
}

describe("npm start ends, every way, with nothing left running (issue 26, kind 4)", function () {
  this.timeout(900_000);
  const runs: Run[] = [];
  afterEach(() => {
    // A failed case must not leave its JVM for the next: kill whatever of its tree is left.
    for (const run of runs.splice(0))
      for (const pid of tree(run.child.pid!).keys())
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* gone */
        }
  });

  it("SIGTERM to the npm process (an IDE's stop button) stops node and the JVM and says so; a second run at once has its own work folder", async () => {
    const first = npmStart();
    const second = entry();
    runs.push(first, second);
    const [firstTree, secondTree] = [await jvmUp(first), await jvmUp(second)];
    first.child.kill("SIGTERM"); // npm's own pid: npm forwards it to `sh -c`, which dies of it
    await allGone(firstTree, first);
    await first.closed;
    assert.match(first.output(), new RegExp(`is gone\\. ${STOPPING}`));
    assert.ok(first.output().includes(STOPPED), first.output());

    // Ctrl-C: the terminal sends SIGINT to the foreground group.
    toGroup(second, "SIGINT");
    await allGone(secondTree, second);
    await second.closed;
    assert.ok(second.output().includes(`SIGINT received. ${STOPPING}`), second.output());
    assert.ok(second.output().includes(STOPPED), second.output());
    assert.equal(second.child.exitCode, 130);
    const logOf = (run: Run) => /log: (\S+)\)/.exec(run.output())?.[1];
    const [firstLog, secondLog] = [
      await until("the first log", () => logOf(first), first),
      await until("the second log", () => logOf(second), second),
    ];
    assert.notEqual(dirname(firstLog), dirname(secondLog), "two runs share a work folder");
    assert.ok(existsSync(firstLog) && existsSync(secondLog), "both runs' logs are kept");
  });

  for (const signal of ["SIGTERM", "SIGHUP"] as const)
    it(`${signal} to npm start's process group${signal === "SIGHUP" ? " (the terminal closed)" : ""} stops the JVM and says so`, async () => {
      const run = npmStart();
      runs.push(run);
      const pids = await jvmUp(run);
      toGroup(run, signal);
      await allGone(pids, run);
      await run.closed;
      assert.ok(run.output().includes(`${signal} received. ${STOPPING}`), run.output());
      assert.ok(run.output().includes(STOPPED), run.output());
    });

  it("an uncaught exception in node stops the JVM, names the error and exits 1", async () => {
    const run = entry([], "test/local/startWithFault.ts");
    runs.push(run);
    const pids = await jvmUp(run);
    run.child.stdin!.write("throw\n");
    await allGone(pids, run);
    await run.closed;
    assert.ok(run.output().includes(`npm start failed: a fault injected by the test. ${STOPPING}`), run.output());
    assert.ok(run.output().includes(STOPPED), run.output());
    assert.equal(run.child.exitCode, 1);
  });

  it("node running out of memory (no handler can run) still stops the JVM: its reaper does, and says so", async () => {
    const run = entry(["--max-old-space-size=192"], "test/local/startWithFault.ts");
    runs.push(run);
    const pids = await jvmUp(run);
    run.child.stdin!.write("oom\n");
    await allGone(pids, run);
    await run.closed;
    assert.match(run.output(), /heap out of memory/);
    assert.ok(run.output().includes(ORPHAN_NOTICE), run.output());
    assert.match(run.output(), /Stopped the Flink job \(pid \d+\); nothing of npm start is left running\./);
  });
});
