// The run's `--policy-pack-config` file, checked once before any team (issue #26, kind 2): it
// exists, is JSON, names only the pack's policies (or "all"), and each value passes its policy's
// configSchema. Without this check a missing file failed every team one by one ("code: -2") and a
// misspelt policy name surfaced as `invalid enforcement level ""`. The limits it sets are the
// run's limits, which the roster's configuration check then uses instead of the defaults.
//
// The file's format is Pulumi's (docs: "Configuring policy packs"): an object by policy name, each
// value an enforcement level or an object with an optional `enforcementLevel` and the policy's own
// properties; the key "all" sets the level of every policy.

import { existsSync, readFileSync, statSync } from "node:fs";
import { closest, DEFAULT_RUN_LIMITS, type RunLimits } from "../infra/config";

/** A policy as the pack declares it: its name and, when it takes any, its configSchema (JSON Schema). */
export interface PackPolicy {
  readonly name: string;
  readonly configSchema?: { readonly properties?: Readonly<Record<string, object>> };
}

/** The part of JSON Schema the pack's configSchemas use; any other keyword is refused, never ignored. */
export interface JsonSchema {
  readonly type?: "number" | "integer" | "string" | "boolean" | "array" | "object";
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
}

/** Enforcement levels @pulumi/policy accepts (EnforcementLevel). */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

const KNOWN_KEYWORDS = new Set(["type", "minimum", "maximum", "items", "enum", "default", "description"]);

export class PackConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `--policy-pack-config ${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; no team was touched.\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "PackConfigError";
  }
}

/**
 * Reads and checks the file. `policies` is the pack's list (policy/policies.ts POLICIES for our
 * pack); without it (another pack, which we cannot read) only existence and JSON are checked.
 * @returns the run's limits: the defaults, with what the file sets for the rules they come from
 * @throws PackConfigError naming the option, the file and every problem at once
 */
export function readPackConfig(file: string, policies?: readonly PackPolicy[]): RunLimits {
  if (!existsSync(file)) throw new PackConfigError(file, ["no such file"]);
  if (!statSync(file).isFile()) throw new PackConfigError(file, ["is not a file"]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PackConfigError(file, [`is not JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new PackConfigError(file, ['must be a JSON object by policy name, e.g. {"sns-email-or-local-sms": {"smsCountryCodes": []}}']);
  const config = parsed as Record<string, unknown>;
  if (!policies) return DEFAULT_RUN_LIMITS;
  const problems = Object.entries(config).flatMap(([name, value]) => policyProblems(name, value, policies));
  if (problems.length) throw new PackConfigError(file, problems);
  return runLimits(config);
}

function policyProblems(name: string, value: unknown, policies: readonly PackPolicy[]): string[] {
  const names = policies.map((p) => p.name);
  const policy = policies.find((p) => p.name === name);
  if (!policy && name !== "all") {
    const meant = closest(name, names);
    return [`"${name}" is not a policy of the pack${meant ? `; did you mean "${meant}"?` : ""} (policies: ${names.join(", ")}, or "all")`];
  }
  if (typeof value === "string") return levelProblems(name, value);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return [`"${name}": must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object of the policy's settings`];
  const props = policy?.configSchema?.properties ?? {};
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]): string[] => {
    if (key === "enforcementLevel") return typeof v === "string" ? levelProblems(name, v) : levelProblems(name, JSON.stringify(v));
    const schema = props[key];
    if (!schema) {
      const meant = closest(key, Object.keys(props));
      const known = Object.keys(props).length ? `settings: ${Object.keys(props).join(", ")}` : "it takes no settings";
      return [
        `"${name}": "${key}" is not a setting of this policy${meant ? `; did you mean "${meant}"?` : ""} (${known}, enforcementLevel)`,
      ];
    }
    return schemaProblems(v, schema, `"${name}".${key}`);
  });
}

function levelProblems(name: string, level: string): string[] {
  return (ENFORCEMENT_LEVELS as readonly string[]).includes(level)
    ? []
    : [`"${name}": enforcement level ${JSON.stringify(level)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`];
}

/** Problems of `v` against the JSON Schema subset above, each naming `at`. */
export function schemaProblems(v: unknown, schema: JsonSchema, at: string): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN_KEYWORDS.has(k));
  if (unknown.length) return [`${at}: its schema uses ${unknown.join(", ")}, which this check cannot judge; check the pack`];
  const actual = Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
  const typeOk =
    schema.type === undefined ||
    (schema.type === "integer"
      ? Number.isInteger(v)
      : schema.type === "number"
        ? typeof v === "number" && Number.isFinite(v)
        : actual === schema.type);
  if (!typeOk)
    return [
      `${at}: ${JSON.stringify(v)} is not ${schema.type === "integer" ? "an integer" : `a${/^[aeiou]/.test(schema.type) ? "n" : ""} ${schema.type}`}`,
    ];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
    problems.push(`${at}: ${JSON.stringify(v)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  if (typeof v === "number" && schema.minimum !== undefined && v < schema.minimum)
    problems.push(`${at}: ${v} is below the minimum ${schema.minimum}`);
  if (typeof v === "number" && schema.maximum !== undefined && v > schema.maximum)
    problems.push(`${at}: ${v} is above the maximum ${schema.maximum}`);
  if (Array.isArray(v) && schema.items) v.forEach((item, i) => problems.push(...schemaProblems(item, schema.items!, `${at}[${i}]`)));
  return problems;
}

/** The run's limits: each one from the setting of the rule that enforces it (policy/rules/*), else the default. */
function runLimits(config: Record<string, unknown>): RunLimits {
  const setting = <T>(policy: string, key: string, fallback: T): T => {
    const value = config[policy];
    return value !== null && typeof value === "object" && key in value ? ((value as Record<string, unknown>)[key] as T) : fallback;
  };
  const d = DEFAULT_RUN_LIMITS;
  return {
    smsCountryCodes: setting("sns-email-or-local-sms", "smsCountryCodes", d.smsCountryCodes),
    maxEventDays: setting("expires-at-real-date", "maxEventDays", d.maxEventDays),
    maxExpirationDays: setting("s3-private-encrypted-expiring", "maxExpirationDays", d.maxExpirationDays),
    maxRetentionDays: setting("log-retention", "maxRetentionDays", d.maxRetentionDays),
  };
}
