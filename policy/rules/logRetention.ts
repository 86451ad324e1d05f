// CloudWatch keeps logs forever unless told otherwise, and bills for every GB-month kept.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS, MESSAGES } from "../limits";
import { resourceRule } from "./support";

export const logRetentionPolicy: ResourceValidationPolicy = {
  name: "log-retention",
  description: "Every CloudWatch log group has a retention of at most maxRetentionDays.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxRetentionDays: { type: "integer", default: LIMITS.maxRetentionDays, minimum: 1 } } },
  validateResource: resourceRule(aws.cloudwatch.LogGroup, (group, args, report) => {
    const { maxRetentionDays } = args.getConfig<{ maxRetentionDays: number }>();
    const days = Number(group.retentionInDays ?? 0);
    if (days === 0) report("The log group never expires its logs; set retentionInDays.");
    else if (!(days <= maxRetentionDays)) report(`${MESSAGES.retentionDays(days, maxRetentionDays)}.`);
  }),
};
