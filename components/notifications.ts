// Alert → people: the SNS topic the alert Lambda publishes to, with the team's e-mail and,
// where one is configured, SMS. E-mail subscriptions stay pending until the recipient clicks
// the confirmation link AWS sends; say so at the start of the lab.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NotificationsArgs {
  readonly topicName: string;
  readonly email: string;
  /** E.164; no SMS subscription when absent (SMS costs money and needs a sandbox-verified number). */
  readonly phone?: string;
}

export class Notifications extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:prelab:Notifications", name, {}, opts);

    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: args.topicName,
        // Shown as the sender of the e-mails, as "ClkStrEv2" was in 2020.
        displayName: "Clickstream anomaly lab",
        // The AWS-managed key: encrypted at rest, and still publishable by the Lambda's role.
        kmsMasterKeyId: "alias/aws/sns",
      },
      { parent: this },
    );

    new aws.sns.TopicSubscription(
      `${name}-email`,
      { topic: this.topic.arn, protocol: "email", endpoint: args.email },
      { parent: this },
    );
    if (args.phone !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-sms`,
        { topic: this.topic.arn, protocol: "sms", endpoint: args.phone },
        { parent: this },
      );
    }

    this.topicArn = this.topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
