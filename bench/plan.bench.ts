// How long the program takes to evaluate one team stack offline (mock account): the part of
// `pulumi up` / `pulumi preview` that is ours. Target: under 2 s per stack. Prints figures; it
// asserts nothing, since wall time depends on the machine.

import { performance } from "node:perf_hooks";
import { planStack } from "../offline/plan";

const TARGET_MS = 2000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function main(): Promise<void> {
  const cold = performance.now();
  const first = await planStack("workshop");
  const coldMs = performance.now() - cold;

  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await planStack("workshop");
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`team stack: ${first.resources.length} resources`);
  console.log(`cold evaluation (first, loads @pulumi/aws): ${coldMs.toFixed(0)} ms`);
  console.log(
    `warm evaluation, median of ${RUNS}: ${median.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)})`,
  );
  console.log(
    `cold / target (${TARGET_MS} ms): ${(coldMs / TARGET_MS).toFixed(2)}  ${coldMs < TARGET_MS ? "within target" : "OVER TARGET"}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
