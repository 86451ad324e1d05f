// Amazon SQS: queues (the alert Lambda's on-failure destination).

import { tagProblems, within, type Rule } from "./common";
import { NAMES } from "./names";

export const SQS_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
  "aws:sqs/queue:Queue": (i) => [
    ...NAMES.sqsQueue(i.name),
    ...within("messageRetentionSeconds", i.messageRetentionSeconds, 60, 1209600),
    ...within("visibilityTimeoutSeconds", i.visibilityTimeoutSeconds, 0, 43200),
    ...(i.sqsManagedSseEnabled === true && i.kmsMasterKeyId ? ["SQS-managed SSE and a KMS key are exclusive"] : []),
    ...tagProblems(i.tags),
  ],
};
