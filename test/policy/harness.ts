// Runs the pack's rules the way the policy engine would, without the engine: resource rules get
// ResourceValidationArgs, stack rules get StackValidationArgs, config comes from each rule's
// configSchema defaults (overridable), and violations are collected instead of reported.

import type { PolicyProviderResource, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { POLICIES } from "../../policy/policies";
import { STOP_TARGET } from "../../policy/rules/flinkStopSchedule";
import type { MockAccount } from "../../offline/fakeAws/account";

export interface FakeResource {
  type: string;
  props: Record<string, any>;
  name?: string;
  provider?: PolicyProviderResource;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export function configOf(policy: AnyPolicy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]));
  return { ...defaults, ...overrides };
}

function notApplicable(): never {
  throw new Error("not applicable");
}

function policyResource(r: FakeResource, i: number): PolicyResource {
  return {
    type: r.type,
    props: r.props,
    urn: `urn:pulumi:test::clickstream-lab::${r.type}::${r.name ?? `r${i}`}`,
    name: r.name ?? `r${i}`,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    provider: r.provider,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

export async function check(policy: AnyPolicy, resources: FakeResource[], config: Record<string, unknown> = {}): Promise<string[]> {
  const found: string[] = [];
  const report = (message: string) => found.push(message);
  const getConfig = <T extends object>() => configOf(policy, config) as T;
  if ("validateStack" in policy) {
    const args: StackValidationArgs = { resources: resources.map(policyResource), stackTags: new Map(), getConfig, notApplicable };
    await policy.validateStack(args, report);
    return found;
  }
  const validators = [policy.validateResource ?? []].flat();
  for (const [i, r] of resources.entries()) {
    const base = policyResource(r, i);
    const args: ResourceValidationArgs = { ...base, stackTags: new Map(), getConfig, notApplicable, isType: () => false, asType: () => undefined };
    for (const validate of validators) await validate(args, report);
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

/** A stack's registered resources as the engine would show them to the pack. */
export function fromAccount(account: MockAccount, stack: string): FakeResource[] {
  const recorded = account.ofStack(stack);
  const providers = new Map(recorded.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.id, p]));
  return recorded.map((r) => {
    const p = r.providerId ? providers.get(r.providerId) : undefined;
    return {
      type: r.type,
      name: r.name,
      props: structuredClone(r.inputs) as Record<string, any>,
      provider: p ? { type: p.type, name: p.name, urn: `urn:${p.name}`, props: p.inputs as Record<string, any> } : undefined,
    };
  });
}

const FAKE_PROVIDER: PolicyProviderResource = {
  type: "pulumi:providers:aws",
  name: "aws",
  urn: "urn:aws",
  props: { region: "us-east-1", defaultTags: JSON.stringify({ tags: { event: "e", team: "t", "expires-at": "2026-12-01T00:00:00.000Z" } }) },
};

// Fakes for resources the program does not create yet (the lab's Flink application and its
// stop schedule), shaped as @pulumi/aws 7 registers them.
export function flinkApp(name = "app", parallelism = 1, perKpu = 1, autoScaling = false, runtime = "FLINK-1_20"): FakeResource {
  return {
    type: "aws:kinesisanalyticsv2/application:Application",
    provider: FAKE_PROVIDER,
    props: {
      name,
      runtimeEnvironment: runtime,
      applicationConfiguration: {
        flinkApplicationConfiguration: {
          parallelismConfiguration: { configurationType: "CUSTOM", parallelism, parallelismPerKpu: perKpu, autoScalingEnabled: autoScaling },
        },
      },
    },
  };
}

export function stopSchedule(app: string): FakeResource {
  return { type: "aws:scheduler/schedule:Schedule", props: { target: { arn: STOP_TARGET, input: JSON.stringify({ ApplicationName: app }) } } };
}

