// The Workspace for real events: Pulumi's Automation API over this repository's program (a local
// program: the same Pulumi.yaml and infra/index.ts as `pulumi up`). It drives whatever `pulumi`
// CLI is on PATH: with AWS credentials, real AWS; in the tests (test/engine/), the CLI built from
// source and the fake AWS account as the provider plugin (offline/engine/).

import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import * as YAML from "yaml";
import { LocalWorkspace, type ConfigMap, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { LAB_REGION } from "../infra/config";
import { typeErrors } from "../infra/typecheck";
import { POLICY_PACK_DIR, ROOT } from "../paths";
import type {
  ConfigValue,
  DestroySummary,
  OnProgress,
  OutputValue,
  PolicyViolation,
  PreviewOptions,
  ResourceChange,
  StackSpec,
  TaggedResources,
  Workspace,
} from "./workspace";

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

/** A provider plugin executable the engine will take from PATH instead of installing one. */
function onPath(executable: string, path = process.env.PATH ?? ""): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, executable), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Collects the errors the engine reports as diagnostics, so that a failed operation says what went
 * wrong in the engine's words ('AWS would reject … (AlreadyExists)') rather than the Automation
 * API's 'code: 255'. Each diagnostic becomes one line; the original error stays, with its name
 * (the orchestrator's retry rule reads it), its message after these lines.
 */
function engineErrors(onEvent?: (e: EngineEvent) => void): { onEvent: (e: EngineEvent) => void; explain: (err: unknown) => unknown } {
  const errors: string[] = [];
  return {
    onEvent: (e) => {
      onEvent?.(e);
      const d = e.diagnosticEvent;
      if (d?.severity !== "error") return;
      const line = d.message.replace(/\s*\n\s*-?\s*/g, " - ").trim();
      if (line && !errors.includes(line)) errors.push(line);
    },
    explain: (err) => {
      if (err instanceof Error && errors.length > 0) err.message = `${errors.join("\n")}\n${err.message}`;
      return err;
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The dotted paths at which two input bags differ, as deep as both sides are objects or arrays of
 * the same length. Arrays of property groups are matched by `propertyGroupId` (so the path names
 * the group, `propertyGroups[Detection].propertyMap.anomaly.threshold`, and a reordering is no change).
 */
export function changedPaths(before: unknown, after: unknown, at = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const join = (k: string) => (at ? `${at}.${k}` : k);
  if (isRecord(before) && isRecord(after))
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().flatMap((k) => changedPaths(before[k], after[k], join(k)));
  if (Array.isArray(before) && Array.isArray(after)) {
    const ids = (a: unknown[]) =>
      a.every((x) => isRecord(x) && typeof x.propertyGroupId === "string")
        ? a.map((x) => (x as { propertyGroupId: string }).propertyGroupId)
        : undefined;
    const [bi, ai] = [ids(before), ids(after)];
    if (bi && ai) {
      const byId = (a: unknown[], i: string[]) => Object.fromEntries(i.map((id, n) => [id, a[n]]));
      return [...new Set([...bi, ...ai])].sort().flatMap((id) => changedPaths(byId(before, bi)[id], byId(after, ai)[id], `${at}[${id}]`));
    }
    if (before.length === after.length) return before.flatMap((b, i) => changedPaths(b, after[i], `${at}[${i}]`));
  }
  return [at || "(all)"];
}

/** A resource a preview would touch, with its changed inputs: from the inputs themselves, else the provider's diff. */
function changeOf(e: EngineEvent): ResourceChange | undefined {
  const m = e.resourcePreEvent?.metadata;
  if (!m || m.op === "same" || m.op === "read" || m.type === "pulumi:pulumi:Stack") return undefined;
  const paths =
    m.old?.inputs && m.new?.inputs
      ? changedPaths(m.old.inputs, m.new.inputs)
      : m.detailedDiff
        ? Object.keys(m.detailedDiff)
        : (m.diffs ?? []);
  return {
    urn: m.urn,
    type: m.type,
    op: m.op,
    paths,
    ...(m.old?.inputs ? { before: m.old.inputs } : {}),
    ...(m.new?.inputs ? { after: m.new.inputs } : {}),
  };
}

/**
 * A stack settings file's text with the spec's plain values laid over its config, for
 * `pulumi preview --config-file`: the stored file, its encrypted secrets and salt stay as they are.
 * Every string is double-quoted: the engine's YAML reader takes a bare `2026-12-07T00:30:09Z` for a
 * timestamp and hands the program "2026-12-07 00:30:09 +0000 UTC" (seen on the real engine).
 * @throws Error when the spec changes a secret (it would have to be encrypted into the copy).
 */
export function settingsCopy(text: string, spec: StackSpec, stored: Record<string, ConfigValue>): string {
  const doc = (YAML.parse(text) as { config?: Record<string, unknown> } | null) ?? {};
  const config: Record<string, unknown> = { ...doc.config };
  for (const [k, v] of Object.entries(spec.config)) {
    if (v.secret || stored[k]?.secret) {
      if (stored[k]?.value !== v.value)
        throw new Error(`${k} is a secret that differs from the stack's: a preview that keeps the stored config cannot change it`);
      continue;
    }
    config[k] = v.value;
  }
  return YAML.stringify({ ...doc, config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}

export interface PulumiWorkspaceOptions {
  /** The project folder (Pulumi.yaml; stack files are written here). Default: the repository. */
  readonly workDir?: string;
  /** What `--policy-pack` names: the pack's folder, or an executable that serves it. Default: policy/. */
  readonly policyPack?: string;
  /** A `--policy-pack-config` file: the event's own limits for the pack's rules (JSON by policy name). */
  readonly policyPackConfig?: string;
  /** Extra environment for the CLI (e.g. PATH, PULUMI_HOME). Default: this process's. */
  readonly env?: Record<string, string>;
}

/** What the instructor CLI says when the Pulumi CLI is not on PATH (issue 23), with its install page. */
export const MISSING_PULUMI =
  "The Pulumi CLI (`pulumi`) is not on PATH: the instructor CLI drives it. Install it (https://www.pulumi.com/docs/iac/download-install/), open a new shell, and check with `pulumi version`.";

export class PulumiWorkspace implements Workspace {
  private readonly env: Record<string, string>;
  private readonly workDir: string;
  private readonly policyPack: string;
  private readonly policy: { policyPacks: string[]; policyPackConfigs?: string[] };
  /** The type check's verdict for this run (null: clean), taken once before the first preview or up. */
  private typeCheck?: string | null;

  /** @throws Error when neither a passphrase nor a Pulumi Cloud token is set for the backend's secrets, or when `pulumi` is not on PATH. */
  constructor(options: PulumiWorkspaceOptions = {}) {
    const env = { ...process.env, ...options.env };
    if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE && !env.PULUMI_ACCESS_TOKEN) {
      throw new Error(
        "Set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the local backend's secrets, or log in to a Pulumi backend (PULUMI_BACKEND_URL, PULUMI_ACCESS_TOKEN).",
      );
    }
    // The Automation API spawns `pulumi`: without it, every team would fail with "spawn pulumi ENOENT".
    if (!onPath("pulumi", env.PATH)) throw new Error(MISSING_PULUMI);
    this.workDir = options.workDir ?? ROOT;
    this.policyPack = options.policyPack ?? POLICY_PACK;
    this.policy = {
      policyPacks: [this.policyPack],
      ...(options.policyPackConfig ? { policyPackConfigs: [options.policyPackConfig] } : {}),
    };
    this.env = {
      ...options.env,
      PULUMI_BACKEND_URL: env.PULUMI_BACKEND_URL ?? DEFAULT_BACKEND,
    };
    if (this.env.PULUMI_BACKEND_URL === DEFAULT_BACKEND) mkdirSync(join(ROOT, ".workshop", "backend"), { recursive: true });
  }

  private stack(name: string, profile?: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
      { stackName: name, workDir: this.workDir },
      { envVars: { ...this.env, ...(profile ? { AWS_PROFILE: profile } : {}) } },
    );
  }

  private workspace(): Promise<LocalWorkspace> {
    return LocalWorkspace.create({ workDir: this.workDir, envVars: this.env });
  }

  /** Installs the aws and random plugins, except one the engine will take from PATH (a local build). */
  async installPlugins(): Promise<void> {
    const ws = await this.workspace();
    for (const pkg of ["aws", "random"]) {
      if (onPath(`pulumi-resource-${pkg}`, this.env.PATH ?? process.env.PATH)) continue;
      await ws.installPlugin(pkg, `v${pluginVersion(`@pulumi/${pkg}`)}`);
    }
  }

  async listStacks(): Promise<string[]> {
    return (await (await this.workspace()).listStacks()).map((s) => s.name);
  }

  private async configured(spec: StackSpec): Promise<Stack> {
    const stack = await this.stack(spec.stack, spec.profile);
    const config: ConfigMap = Object.fromEntries(
      Object.entries(spec.config).map(([k, v]) => [k, { value: v.value, secret: v.secret ?? false }]),
    );
    await stack.setAllConfig(config);
    return stack;
  }

  /**
   * The engine runs the program and the pack without type-checking them (infra/typecheck.ts): check
   * them here once for the whole run, so that a type error fails every team with tsc's file and line
   * before any team's program runs, and teams in flight never each start a tsc of their own.
   * @throws Error with tsc's diagnostics.
   */
  private checkTypes(log: (line: string) => void): void {
    if (this.typeCheck === undefined) this.typeCheck = typeErrors(this.workDir, log) ?? null;
    if (this.typeCheck) throw new Error(this.typeCheck);
  }

  /** A copy of the stack's settings file with the spec's plain values (settingsCopy), in a folder of its own. */
  private async configCopy(spec: StackSpec): Promise<string> {
    const stored = await this.config(spec.stack, spec.profile);
    const file = join(this.workDir, `Pulumi.${spec.stack}.yaml`);
    const dir = mkdtempSync(join(tmpdir(), "preview-config-"));
    const copy = join(dir, `Pulumi.${spec.stack}.yaml`);
    writeFileSync(copy, settingsCopy(existsSync(file) ? readFileSync(file, "utf8") : "", spec, stored));
    return copy;
  }

  async preview(spec: StackSpec, log: (line: string) => void, options: PreviewOptions = {}): Promise<PolicyViolation[]> {
    this.checkTypes(log);
    const configFile = options.keepStoredConfig ? await this.configCopy(spec) : undefined;
    const stack = configFile ? await this.stack(spec.stack, spec.profile) : await this.configured(spec);
    const violations: PolicyViolation[] = [];
    const { onChange } = options;
    const errors = engineErrors((e: EngineEvent) => {
      const change = onChange && changeOf(e);
      if (change) onChange(change);
      const p = e.policyEvent;
      if (p?.enforcementLevel === "mandatory")
        violations.push({ policy: p.policyName, message: p.message.trim(), ...(p.resourceUrn ? { urn: p.resourceUrn } : {}) });
    });
    try {
      await stack.preview({
        ...this.policy,
        ...(configFile ? { configFile } : {}),
        onOutput: (out) => log(out.trimEnd()),
        onEvent: errors.onEvent,
      });
    } catch (e) {
      // A mandatory violation fails the preview; that is the answer, not an error.
      if (violations.length === 0) throw errors.explain(e);
    } finally {
      if (configFile) rmSync(dirname(configFile), { recursive: true, force: true });
    }
    return violations;
  }

  async up(spec: StackSpec, progress: OnProgress, log: (line: string) => void): Promise<Record<string, OutputValue>> {
    this.checkTypes(log);
    const stack = await this.configured(spec);
    const errors = engineErrors(progressOf(progress));
    try {
      const result = await stack.up({ ...this.policy, onOutput: (out) => log(out.trimEnd()), onEvent: errors.onEvent });
      return result.outputs;
    } catch (e) {
      throw errors.explain(e);
    }
  }

  async outputs(name: string, profile?: string): Promise<Record<string, OutputValue>> {
    return (await this.stack(name, profile)).outputs();
  }

  async config(name: string, profile?: string): Promise<Record<string, ConfigValue>> {
    // `pulumi config --show-secrets --json` underneath: secrets come back decrypted, flagged secret.
    const all = await (await this.stack(name, profile)).getAllConfig();
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, { value: v.value, secret: v.secret ?? false }]));
  }

  async destroy(name: string, progress: OnProgress, log: (line: string) => void, profile?: string): Promise<DestroySummary> {
    const deleted: Record<string, number> = {};
    const counted = progressOf(progress);
    // Each resource the engine deletes ends with an outputs event of op "delete", naming its type.
    const onEvent = (e: EngineEvent) => {
      counted(e);
      const m = e.resOutputsEvent?.metadata;
      if (m && m.op === "delete" && m.type !== "pulumi:pulumi:Stack") deleted[m.type] = (deleted[m.type] ?? 0) + 1;
    };
    const errors = engineErrors(onEvent);
    try {
      await (await this.stack(name, profile)).destroy({ onOutput: (out) => log(out.trimEnd()), onEvent: errors.onEvent });
    } catch (e) {
      throw errors.explain(e);
    }
    return { deleted };
  }

  async removeStack(name: string): Promise<void> {
    await (await this.workspace()).removeStack(name);
  }
}

/** Anything in the region still carrying the team's tags (every resource gets them from the provider). */
export const taggingApi: TaggedResources = {
  async find(tags, profile) {
    const client = new ResourceGroupsTaggingAPIClient({ region: LAB_REGION, ...(profile ? { profile } : {}) });
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetResourcesCommand({ TagFilters: Object.entries(tags).map(([Key, v]) => ({ Key, Values: [v] })), PaginationToken: token }),
      );
      for (const r of page.ResourceTagMappingList ?? []) if (r.ResourceARN) arns.push(r.ResourceARN);
      token = page.PaginationToken || undefined;
    } while (token);
    client.destroy();
    return arns;
  },
};
