// Managed Flink bills per KPU-hour plus one orchestration KPU per application. One KPU is 50
// times what the lab's traffic needs; autoscaling could silently multiply the bill.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const FLINK_APPLICATION = "aws:kinesisanalyticsv2/application:Application";

/** KPUs an application asks for: parallelism / parallelismPerKpu, rounded up (AWS's own formula). */
export function flinkKpus(props: Record<string, any>): number {
  const p = props.applicationConfiguration?.flinkApplicationConfiguration?.parallelismConfiguration;
  if (!p || p.configurationType !== "CUSTOM") return 1; // DEFAULT: parallelism 1, 1 per KPU
  const parallelism = Number(p.parallelism ?? 1);
  const perKpu = Number(p.parallelismPerKpu ?? 1);
  return Math.ceil(parallelism / perKpu);
}

export const flinkApplicationsPolicy: ResourceValidationPolicy = {
  name: "flink-one-kpu",
  description: "Managed Flink applications use a supported Flink runtime, at most maxKpus KPUs, and no autoscaling.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxKpus: { type: "integer", default: 1, minimum: 1 },
      runtimes: { type: "array", items: { type: "string" }, default: ["FLINK-1_20"] },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== FLINK_APPLICATION) return;
    const { maxKpus, runtimes } = args.getConfig<{ maxKpus: number; runtimes: string[] }>();
    const runtime = String(args.props.runtimeEnvironment);
    if (!runtimes.includes(runtime)) report(`Runtime ${runtime} is not one of ${runtimes.join(", ")} (SQL applications no longer exist).`);
    const kpus = flinkKpus(args.props);
    if (kpus > maxKpus) report(`The application asks for ${kpus} KPUs (parallelism / parallelismPerKpu); at most ${maxKpus}.`);
    const p = args.props.applicationConfiguration?.flinkApplicationConfiguration?.parallelismConfiguration;
    if (p?.autoScalingEnabled !== false) report("Autoscaling must be off (autoScalingEnabled: false): it can add KPUs without limit.");
  },
};
