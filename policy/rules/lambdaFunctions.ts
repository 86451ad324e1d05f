// Lambda bills per GB-second and per GB of /tmp beyond 512 MB; the alert handler needs little of
// either. Reserved concurrency comes out of the account's one pool, which every team of an event
// shares: a function reserving 900 leaves the others 100. Provisioned concurrency bills every hour
// (its type is refused by lab-resource-types-only).

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { resourceRule } from "./support";

export const lambdaFunctionsPolicy: ResourceValidationPolicy = {
  name: "lambda-small",
  description:
    "Lambda functions have at most maxMemoryMb MB, maxTimeoutSeconds, maxEphemeralStorageMb of /tmp and maxReservedConcurrency reserved executions.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxMemoryMb: { type: "integer", default: LIMITS.maxMemoryMb, minimum: 128 },
      maxTimeoutSeconds: { type: "integer", default: LIMITS.maxTimeoutSeconds, minimum: 1 },
      maxEphemeralStorageMb: { type: "integer", default: LIMITS.maxEphemeralStorageMb, minimum: 512 },
      maxReservedConcurrency: { type: "integer", default: LIMITS.maxReservedConcurrency, minimum: 0 },
    },
  },
  validateResource: resourceRule(aws.lambda.Function, (fn, args, report) => {
    const c = args.getConfig<{
      maxMemoryMb: number;
      maxTimeoutSeconds: number;
      maxEphemeralStorageMb: number;
      maxReservedConcurrency: number;
    }>();
    const memory = Number(fn.memorySize ?? 128); // Lambda's default
    const timeout = Number(fn.timeout ?? 3);
    const tmp = Number(fn.ephemeralStorage?.size ?? 512);
    const reserved = Number(fn.reservedConcurrentExecutions ?? -1); // -1: unreserved
    if (!(memory <= c.maxMemoryMb)) report(`memorySize ${memory} MB is over ${c.maxMemoryMb} MB.`);
    if (!(timeout <= c.maxTimeoutSeconds)) report(`timeout ${timeout} s is over ${c.maxTimeoutSeconds} s.`);
    if (!(tmp <= c.maxEphemeralStorageMb))
      report(`ephemeralStorage ${tmp} MB is over ${c.maxEphemeralStorageMb} MB (beyond 512 MB it is billed).`);
    if (!(reserved <= c.maxReservedConcurrency))
      report(
        `reservedConcurrentExecutions ${reserved} is over ${c.maxReservedConcurrency}: it is taken from the concurrency every team of the account shares.`,
      );
  }),
};
