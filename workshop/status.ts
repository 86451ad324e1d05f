// `workshop status` as data: per team, the stack's state, the Flink application's status, whether
// the e-mail subscription is confirmed (an unconfirmed one never delivers), the last alert's time,
// and after the event's end what still bills per day until `destroy`. Rendering is the command's
// (cli/workshop/status.ts).

import { ListSubscriptionsByTopicCommand } from "@aws-sdk/client-sns";
import { alertObjects } from "./alerts";
import { type Residual, flinkFacts, teamResidual } from "./spend";
import { type AwsAccess, awsError, forEachTeam, type TeamClients, type TeamTarget, type UnreachableTeam } from "./teamAws";

/** An e-mail subscription's state: SubscriptionArn is "PendingConfirmation" until the address confirms (SNS API, ListSubscriptionsByTopic). */
export type SubscriptionState = "confirmed" | "pending" | "none";

export interface TeamStatusReport {
  readonly team: string;
  readonly stack: string;
  /** From the state file: up, failed or destroyed. */
  readonly stackStatus: string;
  readonly endsAt: string;
  readonly ended: boolean;
  /** ApplicationStatus (READY means stopped, RUNNING…), or undefined when it could not be read. */
  readonly flinkStatus?: string;
  readonly subscription?: SubscriptionState;
  /** The newest alert CSV's time; null when there is none yet, undefined when it could not be read. */
  readonly lastAlertAt?: Date | null;
  /** After endsAt: what still bills per day. */
  readonly residual?: Residual;
  /** What could not be read, one line each (the rest of the report still stands). */
  readonly problems: readonly string[];
}

/** The e-mail subscriptions' state: pending if any is, confirmed if at least one is, else none. Pages through the topic's subscriptions. */
export async function subscriptionState(c: TeamClients, topicArn: string): Promise<SubscriptionState> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(token ? { NextToken: token } : {}) }));
    for (const s of page.Subscriptions ?? []) if (s.Protocol === "email" || s.Protocol === "email-json") arns.push(s.SubscriptionArn ?? "");
    token = page.NextToken;
  } while (token);
  if (arns.some((a) => a === "PendingConfirmation")) return "pending";
  return arns.length ? "confirmed" : "none";
}

/** Runs one read, keeping its failure as a problem line instead of failing the whole report. */
async function attempt<T>(what: string, problems: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    problems.push(`${what}: ${awsError(e)}`);
    return undefined;
  }
}

/** One team's report (see TeamStatusReport); never throws for an AWS error, which becomes a problem line. */
export async function teamStatus(t: TeamTarget, c: TeamClients, now: Date): Promise<TeamStatusReport> {
  const problems: string[] = [];
  const ended = t.record.endsAt !== "" && Date.parse(t.record.endsAt) <= now.getTime();
  const [flink, subscription, alerts, residual] = await Promise.all([
    attempt("Flink application", problems, () => flinkFacts(c, t.flinkApplicationName)),
    attempt("subscription", problems, () => subscriptionState(c, t.topicArn)),
    attempt("alerts", problems, () => alertObjects(c.s3, t.processedBucket)),
    ended ? attempt("residual cost", problems, () => teamResidual(t, c)) : Promise.resolve(undefined),
  ]);
  return {
    team: t.team,
    stack: t.record.stack,
    stackStatus: t.record.status,
    endsAt: t.record.endsAt,
    ended,
    ...(flink ? { flinkStatus: flink.status } : {}),
    ...(subscription ? { subscription } : {}),
    ...(alerts ? { lastAlertAt: alerts[0]?.lastModified ?? null } : {}),
    ...(residual ? { residual } : {}),
    problems,
  };
}

/** Reports for the teams, at most `concurrency` teams read at once; unreachable teams keep their reason. */
export function statusOf(
  targets: readonly (TeamTarget | UnreachableTeam)[],
  access: AwsAccess,
  { concurrency = 8, now = new Date() } = {},
): Promise<TeamStatusReport[]> {
  return forEachTeam(
    targets,
    access,
    concurrency,
    (t, c) => teamStatus(t, c, now),
    (u) => ({
      team: u.team,
      stack: u.record.stack,
      stackStatus: u.record.status,
      endsAt: u.record.endsAt,
      ended: u.record.endsAt !== "" && Date.parse(u.record.endsAt) <= now.getTime(),
      problems: u.record.status === "up" ? [u.error] : u.record.error ? [u.record.error.split("\n")[0]!] : [],
    }),
  );
}
