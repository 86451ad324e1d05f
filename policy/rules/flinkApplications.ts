// Managed Flink bills per KPU-hour plus one orchestration KPU per application. One KPU is 50
// times what the lab's traffic needs; autoscaling could silently multiply the bill. Only CUSTOM
// parallelism is honoured as written: with DEFAULT, AWS ignores parallelism, parallelismPerKpu and
// autoScalingEnabled and applies its own defaults (parallelism 1, autoscaling on, up to the
// account's 64-KPU limit; Managed Flink developer guide, "Application scaling").

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { pulumiType, resourceRule } from "./support";

export const FLINK_APPLICATION = pulumiType(aws.kinesisanalyticsv2.Application);

type ParallelismConfiguration =
  aws.types.input.kinesisanalyticsv2.ApplicationApplicationConfigurationFlinkApplicationConfigurationParallelismConfiguration;

/** The parallelism settings an application carries, if any; shapes as @pulumi/aws 7 registers them. */
export function parallelismOf(props: {
  applicationConfiguration?: { flinkApplicationConfiguration?: { parallelismConfiguration?: unknown } };
}): Partial<Record<keyof ParallelismConfiguration, unknown>> | undefined {
  return props.applicationConfiguration?.flinkApplicationConfiguration?.parallelismConfiguration as
    Partial<Record<keyof ParallelismConfiguration, unknown>> | undefined;
}

/**
 * KPUs an application asks for: parallelism / parallelismPerKpu, rounded up (AWS's formula).
 * Anything but CUSTOM is priced at the account's limit, since AWS may scale it that far.
 */
export function flinkKpus(props: Parameters<typeof parallelismOf>[0]): number {
  const p = parallelismOf(props);
  if (!p || p.configurationType !== "CUSTOM") return 64;
  const parallelism = Number(p.parallelism ?? 1);
  const perKpu = Number(p.parallelismPerKpu ?? 1);
  const kpus = Math.ceil(parallelism / perKpu);
  return p.autoScalingEnabled === false ? kpus : 64;
}

export const flinkApplicationsPolicy: ResourceValidationPolicy = {
  name: "flink-one-kpu",
  description: "Managed Flink applications use a supported Flink runtime, CUSTOM parallelism of at most maxKpus KPUs, and no autoscaling.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxKpus: { type: "integer", default: LIMITS.maxKpus, minimum: 1 },
      runtimes: { type: "array", items: { type: "string" }, default: [...LIMITS.flinkRuntimes] },
    },
  },
  validateResource: resourceRule(aws.kinesisanalyticsv2.Application, (app, args, report) => {
    const { maxKpus, runtimes } = args.getConfig<{ maxKpus: number; runtimes: string[] }>();
    const runtime = String(app.runtimeEnvironment);
    if (!runtimes.includes(runtime)) report(`Runtime ${runtime} is not one of ${runtimes.join(", ")} (SQL applications no longer exist).`);
    const p = parallelismOf(app);
    if (p?.configurationType !== "CUSTOM") {
      report(
        `parallelismConfiguration.configurationType must be CUSTOM (is ${typeof p?.configurationType === "string" ? p.configurationType : "unset"}): with DEFAULT, AWS ignores the parallelism and autoscaling settings and may scale to 64 KPUs.`,
      );
      return;
    }
    if (p.autoScalingEnabled !== false) report("Autoscaling must be off (autoScalingEnabled: false): it can add KPUs without limit.");
    const kpus = Math.ceil(Number(p.parallelism ?? 1) / Number(p.parallelismPerKpu ?? 1));
    if (!(kpus <= maxKpus)) report(`The application asks for ${kpus} KPUs (parallelism / parallelismPerKpu); at most ${maxKpus}.`);
  }),
};
