// The one reader of Pulumi's files: the project file (Pulumi.yaml) and the stack files
// (Pulumi.<stack>.yaml), for the offline plan, the instructor CLI and the tests. Also writes
// Pulumi.yaml's `config:` block from the schema in config.ts, so the schema has one source
// (`npm run config:schema`; a test fails when the committed file differs).

import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ROOT } from "../paths";
import { SCHEMA, type KeySpec } from "./config";

/** A stack file that is not valid YAML, or not a `config:` map; the message names the file and line. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/**
 * Parses a stack file (`Pulumi.<stack>.yaml`). Errors name the file, the line and the column
 * (`Pulumi.dev.yaml:3:5: ...`), so a broken file is found at once.
 * @throws StackFileError when the text is not YAML or not a map with a `config:` map.
 */
export function parseStackFile(text: string, file: string): { config: Record<string, unknown> } {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  const [first] = doc.errors;
  if (first) {
    const at = lineCounter.linePos(first.pos[0]);
    throw new StackFileError(`${file}:${at.line}:${at.col}: not valid YAML: ${first.message.split("\n")[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { config: {} };
  if (typeof value !== "object" || Array.isArray(value)) throw new StackFileError(`${file}:1:1: a stack file is a map with a config: key`);
  const config = (value as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new StackFileError(`${file}: config: must be a map of key: value`);
  return { config: config as Record<string, unknown> };
}

/** The parts of Pulumi.yaml this project reads. */
export interface ProjectFile {
  name: string;
  main?: string;
  config?: Record<string, { default?: unknown; value?: unknown }>;
}

/** Reads `<root>/Pulumi.yaml`. Throws the file system's error when it is missing. */
export function readProject(root = ROOT): ProjectFile {
  return YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** A stack's configuration as the Pulumi CLI hands it to the program. */
export interface StackConfig {
  /** The project's name (Pulumi.yaml `name`). */
  readonly project: string;
  /** The program's entry file, absolute. */
  readonly entry: string;
  /** `<project>:<key>` (or `<namespace>:<key>`) to its value, every value a string as the engine gives it. */
  readonly config: Record<string, string>;
  /** Keys whose values are encrypted (`secure:`) and so cannot be read without the stack's secrets provider. */
  readonly encrypted: string[];
}

/**
 * The stack's configuration as the Pulumi CLI would hand it to the program: the stack file's
 * values over the project's defaults, all as strings. Encrypted values cannot be read offline.
 * @throws Error naming the known stacks when `Pulumi.<stack>.yaml` is not in `stackDir`;
 *   StackFileError when it is broken.
 */
export function stackConfig(stack: string, root = ROOT, stackDir = root): StackConfig {
  const project = readProject(root);
  const file = path.join(stackDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(stackDir)
      .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
      .map((f) => f.split(".")[1]);
    throw new Error(`No stack file ${path.basename(file)}. Known stacks: ${known.join(", ") || "none"}.`);
  }
  const doc = parseStackFile(fs.readFileSync(file, "utf8"), path.relative(process.cwd(), file) || file);
  const config: Record<string, string> = {};
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    const value = spec.value ?? spec.default;
    if (value !== undefined) config[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const encrypted: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      encrypted.push(key);
      continue;
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { project: project.name, entry: path.join(root, project.main ?? "index.ts"), config, encrypted };
}

// Before the schema's keys: every AWS resource goes through the program's explicit provider.
const PROVIDER_GUARD = `  # Every AWS resource goes through the program's explicit provider (region and tags); a
  # resource that forgot it fails instead of landing in whatever region the shell points at.
  pulumi:disable-default-providers:
    value:
      - aws
`;

function scalar(value: string | number): string {
  return YAML.stringify(value, { lineWidth: 0 }).trimEnd();
}

/**
 * Pulumi.yaml's `config:` block, generated from SCHEMA (infra/config.ts). A secret key is not
 * declared: the engine refuses a `secret: true` key with a plain default ("must be encrypted as
 * it's secret") and requires every declared key without one, so it is named in a comment instead.
 */
export function renderConfigBlock(): string {
  const lines = ["config:", PROVIDER_GUARD.trimEnd()];
  for (const [key, spec] of Object.entries(SCHEMA) as [string, KeySpec][]) {
    if (spec.secret) {
      lines.push(
        `  # ${key}: ${spec.description}`,
        "  # Deliberately not declared: the engine refuses a secret key with a plain default, and a",
        `  # declared key without a default is required. Set it with \`pulumi config set --secret ${key} <value>\`.`,
      );
      continue;
    }
    lines.push(`  ${key}:`, `    type: ${spec.type}`, `    description: ${scalar(spec.description)}`);
    if (spec.default !== undefined) lines.push(`    default: ${scalar(spec.default)}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * `text` (Pulumi.yaml) with its `config:` block, which must be the file's last top-level key,
 * replaced by renderConfigBlock().
 * @throws Error when the file has no top-level `config:` key.
 */
export function withGeneratedConfig(text: string): string {
  const at = text.search(/^config:/m);
  if (at === -1) throw new Error("Pulumi.yaml has no top-level config: key to generate");
  return text.slice(0, at) + renderConfigBlock();
}
