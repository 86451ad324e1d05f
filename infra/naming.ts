// Every physical name of a team stack, derived from (event, team) so that any number of teams and
// events fit in one account. The tightest budget is the processed bucket:
//   <event 16>-<team 20>-processed-<account 12> = 60 of S3's 63 characters.
// (raw and code are shorter: 54 and 55.)
// The naming test builds 200 teams at these maxima and checks every name against the AWS rules.

export interface TeamNames {
  /** `<event>-<team>`: the prefix of every name, and the value of the `team` tag's stack. */
  readonly prefix: string;
  /** Kinesis stream the traffic lands in (Ingest). */
  readonly ingestStream: string;
  /** Kinesis stream the Flink job writes anomalous windows to (Analytics). */
  readonly anomaliesStream: string;
  /** Firehose delivery stream archiving the ingest stream (Archive). */
  readonly firehose: string;
  /** Firehose's IAM role. */
  readonly firehoseRole: string;
  /** Firehose's delivery error log group. */
  readonly firehoseLogGroup: string;
  /** Cognito user pool the KDG page signs in to (KdgAccess). */
  readonly userPool: string;
  /** The KDG page's app client. */
  readonly userPoolClient: string;
  /** Cognito identity pool giving the KDG page its AWS credentials. */
  readonly identityPool: string;
  /** IAM role of the KDG page's signed-in users. */
  readonly kdgRole: string;
  /** SNS topic of the alerts (Notifications). */
  readonly topic: string;
  /** Managed Flink application (Analytics). */
  readonly analyticsApp: string;
  /** The Flink application's IAM role. */
  readonly analyticsRole: string;
  /** The Flink application's log group, where the Managed Flink console looks. */
  readonly analyticsLogGroup: string;
  /** The alert Lambda (Alert). */
  readonly alertFunction: string;
  /** The alert Lambda's IAM role. */
  readonly alertRole: string;
  /** The alert Lambda's log group, Lambda's default name. */
  readonly alertLogGroup: string;
  /** SQS queue of the alert's batches that still fail after retries. */
  readonly alertFailedQueue: string;
  /** Scheduler schedule stopping the Flink application at endsAt (EventEnd). */
  readonly stopSchedule: string;
  /** That schedule's IAM role. */
  readonly stopScheduleRole: string;
  /** Scheduler schedule disabling the KDG user at endsAt (EventEnd). */
  readonly disableUserSchedule: string;
  /** That schedule's IAM role. */
  readonly disableUserScheduleRole: string;
  /** CloudWatch dashboards are global in an account (not per region): the prefix keeps teams apart. */
  readonly dashboard: string;
  /** IAM user of the team's read-only console view (TeamView); IAM users are global in an account. */
  readonly viewerUser: string;
  /**
   * A bucket's name for one of the team's buckets: `raw` (Firehose's archive), `processed` (the
   * alert Lambda's CSVs and ledger), `code` (the Flink job's JAR). Buckets share one global
   * namespace: the account ID keeps two accounts' teams apart.
   */
  bucket(purpose: BucketPurpose, accountId: string): string;
}

/** The team's buckets, each named for what it holds. */
export type BucketPurpose = "raw" | "processed" | "code";

/** The names of one team of one event (both already validated by infra/config.ts). */
export function teamNames(event: string, team: string): TeamNames {
  const prefix = `${event}-${team}`;
  return {
    prefix,
    ingestStream: `${prefix}-clicks`,
    anomaliesStream: `${prefix}-anomalies`,
    firehose: `${prefix}-archive`,
    firehoseRole: `${prefix}-firehose`,
    firehoseLogGroup: `/aws/kinesisfirehose/${prefix}-archive`,
    userPool: `${prefix}-kdg`,
    userPoolClient: `${prefix}-kdg-web`,
    identityPool: `${prefix}-kdg`,
    kdgRole: `${prefix}-kdg-producer`,
    topic: `${prefix}-alerts`,
    analyticsApp: `${prefix}-anomaly-detection`,
    analyticsRole: `${prefix}-flink`,
    // Where the Managed Flink console looks for an application's logs.
    analyticsLogGroup: `/aws/kinesis-analytics/${prefix}-anomaly-detection`,
    alertFunction: `${prefix}-alert`,
    alertRole: `${prefix}-alert`,
    // Lambda's default group name, so the console's "View logs" link finds it.
    alertLogGroup: `/aws/lambda/${prefix}-alert`,
    alertFailedQueue: `${prefix}-alert-failed`,
    stopSchedule: `${prefix}-stop-flink`,
    stopScheduleRole: `${prefix}-stop-flink`,
    disableUserSchedule: `${prefix}-disable-kdg-user`,
    disableUserScheduleRole: `${prefix}-disable-kdg-user`,
    dashboard: `${prefix}-clickstream`,
    viewerUser: `${prefix}-viewer`,
    bucket: (purpose, accountId) => `${prefix}-${purpose}-${accountId}`,
  };
}

/**
 * The team's stack name, `<event>-<team>`: the same text as the prefix of every physical name, so
 * a stack and its resources are found by one name. The instructor CLI names each team's stack
 * with it; nothing else spells the rule out.
 */
export function teamStackName(event: string, team: string): string {
  return teamNames(event, team).prefix;
}
