// One team's stack, composed along the data path: traffic (KDG access) → ingest → archive,
// → analytics (Flink) → alert (Lambda → notifications), and the event's end (stop Flink, disable the KDG user). Everything is created through one explicit provider,
// so the region and the tags below reach every resource.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Alert } from "../components/alert";
import { Analytics } from "../components/analytics";
import { Archive } from "../components/archive";
import { EventEnd } from "../components/eventEnd";
import { Dashboard } from "../components/dashboard";
import { Ingest } from "../components/ingest";
import { KdgAccess } from "../components/kdgAccess";
import { Notifications } from "../components/notifications";
import type { LabConfig } from "./config";
import { teamNames } from "./naming";

/** The tags every resource carries (through the provider's defaultTags); the policy pack requires them. */
export function labTags(cfg: LabConfig, stack: string): Record<string, string> {
  return {
    event: cfg.event,
    team: cfg.team,
    stack,
    "managed-by": "pulumi",
    "expires-at": cfg.endsAt.toISOString(),
  };
}

export interface TeamStackOutputs {
  readonly team: string;
  readonly region: string;
  readonly ingestStreamName: pulumi.Output<string>;
  readonly ingestStreamArn: pulumi.Output<string>;
  readonly firehoseName: pulumi.Output<string>;
  readonly rawBucket: pulumi.Output<string>;
  readonly processedBucket: pulumi.Output<string>;
  readonly kdgUrl: pulumi.Output<string>;
  readonly kdgUsername: pulumi.Output<string>;
  readonly kdgPassword: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;
  readonly flinkApplicationName: pulumi.Output<string>;
  readonly anomaliesStreamName: pulumi.Output<string>;
  readonly alertFunctionName: pulumi.Output<string>;
  /** The team's CloudWatch dashboard in the console (components/dashboard.ts). */
  readonly dashboardUrl: pulumi.Output<string>;
}

export interface TeamStackOptions {
  /** The Flink job's JAR; defaults to the Maven build's output (analytics/target). */
  readonly jarPath?: string;
}

export function teamStack(cfg: LabConfig, stack: string = pulumi.getStack(), options: TeamStackOptions = {}): TeamStackOutputs {
  const provider = new aws.Provider("aws", {
    region: cfg.region as aws.Region,
    defaultTags: { tags: labTags(cfg, stack) },
  });
  const opts = { provider };
  const names = teamNames(cfg.event, cfg.team);
  const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;

  const ingest = new Ingest("ingest", { streamName: names.ingestStream }, opts);

  const kdg = new KdgAccess(
    "kdg",
    {
      region: cfg.region,
      userPoolName: names.userPool,
      clientName: names.userPoolClient,
      identityPoolName: names.identityPool,
      roleName: names.kdgRole,
      username: cfg.kdgUsername,
      password: cfg.kdgPassword === undefined ? undefined : pulumi.secret(cfg.kdgPassword),
      streamArn: ingest.streamArn,
    },
    opts,
  );

  const archive = new Archive(
    "archive",
    {
      accountId,
      sourceStreamArn: ingest.streamArn,
      deliveryStreamName: names.firehose,
      roleName: names.firehoseRole,
      logGroupName: names.firehoseLogGroup,
      rawBucketName: accountId.apply((id) => names.bucket("raw", id)),
      processedBucketName: accountId.apply((id) => names.bucket("processed", id)),
      expirationDays: cfg.bucketExpirationDays,
      logRetentionDays: cfg.logRetentionDays,
    },
    opts,
  );

  const notifications = new Notifications(
    "notifications",
    { topicName: names.topic, email: cfg.notificationEmail, phone: cfg.notificationPhone },
    opts,
  );

  const analytics = new Analytics(
    "analytics",
    {
      accountId,
      region: cfg.region,
      applicationName: names.analyticsApp,
      roleName: names.analyticsRole,
      logGroupName: names.analyticsLogGroup,
      logRetentionDays: cfg.logRetentionDays,
      ingestStreamName: ingest.streamName,
      ingestStreamArn: ingest.streamArn,
      anomaliesStreamName: names.anomaliesStream,
      codeBucketName: archive.processedBucket.name,
      codeBucketArn: archive.processedBucket.arn,
      anomalyThreshold: cfg.anomalyThreshold,
      ...(options.jarPath !== undefined ? { jarPath: options.jarPath } : {}),
    },
    opts,
  );

  const alert = new Alert(
    "alert",
    {
      accountId,
      functionName: names.alertFunction,
      roleName: names.alertRole,
      logGroupName: names.alertLogGroup,
      failedQueueName: names.alertFailedQueue,
      logRetentionDays: cfg.logRetentionDays,
      anomaliesStreamArn: analytics.anomaliesStreamArn,
      topicArn: notifications.topicArn,
      processedBucketName: archive.processedBucket.name,
      processedBucketArn: archive.processedBucket.arn,
    },
    opts,
  );

  new EventEnd(
    "event-end",
    {
      accountId,
      endsAt: cfg.endsAt,
      stopFlink: {
        scheduleName: names.stopSchedule,
        roleName: names.stopScheduleRole,
        applicationName: analytics.applicationName,
        applicationArn: analytics.applicationArn,
      },
      disableKdgUser: {
        scheduleName: names.disableUserSchedule,
        roleName: names.disableUserScheduleRole,
        userPoolId: kdg.userPool.id,
        userPoolArn: kdg.userPool.arn,
        username: kdg.username,
      },
    },
    opts,
  );

  const dashboard = new Dashboard(
    "dashboard",
    {
      dashboardName: names.dashboard,
      region: cfg.region,
      ingestStreamName: ingest.streamName,
      applicationName: analytics.applicationName,
      topicArn: notifications.topicArn,
      alertFunctionName: alert.functionName,
      anomalyThreshold: cfg.anomalyThreshold,
    },
    opts,
  );

  return {
    team: cfg.team,
    region: cfg.region,
    ingestStreamName: ingest.streamName,
    ingestStreamArn: ingest.streamArn,
    firehoseName: archive.deliveryStreamName,
    rawBucket: archive.rawBucket.name,
    processedBucket: archive.processedBucket.name,
    kdgUrl: kdg.url,
    kdgUsername: kdg.username,
    kdgPassword: kdg.password,
    topicArn: notifications.topicArn,
    flinkApplicationName: analytics.applicationName,
    anomaliesStreamName: analytics.anomaliesStreamName,
    alertFunctionName: alert.functionName,
    dashboardUrl: dashboard.url,
  };
}
