// CloudWatch Logs: log groups and log streams.

import { exists, oneOf, tagProblems, type Rule } from "./common";
import { NAMES } from "./names";

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
const RETENTION = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const LOGS_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
  "aws:cloudwatch/logGroup:LogGroup": (i) => [
    ...NAMES.logGroup(i.name),
    ...oneOf("retentionInDays", i.retentionInDays, RETENTION),
    ...oneOf("logGroupClass", i.logGroupClass, ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"]),
    ...tagProblems(i.tags),
  ],
  "aws:cloudwatch/logStream:LogStream": (i, ctx) => [
    ...NAMES.logStream(i.name),
    ...exists(ctx, "aws:cloudwatch/logGroup:LogGroup", i.logGroupName, "logGroupName"),
  ],
};
