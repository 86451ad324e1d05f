// What every service's rules share: the view of the account a rule may ask, the rule's type, and
// the small checks (allowed values, ranges, references, tags) written once. Like the rules, these
// follow AWS's documented formats and share nothing with the code they check (see index.ts).

export interface CloudView {
  readonly accountId: string;
  /**
   * The state of an existing resource of that type with that id, ARN or name; with `region`, only
   * one in that region (AWS finds a regional resource by name only within its region).
   */
  find(type: string, key: string, region?: string): Record<string, unknown> | undefined;
}

export interface RuleContext {
  readonly region: string;
  readonly cloud: CloudView;
}

// Inputs arrive as JSON-like data; rules read them loosely and check everything they read.
export type Inputs = Record<string, any>;
export type Rule = (inputs: Inputs, ctx: RuleContext) => string[];

export type NameRule = (name: string) => string[];

/** A name rule: the length AWS allows and the characters it takes, plus any `extra` check. */
export function nameRule(label: string, min: number, max: number, pattern: RegExp, extra?: NameRule): NameRule {
  return (name) => {
    const p: string[] = [];
    if (typeof name !== "string") return [`${label} name is missing`];
    if (name.length < min || name.length > max) p.push(`${label} name "${name}" is ${name.length} characters; AWS allows ${min} to ${max}`);
    if (!pattern.test(name)) p.push(`${label} name "${name}" has characters AWS does not allow (${pattern.source})`);
    return extra ? [...p, ...extra(name)] : p;
  };
}

/** `value` is one of `allowed`; absent is fine unless `required`. */
export function oneOf(label: string, value: unknown, allowed: readonly unknown[], required = false): string[] {
  if (value === undefined || value === null) return required ? [`${label} is required (one of ${allowed.join(", ")})`] : [];
  return allowed.includes(value) ? [] : [`${label} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`];
}

/** `value`, when present, is a whole number in min..max. */
export function within(label: string, value: unknown, min: number, max: number): string[] {
  if (value === undefined || value === null) return [];
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${label} ${JSON.stringify(value)} is outside ${min}..${max}`];
}

/** `key` names a resource of `type` that already exists in this account (by id, ARN or name). */
export function exists(ctx: RuleContext, type: string, key: unknown, label: string): string[] {
  if (typeof key !== "string" || key === "") return [`${label} is missing`];
  return ctx.cloud.find(type, key, ctx.region || undefined) ? [] : [`${label} ${key} does not exist in this account and region`];
}

/** AWS tag rules: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html */
export function tagProblems(tags: unknown): string[] {
  if (tags === undefined || tags === null) return [];
  const p: string[] = [];
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50) p.push(`${entries.length} tags; AWS allows 50 per resource`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128) p.push(`tag key "${k}" must be 1-128 characters`);
    if (k.toLowerCase().startsWith("aws:")) p.push(`tag key "${k}" uses the reserved aws: prefix`);
    if (typeof v !== "string" || v.length > 256) p.push(`tag "${k}" value must be a string of at most 256 characters`);
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(k) || (typeof v === "string" && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(v))) {
      p.push(`tag "${k}" has characters AWS does not allow in tags`);
    }
  }
  return p;
}

/** A JSON string parsed (undefined when it is not JSON), or the value itself when it is not a string. */
export function parseMaybeJson(v: unknown): Inputs | undefined {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as Inputs;
    } catch {
      return undefined;
    }
  }
  return v as Inputs | undefined;
}
