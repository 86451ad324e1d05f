// What the rules share: typed rule helpers in the style of @pulumi/awsguard, the handling of
// values the engine does not know yet, pairing resources by URN, and reading tags and regions
// the way the engine hands them over.
//
// Unknown values: during a preview, an output that does not exist yet (a bucket's id, an ARN) is
// an "unknown" in the rule's props, and @pulumi/policy's proxy throws UnknownValueError when a rule
// reads it. Left alone, the engine turns that into an *advisory* "can't run policy during preview",
// and a mandatory rule silently passes. Every rule here is wrapped so that a rule that cannot
// decide reports a violation instead; the rules themselves are written to decide without outputs
// wherever the program allows it (pairing by URN and dependencies, not by ids).

import {
  UnknownValueError,
  validateResourceOfType,
  type PolicyProviderResource,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidation,
  type StackValidationArgs,
  type TypedResourceValidation,
} from "@pulumi/policy";
import type { CustomResourceOptions, Resource, Unwrap } from "@pulumi/pulumi";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";

export { LAB_REGION, parseInstant } from "../limits";

/** A resource class as @pulumi/aws generates them (its `__pulumiType` token is marked internal). */
export type ResourceClass<TResource extends Resource, TArgs> = new (name: string, args: TArgs, opts?: CustomResourceOptions) => TResource;

/** The type token of a generated resource class (`aws:s3/bucket:Bucket`). */
export function pulumiType(resourceClass: ResourceClass<Resource, never>): string {
  const token = (resourceClass as unknown as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string") throw new Error(`${resourceClass.name} has no Pulumi type token`);
  return token;
}

/** True for the error @pulumi/policy's proxy throws when a rule reads an unknown value. */
export function isUnknownValue(e: unknown): e is Error {
  return e instanceof UnknownValueError || (e instanceof Error && e.constructor.name === "UnknownValueError");
}

/** The violation a rule reports when a value it needs is unknown (see the file comment). */
export function undecided(e: Error): string {
  return (
    `Cannot be decided during preview: ${e.message}. A mandatory rule does not pass what it cannot see; ` +
    "build this value from configuration or pair it by URN, so that it is known before anything is created."
  );
}

/**
 * Runs `check`; an unknown value read inside it becomes a violation (on `urn`, when given)
 * instead of the engine's advisory skip. Other errors propagate.
 */
export async function decide(report: ReportViolation, check: () => void | Promise<void>, urn?: string): Promise<void> {
  try {
    await check();
  } catch (e) {
    if (!isUnknownValue(e)) throw e;
    report(undecided(e), urn);
  }
}

/**
 * Reads a value that may be unknown during preview, without throwing: `undefined` when unknown.
 * For pairing, where a rule has another way to decide (the engine's dependencies).
 */
export function knownOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (isUnknownValue(e)) return undefined;
    throw e;
  }
}

/** @pulumi/policy's validateResourceOfType, with unknown values reported as violations. */
export function resourceRule<TResource extends Resource, TArgs>(
  resourceClass: ResourceClass<TResource, TArgs>,
  validate: TypedResourceValidation<Unwrap<NonNullable<TArgs>>>,
): ResourceValidation {
  const typed = validateResourceOfType(resourceClass, validate);
  const wrapped: ResourceValidation = (args, report) => decide(report, () => typed(args, report));
  // Keeps the engine's fast path: the server skips other types without calling the rule.
  return Object.assign(wrapped, { __pulumiType: pulumiType(resourceClass) });
}

/** A resource rule for every type (deny-by-default rules), with unknown values reported. */
export function anyResourceRule(
  validate: (args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
  return (args, report) => decide(report, () => validate(args, report));
}

/** A stack rule with unknown values reported as violations of the stack. */
export function stackRule(validate: (args: StackValidationArgs, report: ReportViolation) => void | Promise<void>): StackValidation {
  return (args, report) => decide(report, () => validate(args, report));
}

/** One resource of a stack with its props typed as its class's outputs. */
export interface Typed<TResource extends Resource> {
  readonly resource: PolicyResource;
  readonly props: ResolvedResource<TResource>;
}

/** The stack's resources of one class, typed (validateStackResourcesOfType, without giving up the others). */
export function resourcesOfType<TResource extends Resource, TArgs>(
  resources: readonly PolicyResource[],
  resourceClass: ResourceClass<TResource, TArgs>,
): Typed<TResource>[] {
  const out: Typed<TResource>[] = [];
  for (const resource of resources) {
    const props = resource.asType(resourceClass);
    if (props) out.push({ resource, props });
  }
  return out;
}

/**
 * Whether `dependent`'s property `property` was built from `target`: the engine's
 * propertyDependencies (known at every preview, since they are URNs), or, failing that, the
 * property's value equal to one of `targetValues` (known in an update and under mocks).
 */
export function builtFrom(
  dependent: PolicyResource,
  property: string,
  target: PolicyResource,
  targetValues: readonly unknown[] = [],
): boolean {
  if ((dependent.propertyDependencies[property] ?? []).some((d) => d.urn === target.urn)) return true;
  const value = knownOrUndefined(() => dependent.props[property] as unknown);
  if (value === undefined) return false;
  return targetValues.some((v) => v !== undefined && v === value);
}

/**
 * Provider inputs reach policies as the engine stores them: objects such as `defaultTags` are
 * JSON strings there, plain objects in some SDK paths. Accept both.
 */
export function parseJsonish<T>(value: unknown): T | undefined {
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as T;
    } catch {
      return undefined;
    }
  }
  return value as T | undefined;
}

export function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
  return parseJsonish<{ tags?: Record<string, string> }>(provider?.props.defaultTags)?.tags ?? {};
}

/** A resource's tags as AWS will see them: the provider's defaultTags under its own. */
export function effectiveTags(props: Record<string, unknown>, provider: PolicyProviderResource | undefined): Record<string, string> {
  return { ...providerDefaultTags(provider), ...(parseJsonish<Record<string, string>>(props.tags) ?? {}) };
}

/** IAM documents, Scheduler inputs and tags may hold a single value or a list. */
export function asList<T>(v: T | readonly T[] | undefined | null): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T];
}
