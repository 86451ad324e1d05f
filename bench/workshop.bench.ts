// `npm run bench:workshop`: the orchestration overhead of provisioning 200 teams on the fake
// workspace, against the ideal (teams / concurrency x per-stack time). Target: within 5%.

import { Orchestrator } from "../workshop/orchestrator";
import { memoryState } from "../workshop/state";
import { MemoryWorkspace } from "../workshop/memoryWorkspace";

const TEAMS = 200;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PER_STACK_MS = Number(process.env.BENCH_STACK_MS ?? 200);

async function main(): Promise<void> {
  const specs = Array.from({ length: TEAMS }, (_, i) => ({
    team: `t${i}`,
    stack: `ev-t${i}`,
    config: { "clickstream-lab:team": { value: `t${i}` } },
  }));
  let updates = 0;
  const t0 = performance.now();
  const results = await new Orchestrator(new MemoryWorkspace(PER_STACK_MS), memoryState()).provision(
    { specs, endsAt: "2026-11-28T18:00:00Z" },
    { concurrency: CONCURRENCY, onProgress: () => updates++ },
  );
  const wall = performance.now() - t0;
  const ideal = (TEAMS / CONCURRENCY) * PER_STACK_MS;
  console.log(
    `${TEAMS} teams, concurrency ${CONCURRENCY}, ${PER_STACK_MS} ms per stack: ${wall.toFixed(0)} ms against an ideal ${ideal.toFixed(0)} ms; ` +
      `overhead ${(((wall - ideal) / ideal) * 100).toFixed(2)}% (target within 5%); ${results.filter((r) => r.state === "up").length} up, ${updates} progress updates`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
