// Every physical name of a team stack, derived from (event, team) so that any number of teams and
// events fit in one account. The tightest budget is the processed bucket:
//   <event 16>-<team 20>-processed-<account 12> = 60 of S3's 63 characters.
// The naming test builds 200 teams at these maxima and checks every name against the AWS rules.

export interface TeamNames {
  /** `<event>-<team>`: the prefix of every name, and the value of the `team` tag's stack. */
  readonly prefix: string;
  readonly ingestStream: string;
  readonly anomaliesStream: string;
  readonly firehose: string;
  readonly firehoseRole: string;
  readonly firehoseLogGroup: string;
  readonly userPool: string;
  readonly userPoolClient: string;
  readonly identityPool: string;
  readonly kdgRole: string;
  readonly topic: string;
  readonly analyticsApp: string;
  readonly analyticsRole: string;
  readonly analyticsLogGroup: string;
  readonly alertFunction: string;
  readonly alertRole: string;
  readonly alertLogGroup: string;
  readonly alertFailedQueue: string;
  readonly stopSchedule: string;
  readonly stopScheduleRole: string;
  readonly disableUserSchedule: string;
  readonly disableUserScheduleRole: string;
  /** CloudWatch dashboards are global in an account (not per region): the prefix keeps teams apart. */
  readonly dashboard: string;
  /** Buckets share one global namespace: the account ID keeps two accounts' teams apart. */
  bucket(purpose: "raw" | "processed", accountId: string): string;
}

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
