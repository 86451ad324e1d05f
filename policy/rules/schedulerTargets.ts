// EventBridge Scheduler's universal targets can call almost any AWS API on a timer, with the
// schedule's role: a way out of every other rule (`aws-sdk:ec2:runInstances` every minute). The
// lab has exactly two schedules, both one-time at the event's end: StopApplication on the team's
// Flink application (the cost guard) and AdminDisableUser on the team's KDG user (credentials end
// with the event). Each must be enabled, one-time, and due no later than the stack's expires-at.
// Which application and which user pool: scheduler-own-targets, which sees the whole stack.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { effectiveTags, parseInstant, pulumiType, resourceRule } from "./support";

export const SCHEDULE = pulumiType(aws.scheduler.Schedule);
// The pack's own copies of components/eventEnd.ts's targets, on purpose: the pack loads alone.
// test/policy/packCopies.test.ts ties them.
export const STOP_TARGET = "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication";
export const DISABLE_USER_TARGET = "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminDisableUser";

/** The universal targets a lab schedule may call, with the input keys each takes (AWS API reference). */
export const ALLOWED_TARGETS: Readonly<
  Record<string, { readonly required: readonly string[]; readonly optional: readonly string[]; readonly why: string }>
> = {
  [STOP_TARGET]: { required: ["ApplicationName"], optional: ["Force"], why: "stop the team's Flink application at the event's end" },
  [DISABLE_USER_TARGET]: { required: ["UserPoolId", "Username"], optional: [], why: "disable the team's KDG user at the event's end" },
};

/**
 * The instant of Scheduler's one-time form, `at(yyyy-mm-ddThh:mm:ss)` read in UTC; undefined for
 * rate(), cron() and anything that is not a real calendar time.
 */
export function oneTimeAt(expression: string): Date | undefined {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  return m ? parseInstant(`${m[1]}Z`) : undefined;
}

/** When a one-time schedule runs at the latest: its at() plus any flexible window. */
export function latestRun(at: Date, flexibleTimeWindow: { mode?: string; maximumWindowInMinutes?: number } | undefined): Date {
  const window = flexibleTimeWindow?.mode === "FLEXIBLE" ? Number(flexibleTimeWindow.maximumWindowInMinutes ?? 0) : 0;
  return new Date(at.getTime() + window * 60_000);
}

export const schedulerTargetsPolicy: ResourceValidationPolicy = {
  name: "scheduler-one-time-lab-targets",
  description:
    "Scheduler schedules call only StopApplication or AdminDisableUser, enabled, one-time at(...) in UTC, due no later than the stack's expires-at, with no endDate in the past.",
  enforcementLevel: "mandatory",
  validateResource: resourceRule(aws.scheduler.Schedule, (schedule, args, report) => {
    const arn = String(schedule.target.arn);
    if (!(arn in ALLOWED_TARGETS)) {
      report(`The schedule calls ${arn}; a lab schedule may call only ${Object.keys(ALLOWED_TARGETS).join(" or ")}.`);
    }
    const state = schedule.state ?? "ENABLED"; // Scheduler's default
    if (state !== "ENABLED") report(`The schedule's state is ${state}: a disabled schedule never stops anything. Set state: "ENABLED".`);
    const zone = schedule.scheduleExpressionTimezone ?? "UTC";
    if (zone !== "UTC")
      report(`scheduleExpressionTimezone is ${zone}; lab schedules are written in UTC so that they can be compared with expires-at.`);
    const now = Date.now();
    if (schedule.endDate !== undefined) {
      const end = parseInstant(schedule.endDate);
      if (!end) report(`endDate ${schedule.endDate} is not an ISO 8601 instant.`);
      else if (end.getTime() <= now) report(`endDate ${schedule.endDate} is in the past: the schedule could never run.`);
    }
    const at = oneTimeAt(schedule.scheduleExpression);
    if (!at) {
      report(
        `${schedule.scheduleExpression} is not a one-time at(yyyy-mm-ddThh:mm:ss) schedule: a lab schedule runs once, at the event's end.`,
      );
      return;
    }
    const due = latestRun(at, schedule.flexibleTimeWindow);
    if (due.getTime() <= now) report(`The schedule is due at ${due.toISOString()}, in the past: it would never run.`);
    const expiresText = effectiveTags(args.props, args.provider)["expires-at"];
    const expires = expiresText === undefined ? undefined : parseInstant(expiresText);
    if (!expires)
      report(`The stack's expires-at tag (${String(expiresText)}) is not an instant, so the schedule cannot be checked against it.`);
    else if (due.getTime() > expires.getTime())
      report(`The schedule is due at ${due.toISOString()}, after the stack's expires-at ${expiresText}; it must run by then.`);
    else if (due.getTime() > now + LIMITS.maxEventDays * 86_400_000)
      report(`The schedule is due at ${due.toISOString()}, more than ${LIMITS.maxEventDays} days ahead.`);
  }),
};
