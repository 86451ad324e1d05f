// `npm run bench:stack`: what one team's stack costs the instructor's machine, on the real Pulumi
// engine against the fake AWS account (offline/engine/sandbox.ts), with this repository's settings
// and, side by side in the same run, with the settings before issue 24 (the program and the pack
// type-checked by ts-node on every run). For each operation: wall time and CPU-seconds of the whole
// `pulumi` command (/usr/bin/time), and the CPU-seconds and peak memory of each of its processes (the
// program, the pack, the fake provider, the engine), read from /proc every 100 ms while it runs.
// Then the projection for an event: teams in flight on a laptop of N GB, CPU-hours for 200 teams.
// Prints figures; asserts nothing, except that every operation succeeded.
//
// BENCH_SETTINGS=now (or today) runs one set only.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, engineBin, POLICY_PACK_SHIM, type EngineSandbox } from "../offline/engine/sandbox";
import { JAR_PATH, requireJar } from "../components/analytics";
import { DEPLOY_TSCONFIG, typeErrors } from "../infra/typecheck";
import { POLICY_PACK_DIR, ROOT } from "../paths";
import { AWS_PROVIDER, RESERVED_MB, thisMachine } from "../workshop/capacity";

type Role = "program" | "pack" | "provider" | "engine" | "other";

/** One process's figures: CPU-seconds (user + system) and peak resident memory (VmHWM), MB. */
interface ProcessFigures {
  role: Role;
  cpu: number;
  peakMb: number;
}

interface OpFigures {
  readonly wall: number;
  /** The whole command, every process it waited for (getrusage of /usr/bin/time's child). */
  readonly cpu: number;
  readonly byRole: Record<Role, { cpu: number; peakMb: number; count: number }>;
}

const TICKS = 100; // USER_HZ on Linux
const POLL_MS = 100;

function roleOf(cmdline: string): Role {
  if (cmdline.startsWith("/usr/bin/time")) return "other";
  if (cmdline.includes("run-policy-pack")) return "pack";
  if (cmdline.includes("@pulumi/pulumi/cmd/run")) return "program";
  if (cmdline.includes("fakeAws/plugin.ts")) return "provider";
  if (/(^|\/)pulumi(-language-nodejs)?(\0|$)/.test(cmdline)) return "engine";
  return "other";
}

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

/** Samples every process under `root` until stopped; the last sample of each is (nearly) its total. */
function watch(root: number): { stop: () => ProcessFigures[] } {
  const seen = new Map<number, ProcessFigures>();
  const sample = () => {
    const kids = children();
    const queue = [root];
    while (queue.length) {
      const pid = queue.pop()!;
      queue.push(...(kids.get(pid) ?? []));
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
        // The role is read again on every sample: a shim (the pack's) is a shell until it execs node.
        const role = roleOf(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
        const figures = seen.get(pid) ?? { role, cpu: 0, peakMb: 0 };
        if (figures.role === "other") figures.role = role;
        figures.cpu = Math.max(figures.cpu, cpu);
        figures.peakMb = Math.max(figures.peakMb, hwm);
        seen.set(pid, figures);
      } catch {
        // exited between the listing and the read
      }
    }
  };
  const timer = setInterval(sample, POLL_MS);
  sample();
  return {
    stop: () => {
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

interface Settings {
  readonly name: "now" | "today";
  readonly sb: EngineSandbox;
  readonly pack: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs `pulumi args` under /usr/bin/time, sampling its processes. */
async function measure(s: Settings, args: readonly string[]): Promise<OpFigures> {
  const timeFile = join(s.sb.project, "..", "time.out");
  const t0 = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, join(engineBin(), "pulumi"), ...args], {
    cwd: s.sb.project,
    env: { ...s.sb.env, ...s.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const watcher = watch(child.pid!);
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  const wall = (performance.now() - t0) / 1000;
  const procs = watcher.stop();
  if (code !== 0) throw new Error(`pulumi ${args.join(" ")} (${s.name}) failed:\n${output}`);
  const [user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  const byRole = Object.fromEntries(
    (["program", "pack", "provider", "engine", "other"] as Role[]).map((r) => {
      const of = procs.filter((p) => p.role === r);
      return [r, { cpu: of.reduce((a, p) => a + p.cpu, 0), peakMb: Math.max(0, ...of.map((p) => p.peakMb)), count: of.length }];
    }),
  ) as OpFigures["byRole"];
  return { wall, cpu: user! + sys!, byRole };
}

/** The settings before issue 24: ts-node type-checks the program, and the pack's TypeScript entry is loaded as such. */
function todaysPack(dir: string): string {
  const shim = join(dir, "policy-pack-typechecked");
  writeFileSync(
    shim,
    `#!/bin/sh\ncd "${POLICY_PACK_DIR}" || exit 1\nexec node "${join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack")}" "$1" "${join(POLICY_PACK_DIR, "index.ts")}"\n`,
    { mode: 0o755 },
  );
  return shim;
}

const OPS: readonly { name: string; args: (pack: string) => string[] }[] = [
  { name: "preview --policy-pack", args: (p) => ["preview", "--policy-pack", p] },
  { name: "preview", args: () => ["preview"] },
  { name: "up --policy-pack (create)", args: (p) => ["up", "--yes", "--skip-preview", "--policy-pack", p] },
  { name: "up --policy-pack, no change", args: (p) => ["up", "--yes", "--skip-preview", "--policy-pack", p] },
  { name: "up, no change", args: () => ["up", "--yes", "--skip-preview"] },
  { name: "destroy", args: () => ["destroy", "--yes", "--skip-preview"] },
];

const f1 = (n: number) => n.toFixed(1);
const mb = (n: number) => `${Math.round(n)}`;

async function setUp(s: Settings): Promise<void> {
  const endsAt = new Date(Date.now() + 4 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
  for (const args of [
    ["login", s.sb.backend],
    ["stack", "init", "dev"],
    ["config", "set", "notificationEmail", "bench@example.com"],
    ["config", "set", "endsAt", endsAt],
  ]) {
    const r = await s.sb.pulumi(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  }
}

/** The one-off cost after a change: tsc over the deploy project, as infra/typecheck.ts runs it. */
function oneOffTypeCheck(project: string): string {
  const timeFile = join(project, "..", "tsc-time.out");
  const r = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%e %U %S %M",
      "-o",
      timeFile,
      process.execPath,
      require.resolve("typescript/lib/tsc.js"),
      "-p",
      join(project, DEPLOY_TSCONFIG),
      "--noEmit",
    ],
    { cwd: project, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`tsc over ${DEPLOY_TSCONFIG} failed:\n${r.stdout}${r.stderr}`);
  const [wall, user, sys, kb] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  // Record the clean state as the instructor CLI does before its first team.
  if (typeErrors(project)) throw new Error("the type check disagrees with tsc");
  return `${f1(wall!)} s wall, ${f1(user! + sys!)} CPU-s, ${mb(kb! / 1024)} MB`;
}

async function main(): Promise<void> {
  requireJar(JAR_PATH); // the program refuses to run without it; say so before any sandbox
  const only = process.env.BENCH_SETTINGS;
  const scratch = mkdtempSync(join(tmpdir(), "bench-stack-"));
  const all: Settings[] = [
    {
      name: "today" as const,
      sb: createSandbox({ main: "infra/index.ts" }),
      pack: todaysPack(scratch),
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
    },
    { name: "now" as const, sb: createSandbox(), pack: POLICY_PACK_SHIM, env: {} },
  ].filter((s) => !only || s.name === only);
  const results = new Map<string, OpFigures>();
  const notes: string[] = [];
  try {
    for (const s of all) await setUp(s);
    const typeCheck = oneOffTypeCheck(all[0]!.sb.project);
    process.stderr.write(`one-off type check of the program and the pack: ${typeCheck}\n`);
    notes.push(
      `After a change, once (infra/typecheck.ts, or the instructor CLI before its first team): tsc over ${DEPLOY_TSCONFIG}: ${typeCheck}.`,
    );
    // Each operation with both settings, one after the other, so that the machine's load drifts alike for both.
    for (const op of OPS)
      for (const s of all) {
        process.stderr.write(`${op.name} (${s.name})…\n`);
        results.set(`${op.name}|${s.name}`, await measure(s, op.args(s.pack)));
      }
  } finally {
    for (const s of all) s.sb.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }

  const m = thisMachine();
  console.log(
    `\nOne team's stack (dev), real engine + fake account; ${m.cores} cores, ${Math.round(m.totalMb / 1024)} GB; ${new Date().toISOString()}`,
  );
  console.log("CPU in s (user + system), memory = peak resident MB; 'today' = before issue 24 (ts-node type-checks program and pack)\n");
  console.log(
    "| operation | settings | wall s | CPU s, whole command | program CPU / peak | pack CPU / peak | fake provider CPU / peak | engine CPU / peak |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const op of OPS)
    for (const s of all) {
      const r = results.get(`${op.name}|${s.name}`)!;
      const cell = (role: Role) => (r.byRole[role].count ? `${f1(r.byRole[role].cpu)} / ${mb(r.byRole[role].peakMb)}` : "-");
      console.log(
        `| ${op.name} | ${s.name} | ${f1(r.wall)} | ${f1(r.cpu)} | ${cell("program")} | ${cell("pack")} | ${cell("provider")} | ${cell("engine")} |`,
      );
    }

  console.log("\nPer team: preview --policy-pack + up --policy-pack (create), as the instructor CLI runs them");
  for (const s of all) {
    const ops = [results.get(`preview --policy-pack|${s.name}`)!, results.get(`up --policy-pack (create)|${s.name}`)!];
    const ours = ops.reduce((a, r) => a + r.byRole.program.cpu + r.byRole.pack.cpu, 0);
    const engine = ops.reduce((a, r) => a + r.byRole.engine.cpu, 0);
    const largest = Math.max(...ops.flatMap((r) => [r.byRole.program.peakMb, r.byRole.pack.peakMb, r.byRole.engine.peakMb]));
    const inFlight = Math.max(...ops.map((r) => r.byRole.program.peakMb + r.byRole.pack.peakMb + r.byRole.engine.peakMb));
    const wall = ops.reduce((a, r) => a + r.wall, 0);
    const verdict = ours <= 10 && largest <= 500 ? "meets" : "misses";
    console.log(
      `  ${s.name}: program + pack ${f1(ours)} CPU-s, engine ${f1(engine)} CPU-s, largest process ${mb(largest)} MB, ` +
        `${mb(inFlight)} MB in flight (program + pack + engine), ${f1(wall)} s wall; ${verdict} the goal (≤ 10 CPU-s, no process > 500 MB)`,
    );
    const perTeamMb = inFlight + AWS_PROVIDER.peakMb;
    const perTeamCpu = ours + engine + AWS_PROVIDER.cpuSeconds;
    const laptops = [8, 16, 32]
      .map((gb) => `${gb} GB: ${Math.max(0, Math.floor((gb * 1024 - RESERVED_MB - 2048) / perTeamMb))}`)
      .join(", ");
    console.log(
      `    projection (adds the AWS provider plugin, assumed ${AWS_PROVIDER.peakMb} MB and ${AWS_PROVIDER.cpuSeconds} CPU-s; workshop/capacity.ts): ` +
        `~${mb(perTeamMb)} MB per team in flight; teams in flight on a laptop of ${laptops} (${RESERVED_MB} MB for the CLI and 2 GB for the rest kept back); ` +
        `200 teams: ${((200 * perTeamCpu) / 3600).toFixed(2)} CPU-hours`,
    );
  }
  for (const n of notes) console.log(n);
  if (!existsSync("/usr/bin/time")) console.log("(no /usr/bin/time: whole-command CPU not measured)");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
