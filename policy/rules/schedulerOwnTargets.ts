// A lab schedule acts on its own stack only: StopApplication on this stack's Flink application,
// AdminDisableUser on this stack's user pool and KDG user. Decided at every preview: a known input
// is compared with this stack's names and ids; an input that is still unknown can only have been
// built from this stack's own resources (invokes are known at preview), and its target's
// dependencies (URNs) say which, so those must be the application or the user pool, and nothing
// else but the schedule's role.

import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { knownString, targetArn, targetDependencies, targetInput } from "./scheduleTargets";
import { ALLOWED_TARGETS, DISABLE_USER_TARGET, SCHEDULE, STOP_TARGET } from "./schedulerTargets";
import { knownOrUndefined, pulumiType, resourcesOfType, stackRule } from "./support";

const ROLE = pulumiType(aws.iam.Role);

export const schedulerOwnTargetsPolicy: StackValidationPolicy = {
  name: "scheduler-own-targets",
  description:
    "StopApplication schedules name this stack's Flink application; AdminDisableUser schedules name this stack's user pool and KDG user.",
  enforcementLevel: "mandatory",
  validateStack: stackRule((args, report) => {
    const apps = resourcesOfType(args.resources, aws.kinesisanalyticsv2.Application).map((a) => a.resource);
    const pools = resourcesOfType(args.resources, aws.cognito.UserPool).map((p) => p.resource);
    const users = resourcesOfType(args.resources, aws.cognito.User).map((u) => u.resource);
    for (const schedule of args.resources.filter((r) => r.type === SCHEDULE)) {
      const arn = targetArn(schedule);
      const spec = ALLOWED_TARGETS[arn];
      if (!spec) continue; // scheduler-one-time-lab-targets refuses it
      const input = targetInput(schedule);
      const owners = arn === STOP_TARGET ? apps : pools;
      const what = arn === STOP_TARGET ? "this stack's Flink application" : "this stack's user pool";
      if (input === undefined) {
        const deps = targetDependencies(schedule);
        const allowed = new Set([...owners, ...(arn === DISABLE_USER_TARGET ? users : [])].map((r) => r.urn));
        const strays = deps.filter((d) => !allowed.has(d.urn) && d.type !== ROLE);
        if (!deps.some((d) => owners.some((o) => o.urn === d.urn)))
          report(`The schedule's input is unknown at preview and not built from ${what}.`, schedule.urn);
        if (strays.length > 0)
          report(`The schedule's input is built from ${strays.map((s) => s.type).join(", ")}; it may name only ${what}.`, schedule.urn);
        continue;
      }
      if (input === null) {
        report(`The schedule's input is not a JSON object with ${spec.required.join(", ")}.`, schedule.urn);
        continue;
      }
      const keys = Object.keys(input);
      const missing = spec.required.filter((k) => !keys.includes(k));
      const extra = keys.filter((k) => !spec.required.includes(k) && !spec.optional.includes(k));
      if (missing.length > 0 || extra.length > 0) {
        report(
          `The schedule's input must hold ${[...spec.required, ...spec.optional.map((o) => `optional ${o}`)].join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}${extra.length ? `; unexpected ${extra.join(", ")}` : ""}.`,
          schedule.urn,
        );
      }
      if (arn === STOP_TARGET) {
        const names = apps.map((a) => knownString(a, "name"));
        if (!names.includes(String(input.ApplicationName)))
          report(`The schedule stops ${String(input.ApplicationName)}, which is not ${what}.`, schedule.urn);
      } else {
        const pool = pools.find((p) => poolId(p) === input.UserPoolId);
        if (!pool)
          report(
            `The schedule disables a user in pool ${String(input.UserPoolId)}, which is not ${what} (a pool created by this stack has no id before it exists).`,
            schedule.urn,
          );
        const usernames = users.map((u) => knownString(u, "username"));
        if (!usernames.includes(String(input.Username)))
          report(`The schedule disables user ${String(input.Username)}, who is not this stack's KDG user.`, schedule.urn);
      }
    }
  }),
};

/**
 * A user pool's id once it exists. Stack rules see a resource's outputs, which do not carry the
 * id itself; the pool's ARN (…:userpool/<id>) and endpoint (cognito-idp.<region>.amazonaws.com/<id>)
 * end with it.
 */
function poolId(pool: PolicyResource): string | undefined {
  for (const key of ["id", "arn", "endpoint"]) {
    const value = knownOrUndefined(() => pool.props[key] as unknown);
    if (typeof value === "string" && value !== "") return key === "id" ? value : value.split("/").pop();
  }
  return undefined;
}
