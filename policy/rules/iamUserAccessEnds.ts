// A person's access ends with the event. The lab's one kind of IAM user is the team's read-only
// console viewer (components/teamView.ts); unlike a service role, a person can sign in whenever
// they like, so every Allow of a user's policy must carry IAM's own end:
// `DateLessThan {"aws:CurrentTime": <instant>}` no later than the stack's expires-at tag (the
// event's end), and no further ahead than an event may last. IAM compares the date at every
// request, so nothing has to run at endsAt for the access to stop. Access keys and managed
// policies are refused elsewhere (lab-resource-types-only, iam-no-managed-policies).

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { placedStatements } from "./iamDocuments";
import { anyResourceRule, effectiveTags, parseInstant } from "./support";

/** The types holding an IAM user's identity policy. */
export const USER_POLICY_TYPES = ["aws:iam/userPolicy:UserPolicy"] as const;

/** The end a statement's condition sets (DateLessThan or DateLessThanEquals on aws:CurrentTime), as written. */
export function statementEnd(condition: Record<string, unknown> | undefined): string | undefined {
  for (const op of ["DateLessThan", "DateLessThanEquals"]) {
    const block = condition?.[op] as Record<string, unknown> | undefined;
    const v = block?.["aws:CurrentTime"];
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
  }
  return undefined;
}

/** Why one Allow's end is refused, given the stack's expires-at (if any) and now; undefined when fine. */
export function userAccessEndProblem(
  end: string | undefined,
  expiresAt: string | undefined,
  now: Date,
  maxEventDays: number,
): string | undefined {
  if (end === undefined) return 'has no end: add Condition {"DateLessThan": {"aws:CurrentTime": "<endsAt>"}}';
  const at = parseInstant(end);
  if (!at) return `ends at "${end}", which is not an ISO 8601 instant with a time zone`;
  if (at.getTime() > now.getTime() + maxEventDays * 86_400_000) return `ends at ${end}, more than ${maxEventDays} days ahead`;
  const expires = expiresAt === undefined ? undefined : parseInstant(expiresAt);
  if (expires && at.getTime() > expires.getTime())
    return `ends at ${end}, after the stack's expires-at ${expiresAt}: end it with the event`;
  return undefined;
}

export const iamUserAccessEndsPolicy: ResourceValidationPolicy = {
  name: "iam-user-access-ends",
  description:
    "Every Allow of an IAM user's policy ends with the event: DateLessThan aws:CurrentTime no later than the expires-at tag, at most maxEventDays ahead.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxEventDays: { type: "integer", default: LIMITS.maxEventDays, minimum: 1 } } },
  validateResource: anyResourceRule((args, report) => {
    if (!(USER_POLICY_TYPES as readonly string[]).includes(args.type)) return;
    const { maxEventDays } = args.getConfig<{ maxEventDays: number }>();
    const expiresAt = effectiveTags(args.props, args.provider)["expires-at"];
    for (const { s, at } of placedStatements(args, ["identity"])) {
      if (s.Effect !== "Allow") continue;
      const problem = userAccessEndProblem(statementEnd(s.Condition), expiresAt, new Date(), maxEventDays);
      if (problem) report(`${at}: a person's access ${problem}.`);
    }
  }),
};
