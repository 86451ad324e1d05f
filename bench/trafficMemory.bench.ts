// The traffic sender's memory against the length of a run: 10 million scheduled records (two
// windows at 100,000 records/s for 50 s, all due at once) played through the real sender into an
// in-process target that accepts everything, so that only the schedule and the sender are
// measured. Peak RSS and heap are sampled every 10 ms. Run by `npm run bench:traffic` in its own
// process (so the peak is this run's alone), or directly: `tsx bench/trafficMemory.bench.ts [count]`.
// For contrast it also builds the same schedule as an array (schedule(), what the sender took
// before) for one million records.

import { lazySchedule, profile, schedule } from "../traffic/profiles";
import { send } from "../traffic/sender";
import type { Target } from "../traffic/targets";

const MiB = 1024 * 1024;

function sampler(): { stop(): { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 10);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { rss, heap };
    },
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000_000);
  const base = process.memoryUsage();
  let accepted = 0;
  const target: Target = {
    describe: "an in-process target that accepts everything",
    maxRecords: 500,
    maxBytes: 5 * MiB,
    put: (records) => {
      accepted += records.length;
      // A turn of the event loop per call, as a network call gives, so that the sampler runs.
      return new Promise((resolve) => setImmediate(() => resolve([])));
    },
    close: () => {},
  };
  const records = lazySchedule(profile("steady", { steadySeconds: count / 2 / 100_000, rate: 100_000 }), { compression: 1e9, jitterMs: 0 });
  const mem = sampler();
  const report = await send(records, target);
  const peak = mem.stop();
  console.log(
    `lazy schedule, ${report.scheduled.toLocaleString("en-US")} records through the sender: ${report.sent.toLocaleString("en-US")} sent (${accepted.toLocaleString("en-US")} accepted), ` +
      `${report.failed} failed, ${report.unsent} unsent in ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(report.ratePerSecond).toLocaleString("en-US")} records/s); ` +
      `peak RSS ${(peak.rss / MiB).toFixed(0)} MiB (${((peak.rss - base.rss) / MiB).toFixed(0)} MiB above the start), peak heap ${(peak.heap / MiB).toFixed(0)} MiB`,
  );

  const eagerCount = 1_000_000;
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const eager = sampler();
  const array = schedule(profile("steady", { steadySeconds: eagerCount / 2 / 100_000, rate: 100_000 }), { compression: 1e9, jitterMs: 0 });
  const eagerPeak = eager.stop();
  console.log(
    `for contrast, the same schedule as an array of ${array.length.toLocaleString("en-US")} records: heap ${((eagerPeak.heap - before) / MiB).toFixed(0)} MiB above the start ` +
      `(about ${((((eagerPeak.heap - before) / array.length) * 10_000_000) / MiB / 1024).toFixed(1)} GiB at 10 million)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
