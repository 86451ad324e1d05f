// Lambda bills per GB-second; the alert handler needs little of either. Provisioned concurrency
// bills by the hour whether or not anything runs.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const lambdaFunctionsPolicy: ResourceValidationPolicy = {
  name: "lambda-small",
  description: "Lambda functions have at most maxMemoryMb MB and maxTimeoutSeconds; no provisioned concurrency.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxMemoryMb: { type: "integer", default: 256, minimum: 128 },
      maxTimeoutSeconds: { type: "integer", default: 60, minimum: 1 },
    },
  },
  validateResource: (args, report) => {
    if (args.type === "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig") {
      report("Provisioned concurrency bills every hour; the lab's alert volume needs none.");
      return;
    }
    if (args.type !== "aws:lambda/function:Function") return;
    const { maxMemoryMb, maxTimeoutSeconds } = args.getConfig<{ maxMemoryMb: number; maxTimeoutSeconds: number }>();
    const memory = Number(args.props.memorySize ?? 128); // Lambda's default
    const timeout = Number(args.props.timeout ?? 3);
    if (memory > maxMemoryMb) report(`memorySize ${memory} MB is over ${maxMemoryMb} MB.`);
    if (timeout > maxTimeoutSeconds) report(`timeout ${timeout} s is over ${maxTimeoutSeconds} s.`);
  },
};
