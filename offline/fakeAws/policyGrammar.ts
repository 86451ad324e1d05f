// The parts of IAM's policy grammar that AWS checks when a policy is attached, so that a
// malformed document fails here as it would fail in `pulumi up` (MalformedPolicyDocument).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html

export interface PolicyStatementJson {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyJson {
  Version?: string;
  Statement?: PolicyStatementJson | PolicyStatementJson[];
}

export type PolicyKind = "identity" | "trust" | "resource";

const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
// Condition operators, optionally with IfExists and a set qualifier (reference_policies_elements_condition_operators).
const OPERATOR =
  /^((ForAllValues|ForAnyValue):)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike)(IfExists)?$|^Null$/;

export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function statementsOf(doc: PolicyJson): PolicyStatementJson[] {
  return asList(doc.Statement);
}

/** Parses and checks a policy document; returns the problems AWS would report. */
export function policyProblems(text: unknown, kind: PolicyKind, maxChars: number): string[] {
  if (typeof text !== "string") return ["policy is not a JSON string"];
  let doc: PolicyJson;
  try {
    doc = JSON.parse(text) as PolicyJson;
  } catch {
    return ["policy is not valid JSON (MalformedPolicyDocument)"];
  }
  const problems: string[] = [];
  // IAM counts characters without white space against its size quotas.
  const size = text.replace(/\s/g, "").length;
  if (size > maxChars) problems.push(`policy is ${size} characters, over the ${maxChars} AWS allows`);
  if (doc.Version !== "2012-10-17") problems.push(`policy Version must be "2012-10-17" (got ${JSON.stringify(doc.Version)})`);
  const statements = statementsOf(doc);
  if (statements.length === 0) problems.push("policy has no Statement");
  const sids = new Set<string>();
  statements.forEach((s, i) => {
    const at = `Statement[${i}]`;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") problems.push(`${at}.Effect must be Allow or Deny`);
    if ((s.Action === undefined) === (s.NotAction === undefined)) problems.push(`${at} needs exactly one of Action, NotAction`);
    for (const a of [...asList(s.Action), ...asList(s.NotAction)]) {
      if (typeof a !== "string" || !ACTION.test(a)) problems.push(`${at} has a malformed action ${JSON.stringify(a)}`);
    }
    if (s.Sid !== undefined) {
      // IAM (identity and trust policies) allows only ASCII letters and digits in a Sid.
      if (kind !== "resource" && !/^[A-Za-z0-9]*$/.test(s.Sid)) problems.push(`${at}.Sid must be alphanumeric`);
      if (sids.has(s.Sid)) problems.push(`${at}.Sid ${s.Sid} is not unique`);
      sids.add(s.Sid);
    }
    const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
    const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
    if (kind === "identity" && hasPrincipal) problems.push(`${at}: an identity policy must not name a Principal`);
    if (kind !== "identity" && !hasPrincipal) problems.push(`${at}: a ${kind} policy needs a Principal`);
    if (kind === "trust" && hasResource) problems.push(`${at}: a trust policy must not name a Resource`);
    if (kind !== "trust" && !hasResource) problems.push(`${at} needs a Resource or NotResource`);
    for (const r of [...asList(s.Resource), ...asList(s.NotResource)]) {
      if (typeof r !== "string" || !(r === "*" || /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|\*)?:.+$/.test(r))) {
        problems.push(`${at} has a resource that is neither "*" nor an ARN: ${JSON.stringify(r)}`);
      }
    }
    if (kind === "trust") {
      for (const a of asList(s.Action)) {
        if (!/^sts:(AssumeRole|AssumeRoleWithWebIdentity|AssumeRoleWithSAML|TagSession|SetSourceIdentity|SetContext)$/.test(a)) {
          problems.push(`${at}: a trust policy may only allow sts:AssumeRole* actions, not ${a}`);
        }
      }
    }
    for (const op of Object.keys(s.Condition ?? {})) {
      if (!OPERATOR.test(op)) problems.push(`${at} has an unknown condition operator ${op}`);
    }
  });
  return problems;
}
