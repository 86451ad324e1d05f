// `npm run bench:traffic`: how fast the traffic sender pushes records, and whether it loses any
// against one shard's write limit. Figures, not pass/fail: the machine's noise belongs in numbers.
//   1. records/s into moto's Kinesis on 127.0.0.1 (a real protocol endpoint, but Python: it is
//      usually the bottleneck), and into the small Node throttling endpoint without a limit;
//      for each, records per CPU-second of the sender itself (the "one core" figure).
//   2. the lab's rate against a 1,000 records/s token bucket: 1,500 records/s offered for 4 s;
//      loss must be 0 (throttled records are retried, not dropped).
//   3. memory: 10 million scheduled records through the sender (bench/trafficMemory.bench.ts, in
//      its own process so that its peak RSS is its own).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CreateStreamCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { LAB_REGION } from "../infra/config";
import { ROOT } from "../paths";
import { profile, schedule, withSequence } from "../traffic/profiles";
import { send } from "../traffic/sender";
import { kinesisClientConfig, kinesisTarget } from "../traffic/targets";
import { startMoto } from "../offline/moto";
import { startLocalKinesis } from "../local/kinesisServer";

const region = LAB_REGION;
// Everything due at once: the sender runs flat out, in batches of 500.
const flatOut = (n: number) =>
  withSequence(schedule(profile("burst", { burstProducers: 50, burstSeconds: n / 50, rate: 1 }), { compression: 1e9, jitterMs: 0 }));

async function throughput(label: string, endpoint: string, stream: string, n: number): Promise<void> {
  const records = flatOut(n);
  const target = kinesisTarget(stream, { region, endpoint });
  const cpu0 = process.cpuUsage();
  const report = await send(records, target);
  const cpu = process.cpuUsage(cpu0);
  target.close();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(34)} ${report.sent} records in ${(report.elapsedMs / 1000).toFixed(2)} s: ${report.ratePerSecond.toFixed(0).padStart(7)} records/s wall, ` +
      `${(report.sent / cpuSeconds).toFixed(0).padStart(7)} records per sender CPU-second (target >= 10000)`,
  );
}

async function main(): Promise<void> {
  const moto = await startMoto();
  try {
    const kinesis = new KinesisClient(kinesisClientConfig({ region, endpoint: moto.endpoint }));
    await kinesis.send(new CreateStreamCommand({ StreamName: "bench", ShardCount: 4 }));
    kinesis.destroy();
    await throughput("moto Kinesis (127.0.0.1)", moto.endpoint, "bench", 20_000);
  } finally {
    await moto.stop();
  }
  const open = await startLocalKinesis({ streams: { s: 1, bench: 1 } });
  await throughput("Node Kinesis endpoint, no limit", open.endpoint, "bench", 100_000);
  await open.close();

  const shard = await startLocalKinesis({ streams: { s: 1, bench: 1 }, writeLimit: { recordsPerSecond: 1000 } });
  const records = withSequence(schedule(profile("steady", { steadySeconds: 4, rate: 750 }), { jitterMs: 0 }));
  const target = kinesisTarget("bench", { region, endpoint: shard.endpoint });
  const report = await send(records, target, { maxAttempts: 30, startingDelayMs: 50 });
  target.close();
  await shard.close();
  const lost = records.length - shard.records("bench").length;
  console.log(
    `1-shard limit (1,000/s), 1,500/s offered: ${records.length} scheduled, ${shard.records("bench").length} accepted, ${shard.refusals} throttled and retried, ` +
      `lost ${lost} (target 0), achieved ${report.ratePerSecond.toFixed(0)} records/s`,
  );

  const memory = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "bench", "trafficMemory.bench.ts")], {
    stdio: "inherit",
  });
  if (memory.status !== 0) throw new Error(`bench/trafficMemory.bench.ts exited with ${memory.status}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
