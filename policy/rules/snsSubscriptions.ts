// Alerts go to people: e-mail, or SMS inside the allowed countries. Other protocols (HTTP, Lambda,
// SQS, Firehose, a mobile app) would send the team's alerts somewhere the lab does not look; SMS
// is billed per message by destination country, and premium-rate numbers cost more still.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS, MESSAGES, smsAllowed } from "../limits";
import { resourceRule } from "./support";

export const snsSubscriptionsPolicy: ResourceValidationPolicy = {
  name: "sns-email-or-local-sms",
  description: "SNS subscriptions are e-mail, or SMS to a number in smsCountryCodes that is not premium-rate.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { smsCountryCodes: { type: "array", items: { type: "string" }, default: [...LIMITS.smsCountryCodes] } } },
  validateResource: resourceRule(aws.sns.TopicSubscription, (sub, args, report) => {
    const { smsCountryCodes } = args.getConfig<{ smsCountryCodes: string[] }>();
    if (sub.protocol === "email") return;
    if (sub.protocol !== "sms") {
      report(`Protocol ${sub.protocol} is not part of the lab; alerts go by e-mail or SMS.`);
      return;
    }
    if (!smsAllowed(sub.endpoint, smsCountryCodes)) report(`SMS to ${MESSAGES.smsNumber(sub.endpoint, smsCountryCodes)}.`);
  }),
};
