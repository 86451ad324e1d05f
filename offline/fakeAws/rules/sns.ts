// Amazon SNS: topics and subscriptions.

import { exists, oneOf, tagProblems, type Rule } from "./common";
import { NAMES } from "./names";

// Written again on purpose, not imported from infra/config.ts: the mock stands for AWS, and a
// shared constant would let a mistake in our validator pass its own check.
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const SNS_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name; DisplayName up to 100 characters)
  "aws:sns/topic:Topic": (i) => [
    ...NAMES.snsTopic(i.name),
    ...((i.fifoTopic === true) !== String(i.name).endsWith(".fifo") ? ["a FIFO topic's name, and only its name, ends in .fifo"] : []),
    ...(i.displayName !== undefined && String(i.displayName).length > 100 ? ["displayName is at most 100 characters"] : []),
    ...(i.contentBasedDeduplication && !i.fifoTopic ? ["contentBasedDeduplication needs a FIFO topic"] : []),
    ...tagProblems(i.tags),
  ],
  // https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (Protocol and Endpoint)
  "aws:sns/topicSubscription:TopicSubscription": (i, ctx) => {
    const p = [
      ...exists(ctx, "aws:sns/topic:Topic", i.topic, "topic"),
      ...oneOf("protocol", i.protocol, ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"], true),
    ];
    const endpoint = String(i.endpoint ?? "");
    if ((i.protocol === "email" || i.protocol === "email-json") && !EMAIL.test(endpoint))
      p.push(`email endpoint ${JSON.stringify(endpoint)} is not an e-mail address`);
    if (i.protocol === "sms" && !E164.test(endpoint)) p.push(`sms endpoint ${JSON.stringify(endpoint)} is not an E.164 number`);
    if (["sqs", "lambda", "firehose", "application"].includes(i.protocol) && !endpoint.startsWith("arn:"))
      p.push(`${i.protocol} endpoint must be an ARN`);
    if (i.protocol === "firehose" && !i.subscriptionRoleArn) p.push("a firehose subscription needs subscriptionRoleArn");
    if (i.rawMessageDelivery && !["sqs", "http", "https", "firehose"].includes(i.protocol))
      p.push(`rawMessageDelivery is not available for ${i.protocol}`);
    return p;
  },
};
