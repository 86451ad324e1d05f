// Runs the pack's rules the way the policy engine would, without the engine: resource rules get
// ResourceValidationArgs (inputs), stack rules get StackValidationArgs (outputs, with parents and
// dependencies resolved to resources, as @pulumi/policy's server builds them), props behind
// @pulumi/policy's own unknown-checking proxy, so a rule that reads an UNKNOWN value meets the
// same UnknownValueError as during a real preview. Config comes from each rule's configSchema
// defaults (overridable); violations are collected instead of reported.

import type {
  PolicyProviderResource,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import { POLICIES } from "../../policy/policies";
import { STOP_TARGET } from "../../policy/rules/schedulerTargets";
import type { MockAccount } from "../../offline/fakeAws/account";

/**
 * The engine's sentinel for a string it does not know yet (@pulumi/policy proxy.ts,
 * unknownStringValue; the same value the Pulumi SDKs use on the wire).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** @pulumi/policy's own proxy (exported, but typed away in its .d.ts): reading an unknown throws. */
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy: <T>(value: T) => T }).unknownCheckingProxy;

export interface FakeResource {
  type: string;
  /** Inputs, as resource rules see them. */
  props: Record<string, unknown>;
  /** Outputs, as stack rules see them; the inputs when absent (what a preview shows for a create). */
  outputs?: Record<string, unknown>;
  name?: string;
  provider?: PolicyProviderResource;
  /** Logical name of the parent resource. */
  parent?: string;
  /** Logical names of the resources this one depends on. */
  dependencies?: string[];
  /** Per property, logical names of the resources its value was built from. */
  propertyDependencies?: Record<string, string[]>;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export function configOf(policy: AnyPolicy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]),
  );
  return { ...defaults, ...overrides };
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

const nameOf = (r: FakeResource, i: number) => r.name ?? `r${i}`;
const urnOf = (r: FakeResource, i: number) => `urn:pulumi:test::clickstream-lab::${r.type}::${nameOf(r, i)}`;

/** isType / asType as the server implements them: the class's type token against the resource's. */
function typeChecks(type: string, props: Record<string, unknown>) {
  const matches = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === type;
  return {
    isType: (cls: unknown) => matches(cls),
    asType: (cls: unknown) => (matches(cls) ? props : undefined),
  };
}

const OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function stackResources(resources: FakeResource[]): PolicyResource[] {
  const built = resources.map((r, i): PolicyResource => {
    const props = unknownCheckingProxy<Record<string, unknown>>(structuredClone(r.outputs ?? r.props));
    return {
      type: r.type,
      props,
      urn: urnOf(r, i),
      name: nameOf(r, i),
      opts: OPTS,
      provider: r.provider,
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, props),
    } as PolicyResource;
  });
  const byName = new Map(built.map((b) => [b.name, b]));
  const resolve = (names: string[] | undefined) =>
    (names ?? []).map((n) => {
      const found = byName.get(n);
      if (!found) throw new Error(`harness: no resource named ${n}`);
      return found;
    });
  resources.forEach((r, i) => {
    const b = built[i]!;
    if (r.parent) b.parent = resolve([r.parent])[0];
    b.dependencies = resolve(r.dependencies);
    b.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, resolve(v)]));
  });
  return built;
}

async function swallowNotApplicable(run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
}

export async function check(policy: AnyPolicy, resources: FakeResource[], config: Record<string, unknown> = {}): Promise<string[]> {
  const found: string[] = [];
  const report = (message: string) => found.push(message);
  const getConfig = <T extends object>() => configOf(policy, config) as T;
  if ("validateStack" in policy) {
    const args: StackValidationArgs = { resources: stackResources(resources), stackTags: new Map(), getConfig, notApplicable };
    await swallowNotApplicable(() => policy.validateStack(args, report));
    return found;
  }
  const validators = [policy.validateResource ?? []].flat();
  for (const [i, r] of resources.entries()) {
    const props = unknownCheckingProxy<Record<string, unknown>>(structuredClone(r.props));
    const args: ResourceValidationArgs = {
      type: r.type,
      props,
      urn: urnOf(r, i),
      name: nameOf(r, i),
      opts: OPTS,
      provider: r.provider,
      stackTags: new Map(),
      getConfig,
      notApplicable,
      ...typeChecks(r.type, props),
    } as ResourceValidationArgs;
    for (const validate of validators) await swallowNotApplicable(() => validate(args, report));
  }
  return found;
}

/** Violations of every rule of the pack, keyed by rule name; only rules that found something. */
export async function checkPack(resources: FakeResource[], level: "mandatory" | "all" = "mandatory"): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const policy of POLICIES) {
    if (level === "mandatory" && policy.enforcementLevel !== "mandatory") continue;
    const found = await check(policy, resources);
    if (found.length > 0) out[policy.name] = found;
  }
  return out;
}

/**
 * A stack's registered resources as the engine would show them to the pack: inputs to resource
 * rules, outputs (with the id) to stack rules, and the provider each was registered with.
 * Mocks record no dependencies; stack rules pair these by value.
 */
export function fromAccount(account: MockAccount, stack: string): FakeResource[] {
  const recorded = account.ofStack(stack);
  const providers = new Map(recorded.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.id, p]));
  return recorded.map((r) => {
    const p = r.providerId ? providers.get(r.providerId) : undefined;
    return {
      type: r.type,
      name: r.name,
      props: structuredClone(r.inputs),
      outputs: { ...structuredClone(r.state), id: r.id },
      provider: p ? { type: p.type, name: p.name, urn: `urn:${p.name}`, props: p.inputs } : undefined,
    };
  });
}

/** An instant `days` from now, as the program writes expires-at. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export const TAGS = { event: "e", team: "t", "expires-at": daysFromNow(1) };

/** The program's AWS provider as a rule sees it: region and defaultTags (a JSON string, as the engine stores it). */
export function awsProvider(region = "us-east-1", tags: Record<string, string> = TAGS): PolicyProviderResource {
  return { type: "pulumi:providers:aws", name: "aws", urn: "urn:aws", props: { region, defaultTags: JSON.stringify({ tags }) } };
}

export const FAKE_PROVIDER = awsProvider();

// Fakes shaped as @pulumi/aws 7 registers them.
export function flinkApp(name = "app", parallelism = 1, perKpu = 1, autoScaling = false, runtime = "FLINK-1_20"): FakeResource {
  return flinkAppWith(
    name,
    { configurationType: "CUSTOM", parallelism, parallelismPerKpu: perKpu, autoScalingEnabled: autoScaling },
    runtime,
  );
}

/** A Flink application with these parallelism settings (none when undefined). */
export function flinkAppWith(
  name: string,
  parallelismConfiguration: Record<string, unknown> | undefined,
  runtime = "FLINK-1_20",
): FakeResource {
  return {
    type: "aws:kinesisanalyticsv2/application:Application",
    name,
    provider: FAKE_PROVIDER,
    props: {
      name,
      runtimeEnvironment: runtime,
      applicationConfiguration: { flinkApplicationConfiguration: parallelismConfiguration ? { parallelismConfiguration } : {} },
    },
  };
}

/** An instant as Scheduler's at() takes it. */
export function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

export function stopSchedule(app: string, overrides: Record<string, unknown> = {}, name = `stop-${app}`): FakeResource {
  return {
    type: "aws:scheduler/schedule:Schedule",
    name,
    provider: FAKE_PROVIDER,
    props: {
      scheduleExpression: atExpression(new Date(Date.now() + 3_600_000)),
      flexibleTimeWindow: { mode: "OFF" },
      target: { arn: STOP_TARGET, roleArn: "arn:aws:iam::123456789012:role/stop", input: JSON.stringify({ ApplicationName: app }) },
      ...overrides,
    },
  };
}
