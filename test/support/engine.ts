// The real-engine tests' start-up, in one place: a sandbox (offline/engine/sandbox.ts) logged in to
// its own file backend with a stack made and its config set, command for command as a user types
// them; and, for the instructor CLI's tests, the workshop profile stack, a roster, the fake
// account's API on 127.0.0.1 and a runner for `npm run workshop`.

import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as YAML from "yaml";
import { createSandbox, engineBin, POLICY_PACK_SHIM, type CommandRun, type EngineSandbox } from "../../offline/engine/sandbox";
import { startTaggingApi } from "../../offline/fakeAws/taggingApi";
import { ROOT } from "../../paths";
import { NODE_TSX } from "./cli";

/** A time `hours` from now in whole seconds (2026-12-06T21:00:00Z), as the README has endsAt set. */
export const endsAtIn = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");

/** Where and how one `pulumi` command runs: another folder than the project copy, more environment. */
export interface PulumiRun {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the sandbox's `pulumi` and fails the test, with both output streams, unless it exits 0.
 * @returns its standard output.
 */
export async function pulumiOk(sb: EngineSandbox, args: readonly string[], run: PulumiRun = {}): Promise<string> {
  const r = run.cwd || run.env ? await sb.run(join(engineBin(), "pulumi"), args, run) : await sb.pulumi(args);
  assert.equal(r.code, 0, `pulumi ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * `pulumi login` to the sandbox's own backend, `pulumi stack init <stack>`, then `pulumi config set`
 * of each pair in order (a stack's required keys: the schema in Pulumi.yaml refuses a run without them).
 */
export async function initStack(
  sb: EngineSandbox,
  stack: string,
  config: readonly (readonly [string, string])[],
  run: PulumiRun = {},
): Promise<void> {
  for (const args of [["login", sb.backend], ["stack", "init", stack], ...config.map(([key, value]) => ["config", "set", key, value])])
    await pulumiOk(sb, args, run);
}

/** The environment variable that points the AWS SDK at one of the fake account's APIs. */
export type FakeApi = "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API" | "AWS_ENDPOINT_URL_KINESIS_ANALYTICS_V2";

export interface WorkshopSandbox {
  readonly sb: EngineSandbox;
  /** The event's name, from the committed workshop profile (Pulumi.workshop.yaml). */
  readonly event: string;
  /** The roster file the options wrote, for `provision --roster`. */
  readonly roster: string;
  /** `npm run workshop -- <the sandbox's --project, --state, --logs, --policy-pack> <args>`, with more environment. */
  workshop(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandRun>;
  /** Stops the API and removes the sandbox. */
  close(): Promise<void>;
}

export interface WorkshopSandboxOptions {
  /** The program's entry point instead of Pulumi.yaml's (createSandbox's `main`). */
  readonly main?: string;
  /** The roster's lines, its header first. */
  readonly roster: readonly string[];
  /** The fake account's APIs the CLI is pointed at (by default it would ask AWS). */
  readonly apis: readonly FakeApi[];
  /** More global options, before the command (given the project copy's folder). */
  readonly globalOptions?: (project: string) => readonly string[];
}

/**
 * The instructor's start-up: the workshop profile stack made on the sandbox's backend with an
 * endsAt 6 hours away (set on the profile with the CLI, as its file says), the roster written in
 * the project copy, and the fake account's API serving the account file.
 */
export async function workshopSandbox(o: WorkshopSandboxOptions): Promise<WorkshopSandbox> {
  const sb = createSandbox(o.main ? { main: o.main } : {});
  const api = await startTaggingApi(sb.accountFile);
  await initStack(sb, "workshop", [["endsAt", endsAtIn(6)]]);
  const profile = YAML.parse(readFileSync(join(sb.project, "Pulumi.workshop.yaml"), "utf8")) as { config: Record<string, string> };
  const roster = join(sb.project, "roster.csv");
  writeFileSync(roster, o.roster.join("\n") + "\n");
  const global = [
    "--project",
    sb.project,
    "--state",
    join(sb.project, "state.json"),
    "--logs",
    join(sb.project, "logs"),
    "--policy-pack",
    POLICY_PACK_SHIM,
    ...(o.globalOptions?.(sb.project) ?? []),
  ];
  const endpoints = Object.fromEntries(o.apis.map((name) => [name, api.endpoint]));
  return {
    sb,
    event: profile.config["clickstream-lab:event"]!,
    roster,
    workshop: (args, env = {}) =>
      sb.run(NODE_TSX[0]!, [...NODE_TSX.slice(1), join(ROOT, "cli", "workshop.ts"), ...global, ...args], {
        env: { PULUMI_BACKEND_URL: sb.backend, ...endpoints, ...env },
        timeoutMs: 3_000_000,
      }),
    close: async () => {
      await api.close();
      sb.dispose();
    },
  };
}
