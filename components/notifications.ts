// Alert → people: the SNS topic the alert Lambda publishes to, with the team's e-mail and,
// where one is configured, SMS. E-mail subscriptions stay pending until the recipient clicks
// the confirmation link AWS sends; say so at the start of the lab.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";

/**
 * The topic's display name: the "From" name of every e-mail SNS sends for it, the subscription
 * confirmation included (the sender address is no-reply@sns.amazonaws.com), as "ClkStrEv2" was
 * in 2020. The hand-out (workshop/handout.ts) tells attendees to look for it.
 */
export const TOPIC_DISPLAY_NAME = "Clickstream anomaly lab";

export interface NotificationsArgs {
  /**
   * Physical topic name: 1-256 characters of letters, digits, `_` and `-`, unique per account and
   * region (infra/naming.ts: `<event>-<team>-alerts`).
   */
  readonly topicName: string;
  /** The address that receives the alerts (config notificationEmail, validated in infra/config.ts). */
  readonly email: string;
  /**
   * A phone number in E.164 form (`+15555550123`) that receives the alerts by SMS; no SMS
   * subscription when absent. SMS costs money per message and, in the SMS sandbox, reaches only
   * verified numbers; the policy pack allows only some country codes (policy/limits.ts).
   */
  readonly phone?: string;
}

/**
 * Where alerts reach people: an SNS topic encrypted with the AWS-managed key `alias/aws/sns`,
 * with an e-mail subscription and, when `phone` is given, an SMS one. The alert Lambda publishes
 * to it.
 *
 * Children: `<name>-topic`, `<name>-email`, and `<name>-sms` when `phone` is given.
 */
export class Notifications extends pulumi.ComponentResource {
  /** The alerts topic. */
  public readonly topic: aws.sns.Topic;
  /** `arn:aws:sns:<region>:<account>:<topicName>`: what the alert Lambda may publish to. */
  public readonly topicArn: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args the topic's name and its subscribers.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Notifications"), name, {}, withFormerTypes(opts, "clickstream:prelab:Notifications"));

    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: args.topicName,
        displayName: TOPIC_DISPLAY_NAME,
        // The AWS-managed key: encrypted at rest, and still publishable by the Lambda's role.
        kmsMasterKeyId: "alias/aws/sns",
      },
      { parent: this },
    );

    new aws.sns.TopicSubscription(`${name}-email`, { topic: this.topic.arn, protocol: "email", endpoint: args.email }, { parent: this });
    if (args.phone !== undefined) {
      new aws.sns.TopicSubscription(`${name}-sms`, { topic: this.topic.arn, protocol: "sms", endpoint: args.phone }, { parent: this });
    }

    this.topicArn = this.topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
