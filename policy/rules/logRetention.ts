// CloudWatch keeps logs forever unless told otherwise, and bills for every GB-month kept.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const logRetentionPolicy: ResourceValidationPolicy = {
  name: "log-retention",
  description: "Every CloudWatch log group has a retention of at most maxRetentionDays.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxRetentionDays: { type: "integer", default: 30, minimum: 1 } } },
  validateResource: (args, report) => {
    if (args.type !== "aws:cloudwatch/logGroup:LogGroup") return;
    const { maxRetentionDays } = args.getConfig<{ maxRetentionDays: number }>();
    const days = Number(args.props.retentionInDays ?? 0);
    if (days === 0) report("The log group never expires its logs; set retentionInDays.");
    else if (days > maxRetentionDays) report(`retentionInDays ${days} is over ${maxRetentionDays}.`);
  },
};
