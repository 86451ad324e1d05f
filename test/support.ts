// Shared by the tests: a valid configuration, a fixed "now", and a way to run one team's stack
// in a mock account and look at what it registered.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig, type ConfigKey, type LabConfig } from "../infra/config";
import { teamStackName } from "../infra/naming";
import { teamStack, type TeamStackOutputs } from "../infra/teamStack";
import { MockAccount, type RecordedResource } from "../offline/fakeAws/account";
import { asList, type PolicyJson, type PolicyStatementJson } from "../offline/fakeAws/policyGrammar";

/** Tests pin the clock: the committed stack files must not expire under them. */
export const NOW = new Date("2026-11-28T12:00:00Z");

export const VALID: Partial<Record<ConfigKey, string>> = {
  team: "alpha",
  notificationEmail: "alpha@example.com",
  endsAt: "2026-11-28T18:00:00Z",
};

export function config(overrides: Partial<Record<ConfigKey, string>> = {}): LabConfig {
  return validateConfig({ ...VALID, ...overrides }, NOW);
}

/**
 * Tests of the Pulumi program stand in a small file for the Flink JAR, so that they do not depend
 * on the Maven build (the plan tests use the real one). Its content hash names the S3 object.
 */
export const FAKE_JAR = join(mkdtempSync(join(tmpdir(), "lab-jar-")), "clickstream-analytics-1.0.0.jar");
writeFileSync(FAKE_JAR, "PK\u0003\u0004 a stand-in for the Flink job's JAR");

export interface TeamRun {
  readonly outputs: TeamStackOutputs;
  readonly resources: RecordedResource[];
  readonly account: MockAccount;
  /** The one resource of this type (and logical name, when given); fails when there is not exactly one. */
  one(type: string, name?: string): RecordedResource;
  all(type: string): RecordedResource[];
}

export async function runTeam(overrides: Partial<Record<ConfigKey, string>> = {}, account = new MockAccount()): Promise<TeamRun> {
  const cfg = config(overrides);
  const stack = teamStackName(cfg.event, cfg.team);
  const outputs = await account.run(stack, () => teamStack(cfg, stack, { jarPath: FAKE_JAR }));
  const resources = account.ofStack(stack);
  const all = (type: string) => resources.filter((r) => r.type === type);
  return {
    outputs,
    resources,
    account,
    all,
    one(type, name) {
      const found = all(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.length}`);
      return found[0]!;
    },
  };
}

export function statements(policyJson: unknown): PolicyStatementJson[] {
  return asList((JSON.parse(String(policyJson)) as PolicyJson).Statement);
}

/** Allowed actions of a role's inline policy, mapped to the resources each may touch. */
export function grants(run: TeamRun, roleName: string): Map<string, string[]> {
  const policy = run.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === roleName);
  if (!policy) throw new Error(`no inline policy for role ${roleName}`);
  const out = new Map<string, string[]>();
  for (const s of statements(policy.inputs.policy)) {
    if (s.Effect !== "Allow") continue;
    for (const a of asList(s.Action)) out.set(a, [...(out.get(a) ?? []), ...asList(s.Resource)]);
  }
  return out;
}
