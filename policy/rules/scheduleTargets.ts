// Which resource a lab schedule acts on, read the way the engine allows at every preview: the
// schedule's `target` property depends (propertyDependencies, by URN) on the resources its input
// was built from, and that is known before any id is. Where the input itself is known it is read
// too. Shared by flink-stop-schedule and scheduler-own-targets.

import type { PolicyResource } from "@pulumi/policy";
import { asList, knownOrUndefined, parseJsonish } from "./support";

/** The schedule's target input as an object; undefined while unknown; null when not a JSON object. */
export function targetInput(schedule: PolicyResource): Record<string, unknown> | null | undefined {
  return knownOrUndefined(() => {
    const target = schedule.props.target as { input?: unknown } | undefined;
    const raw: unknown = target?.input;
    if (raw === undefined) return null;
    const parsed = parseJsonish<unknown>(raw);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    // Copy the keys now: a proxied object may still hold unknown leaves.
    return Object.fromEntries(Object.keys(parsed).map((k) => [k, (parsed as Record<string, unknown>)[k]]));
  });
}

/** The schedule's target ARN (a literal in the program, so known at every preview). */
export function targetArn(schedule: PolicyResource): string {
  return String((schedule.props.target as { arn?: unknown } | undefined)?.arn);
}

/** The resources the schedule's target was built from (input and role), by URN. */
export function targetDependencies(schedule: PolicyResource): PolicyResource[] {
  return asList(schedule.propertyDependencies.target);
}

/** A known string prop of a resource, or undefined while unknown. */
export function knownString(r: PolicyResource, prop: string): string | undefined {
  const v = knownOrUndefined(() => r.props[prop] as unknown);
  return typeof v === "string" ? v : undefined;
}
