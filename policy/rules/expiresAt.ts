// The expires-at tag is the event's end: the stop schedules must run by then, `destroy --expired`
// reads it, and instructors clean up by it. So it must be a real instant (not "never", not 30
// February), and no further ahead than an event lasts. Checked where it is written: the AWS
// provider's defaultTags and any resource's own tags.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS, MESSAGES } from "../limits";
import { anyResourceRule, parseInstant, parseJsonish } from "./support";

/** Why an expires-at value is refused at `now`, or undefined. */
export function expiresAtProblem(value: string, now: Date, maxEventDays: number = LIMITS.maxEventDays): string | undefined {
  const at = parseInstant(value);
  if (!at) return `expires-at "${value}" is not an ISO 8601 date and time with a time zone on a real calendar day`;
  if (at.getTime() <= now.getTime()) return `expires-at ${value} is in the past: the event is over`;
  if (at.getTime() > now.getTime() + maxEventDays * 86_400_000) return `expires-at ${MESSAGES.eventTooLong(value, maxEventDays)}`;
  return undefined;
}

export const expiresAtPolicy: ResourceValidationPolicy = {
  name: "expires-at-real-date",
  description:
    "The expires-at tag (provider defaultTags or a resource's own) is a real instant, in the future, at most maxEventDays ahead.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxEventDays: { type: "integer", default: LIMITS.maxEventDays, minimum: 1 } } },
  validateResource: anyResourceRule((args, report) => {
    const { maxEventDays } = args.getConfig<{ maxEventDays: number }>();
    const own = parseJsonish<Record<string, string>>(args.props.tags)?.["expires-at"];
    const written =
      args.type === "pulumi:providers:aws"
        ? parseJsonish<{ tags?: Record<string, string> }>(args.props.defaultTags)?.tags?.["expires-at"]
        : own;
    if (written === undefined) return;
    const problem = expiresAtProblem(String(written), new Date(), maxEventDays);
    if (problem) report(`${problem}.`);
  }),
};
