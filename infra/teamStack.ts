// One team's stack, composed along the data path: traffic (KDG access) → ingest → archive,
// → analytics (Flink) → alert (Lambda → notifications), and the event's end (stop Flink, disable
// the KDG user). Everything is created through one explicit provider, so the region and the tags
// below reach every resource. Each bucket belongs to the component that writes it: raw to Archive
// (Firehose), processed to Alert (the Lambda), code to Analytics (the JAR, uploaded by Pulumi).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Alert } from "../components/alert";
import { Analytics } from "../components/analytics";
import { Archive } from "../components/archive";
import { Dashboard } from "../components/dashboard";
import { EventEnd } from "../components/eventEnd";
import { Ingest } from "../components/ingest";
import { KdgAccess } from "../components/kdgAccess";
import { Notifications } from "../components/notifications";
import { TeamView } from "../components/teamView";
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

/** The stack's outputs (infra/index.ts exports each): what attendees and the instructor tools read. */
export interface TeamStackOutputs {
  /** The team's name (config team). */
  readonly team: string;
  /** The region everything is in (config region, us-east-1). */
  readonly region: string;
  /** Where traffic goes: the KDG page's stream drop-down, `npm run traffic -- --stream`. */
  readonly ingestStreamName: pulumi.Output<string>;
  /** The ingest stream's ARN. */
  readonly ingestStreamArn: pulumi.Output<string>;
  /** The Firehose delivery stream archiving the traffic. */
  readonly firehoseName: pulumi.Output<string>;
  /** Firehose's archive, `weblogs/raw/`. */
  readonly rawBucket: pulumi.Output<string>;
  /** The alert Lambda's CSVs, `weblogs/processed/YYYY/MM/DD/` (workshop smoke and status read them). */
  readonly processedBucket: pulumi.Output<string>;
  /** The KDG page with the team's pools filled in. */
  readonly kdgUrl: pulumi.Output<string>;
  /** The KDG user to sign in as (config kdgUsername). */
  readonly kdgUsername: pulumi.Output<string>;
  /** A secret output: `pulumi stack output kdgPassword --show-secrets`. */
  readonly kdgPassword: pulumi.Output<string>;
  /** The alerts topic. */
  readonly topicArn: pulumi.Output<string>;
  /** The Managed Flink application (workshop extend starts it, status reads it). */
  readonly flinkApplicationName: pulumi.Output<string>;
  /** Where the job writes anomalous windows. */
  readonly anomaliesStreamName: pulumi.Output<string>;
  /** The alert Lambda. */
  readonly alertFunctionName: pulumi.Output<string>;
  /** The team's CloudWatch dashboard in the console (components/dashboard.ts). */
  readonly dashboardUrl: pulumi.Output<string>;
  /** The account's console sign-in page for the team's read-only viewer (components/teamView.ts). */
  readonly viewerSignInUrl: pulumi.Output<string>;
  /** The viewer's IAM user name, `<event>-<team>-viewer`. */
  readonly viewerUsername: pulumi.Output<string>;
  /** A secret output: the viewer's console password (`pulumi stack output viewerPassword --show-secrets`). */
  readonly viewerPassword: pulumi.Output<string>;
}

/** What tests and tools may change about a team stack besides its configuration. */
export interface TeamStackOptions {
  /** The Flink job's JAR; defaults to the Maven build's output (analytics/target). */
  readonly jarPath?: string;
}

/**
 * The URN, in the stack being run, of where the processed bucket was before the Alert component
 * owned it: the SecureBucket `archive-processed` of the Archive component `archive`, under their
 * former type tokens. Alert gets it as an alias, so stacks deployed before the move keep the
 * bucket and its objects. A function, not a constant: a URN names the stack, known only once a
 * program (or a test's mocks) runs.
 */
export function formerProcessedBucketUrn(): pulumi.Output<string> {
  return pulumi.createUrn(
    "archive-processed",
    "clickstream:storage:SecureBucket",
    pulumi.createUrn("archive", "clickstream:prelab:Archive"),
  );
}

/**
 * The one provider every resource of the stack goes through: the region, the tags, and the team's
 * own account only (issue 23): credentials that reach another account are refused before anything
 * is read or created, and the profile is the provider's own, not only AWS_PROFILE.
 */
function teamProvider(cfg: LabConfig, stack: string): aws.Provider {
  return new aws.Provider("aws", {
    region: cfg.region as aws.Region,
    ...(cfg.awsProfile ? { profile: cfg.awsProfile } : {}),
    ...(cfg.allowedAccountIds.length ? { allowedAccountIds: [...cfg.allowedAccountIds] } : {}),
    defaultTags: { tags: labTags(cfg, stack) },
  });
}

/** What every step of teamStack shares: the config, the team's physical names, the account, the provider. */
interface TeamContext {
  readonly cfg: LabConfig;
  readonly names: ReturnType<typeof teamNames>;
  /** The account the provider's credentials reach (STS GetCallerIdentity), for ARNs and bucket names. */
  readonly accountId: pulumi.Output<string>;
  readonly opts: { readonly provider: aws.Provider };
}

/**
 * Registers one team's resources (every component of the lab, through one provider carrying
 * labTags) and returns the stack's outputs. Must run inside a Pulumi program or under mocks.
 */
export function teamStack(cfg: LabConfig, stack: string = pulumi.getStack(), options: TeamStackOptions = {}): TeamStackOutputs {
  const provider = teamProvider(cfg, stack);
  const t: TeamContext = {
    cfg,
    names: teamNames(cfg.event, cfg.team),
    accountId: aws.getCallerIdentityOutput({}, { provider }).accountId,
    opts: { provider },
  };
  const ingest = new Ingest("ingest", { streamName: t.names.ingestStream }, t.opts);
  const kdg = kdgAccess(t, ingest);
  const archive = rawArchive(t, ingest);
  const notifications = new Notifications(
    "notifications",
    { topicName: t.names.topic, email: cfg.notificationEmail, phone: cfg.notificationPhone },
    t.opts,
  );
  const analytics = flinkAnalytics(t, ingest, options);
  const alert = anomalyAlert(t, analytics, notifications);
  eventEnd(t, analytics, kdg);
  const dashboard = teamDashboard(t, ingest, analytics, notifications, alert);
  const view = teamView(t);
  return {
    team: cfg.team,
    region: cfg.region,
    ingestStreamName: ingest.streamName,
    ingestStreamArn: ingest.streamArn,
    firehoseName: archive.deliveryStreamName,
    rawBucket: archive.rawBucket.name,
    processedBucket: alert.processedBucket.name,
    kdgUrl: kdg.url,
    kdgUsername: kdg.username,
    kdgPassword: kdg.password,
    topicArn: notifications.topicArn,
    flinkApplicationName: analytics.applicationName,
    anomaliesStreamName: analytics.anomaliesStreamName,
    alertFunctionName: alert.functionName,
    dashboardUrl: dashboard.url,
    viewerSignInUrl: view.signInUrl,
    viewerUsername: view.userName,
    viewerPassword: view.password,
  };
}

/** The KDG's Cognito user pool, identity pool and role, allowed to put records into the ingest stream only. */
function kdgAccess({ cfg, names, opts }: TeamContext, ingest: Ingest): KdgAccess {
  return new KdgAccess(
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
}

/** Firehose reading the ingest stream into the raw bucket (weblogs/raw/, GZIP). */
function rawArchive({ cfg, names, accountId, opts }: TeamContext, ingest: Ingest): Archive {
  return new Archive(
    "archive",
    {
      accountId,
      sourceStreamArn: ingest.streamArn,
      deliveryStreamName: names.firehose,
      roleName: names.firehoseRole,
      logGroupName: names.firehoseLogGroup,
      rawBucketName: accountId.apply((id) => names.bucket("raw", id)),
      expirationDays: cfg.bucketExpirationDays,
      logRetentionDays: cfg.logRetentionDays,
    },
    opts,
  );
}

/** The Managed Flink application running the lab's SQL on the ingest stream, writing the anomalies stream. */
function flinkAnalytics({ cfg, names, accountId, opts }: TeamContext, ingest: Ingest, options: TeamStackOptions): Analytics {
  return new Analytics(
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
      codeBucketName: accountId.apply((id) => names.bucket("code", id)),
      anomalyThreshold: cfg.anomalyThreshold,
      ...(options.jarPath !== undefined ? { jarPath: options.jarPath } : {}),
    },
    opts,
  );
}

/** The Lambda reading the anomalies stream: one notification per anomalous window, a CSV per window in the processed bucket. */
function anomalyAlert({ cfg, names, accountId, opts }: TeamContext, analytics: Analytics, notifications: Notifications): Alert {
  return new Alert(
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
      processedBucketName: accountId.apply((id) => names.bucket("processed", id)),
      expirationDays: cfg.bucketExpirationDays,
      processedBucketAliases: [formerProcessedBucketUrn()],
    },
    opts,
  );
}

/** At endsAt: the Flink application stopped and the KDG user disabled (EventBridge Scheduler). */
function eventEnd({ cfg, names, accountId, opts }: TeamContext, analytics: Analytics, kdg: KdgAccess): EventEnd {
  return new EventEnd(
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
}

/** The team's CloudWatch dashboard: the stream, the application, the topic and the alert function. */
function teamDashboard(
  { cfg, names, opts }: TeamContext,
  ingest: Ingest,
  analytics: Analytics,
  notifications: Notifications,
  alert: Alert,
): Dashboard {
  return new Dashboard(
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
}

/**
 * The attendees' read-only console view of the dashboard and the two application logs, ending at
 * endsAt (docs/design.md, "The attendee's view").
 */
function teamView({ cfg, names, accountId, opts }: TeamContext): TeamView {
  return new TeamView(
    "view",
    {
      accountId,
      region: cfg.region,
      userName: names.viewerUser,
      dashboardName: names.dashboard,
      logGroupNames: [names.analyticsLogGroup, names.alertLogGroup],
      endsAt: cfg.endsAt,
    },
    opts,
  );
}
