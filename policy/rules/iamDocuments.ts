// Reading IAM policy documents the way the engine hands them to a rule: a JSON string (what
// pulumi.jsonStringify gives) or an object (aws.iam.PolicyDocument, which the provider encodes).
// A string built from any unknown output is unknown as a whole during preview; an object keeps
// its known parts (Effect, Action, Principal) readable while an ARN inside is still unknown.

import type { ResourceValidationArgs } from "@pulumi/policy";
import { asList, knownOrUndefined, parseJsonish } from "./support";

/** One statement as IAM's grammar allows it; every field may be a single value or a list. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly NotPrincipal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, unknown>;
}

/** Which kind of document a property holds: it decides which rules apply. */
export type DocumentKind = "identity" | "trust" | "resource";

export interface Document {
  readonly kind: DocumentKind;
  /** Where it sits, for messages: `policy`, `inlinePolicies[0].policy`, `assumeRolePolicy`. */
  readonly where: string;
  readonly statements: Statement[];
}

/** A document's statements; throws (through the engine's proxy) while the document is unknown. */
export function statementsOf(doc: unknown, where: string): Statement[] {
  const parsed = parseJsonish<{ Statement?: Statement | Statement[] }>(doc);
  if (doc !== undefined && (parsed === undefined || typeof parsed !== "object")) throw new Error(`${where} is not a JSON policy document`);
  return asList(parsed?.Statement);
}

/** The properties of each lab type that hold a policy document, and what kind of document. */
export const DOCUMENT_PROPS: Readonly<Record<string, readonly { prop: string; kind: DocumentKind }[]>> = {
  "aws:iam/role:Role": [{ prop: "assumeRolePolicy", kind: "trust" }],
  "aws:iam/rolePolicy:RolePolicy": [{ prop: "policy", kind: "identity" }],
  "aws:iam/userPolicy:UserPolicy": [{ prop: "policy", kind: "identity" }],
  "aws:iam/policy:Policy": [{ prop: "policy", kind: "identity" }],
  "aws:s3/bucketPolicy:BucketPolicy": [{ prop: "policy", kind: "resource" }],
  "aws:s3/bucket:Bucket": [{ prop: "policy", kind: "resource" }],
  "aws:sns/topic:Topic": [{ prop: "policy", kind: "resource" }],
  "aws:sqs/queue:Queue": [{ prop: "policy", kind: "resource" }],
};

/** Every IAM policy document a resource carries, with its kind. */
export function documentsOf(args: Pick<ResourceValidationArgs, "type" | "props">): Document[] {
  const out: Document[] = [];
  for (const { prop, kind } of DOCUMENT_PROPS[args.type] ?? []) {
    const value: unknown = args.props[prop];
    if (value === undefined || value === null || value === "") continue;
    out.push({ kind, where: prop, statements: statementsOf(value, prop) });
  }
  if (args.type === "aws:iam/role:Role") {
    asList(args.props.inlinePolicies as { policy?: unknown }[] | undefined).forEach((p, i) => {
      const where = `inlinePolicies[${i}].policy`;
      if (p.policy !== undefined && p.policy !== "") out.push({ kind: "identity", where, statements: statementsOf(p.policy, where) });
    });
  }
  return out;
}

/** Values of a statement field as a list of strings. */
export function values(v: string | string[] | undefined): string[] {
  return asList(v);
}

/**
 * A statement field's values, split into those known now and a count of those still unknown
 * (during a preview, an ARN of a resource not created yet).
 */
export function knownValues(read: () => string | string[] | undefined): { known: string[]; unknown: number } {
  const whole = knownOrUndefined(read);
  if (whole === undefined) {
    const absent = knownOrUndefined(() => read() === undefined);
    return absent ? { known: [], unknown: 0 } : { known: [], unknown: 1 };
  }
  const known: string[] = [];
  let unknown = 0;
  const list = Array.isArray(whole) ? whole : [whole];
  for (let i = 0; i < list.length; i++) {
    const v = knownOrUndefined(() => list[i]);
    if (v === undefined) unknown++;
    else known.push(v);
  }
  return { known, unknown };
}

/** Each statement of a resource's documents (of `kinds`, or all), with where it sits, for messages. */
export function placedStatements(
  args: Pick<ResourceValidationArgs, "type" | "props">,
  kinds?: readonly DocumentKind[],
): { doc: Document; s: Statement; at: string }[] {
  return documentsOf(args)
    .filter((d) => !kinds || kinds.includes(d.kind))
    .flatMap((doc) => doc.statements.map((s, i) => ({ doc, s, at: `${doc.where}, statement ${s.Sid ?? i}` })));
}
