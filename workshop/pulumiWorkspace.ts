// The Workspace for real events: Pulumi's Automation API over this repository's program (a local
// program: the same Pulumi.yaml and infra/index.ts as `pulumi up`). It needs the Pulumi CLI and AWS
// credentials, neither of which the test machine has: the orchestration logic above it is tested
// against a fake, and this adapter is kept thin on purpose.

import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalWorkspace, type ConfigMap, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { LAB_REGION } from "../infra/config";
import { POLICY_PACK_DIR, ROOT } from "../paths";
import type { OnProgress, OutputValue, StackSpec, TaggedResources, Workspace } from "./workspace";

export const POLICY_PACK = POLICY_PACK_DIR;
/** The local file backend the CLI uses unless PULUMI_BACKEND_URL names another. */
export const DEFAULT_BACKEND = `file://${join(ROOT, ".workshop", "backend")}`;

function pluginVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

/** Counts resources as the engine reports them: a step started (total) and a step finished (done). */
function progressOf(progress: OnProgress): (e: EngineEvent) => void {
  let total = 0;
  let done = 0;
  return (e) => {
    if (e.resourcePreEvent && e.resourcePreEvent.metadata.type !== "pulumi:pulumi:Stack") total++;
    if (e.resOutputsEvent && e.resOutputsEvent.metadata.type !== "pulumi:pulumi:Stack") done++;
    if (e.resourcePreEvent || e.resOutputsEvent) progress(done, total);
  };
}

export class PulumiWorkspace implements Workspace {
  private readonly env: Record<string, string>;

  constructor() {
    if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE && !process.env.PULUMI_ACCESS_TOKEN) {
      throw new Error("Set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the local backend's secrets, or log in to a Pulumi backend (PULUMI_BACKEND_URL, PULUMI_ACCESS_TOKEN).");
    }
    this.env = { PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? DEFAULT_BACKEND };
    if (this.env.PULUMI_BACKEND_URL === DEFAULT_BACKEND) mkdirSync(join(ROOT, ".workshop", "backend"), { recursive: true });
  }

  private stack(name: string, profile?: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack({ stackName: name, workDir: ROOT }, { envVars: { ...this.env, ...(profile ? { AWS_PROFILE: profile } : {}) } });
  }

  async installPlugins(): Promise<void> {
    const ws = await LocalWorkspace.create({ workDir: ROOT, envVars: this.env });
    await ws.installPlugin("aws", `v${pluginVersion("@pulumi/aws")}`);
    await ws.installPlugin("random", `v${pluginVersion("@pulumi/random")}`);
  }

  async listStacks(): Promise<string[]> {
    const ws = await LocalWorkspace.create({ workDir: ROOT, envVars: this.env });
    return (await ws.listStacks()).map((s) => s.name);
  }

  async up(spec: StackSpec, progress: OnProgress, log: (line: string) => void): Promise<Record<string, OutputValue>> {
    const stack = await this.stack(spec.stack, spec.profile);
    const config: ConfigMap = Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [k, { value: v.value, secret: v.secret ?? false }]));
    await stack.setAllConfig(config);
    const result = await stack.up({ policyPacks: [POLICY_PACK], onOutput: (out) => log(out.trimEnd()), onEvent: progressOf(progress) });
    return result.outputs;
  }

  async outputs(name: string, profile?: string): Promise<Record<string, OutputValue>> {
    return (await this.stack(name, profile)).outputs();
  }

  async destroy(name: string, progress: OnProgress, log: (line: string) => void, profile?: string): Promise<void> {
    await (await this.stack(name, profile)).destroy({ onOutput: (out) => log(out.trimEnd()), onEvent: progressOf(progress) });
  }

  async removeStack(name: string): Promise<void> {
    const ws = await LocalWorkspace.create({ workDir: ROOT, envVars: this.env });
    await ws.removeStack(name);
  }
}

/** Anything in the region still carrying the team's tags (every resource gets them from the provider). */
export const taggingApi: TaggedResources = {
  async find(tags, profile) {
    const client = new ResourceGroupsTaggingAPIClient({ region: LAB_REGION, ...(profile ? { profile } : {}) });
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new GetResourcesCommand({ TagFilters: Object.entries(tags).map(([Key, v]) => ({ Key, Values: [v] })), PaginationToken: token }));
      for (const r of page.ResourceTagMappingList ?? []) if (r.ResourceARN) arns.push(r.ResourceARN);
      token = page.PaginationToken || undefined;
    } while (token);
    client.destroy();
    return arns;
  },
};
