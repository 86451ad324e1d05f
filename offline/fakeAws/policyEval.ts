// Whether an identity policy allows one request, the way IAM decides it for a single policy
// ("Policy evaluation logic", IAM User Guide): an explicit Deny wins, then any Allow whose Action,
// Resource and Condition all match; otherwise the request is implicitly denied. Wildcards `*` and
// `?` in actions (case-insensitive) and resources (case-sensitive). Conditions: the date operators
// on aws:CurrentTime are evaluated; any other condition is taken as met, so a test built on this
// errs towards "allowed" and cannot pass a policy that is wider than it reads.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import { asList, type PolicyJson, type PolicyStatementJson } from "./policyGrammar";

/** One request: the action (`cloudwatch:GetDashboard`), the resource ARN, and when. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly at: Date;
}

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    ignoreCase ? "i" : "",
  );
  return re.test(value);
}

const DATE_OPS: Record<string, (now: number, limit: number) => boolean> = {
  DateLessThan: (n, l) => n < l,
  DateLessThanEquals: (n, l) => n <= l,
  DateGreaterThan: (n, l) => n > l,
  DateGreaterThanEquals: (n, l) => n >= l,
  DateEquals: (n, l) => n === l,
  DateNotEquals: (n, l) => n !== l,
};

function conditionMet(condition: PolicyStatementJson["Condition"], at: Date): boolean {
  for (const [op, block] of Object.entries(condition ?? {})) {
    const date = DATE_OPS[op];
    const value = block["aws:CurrentTime"];
    if (!date || value === undefined) continue; // not modelled: taken as met (see above)
    if (!asList(value as string | string[]).some((v) => date(at.getTime(), Date.parse(String(v))))) return false;
  }
  return true;
}

function matches(s: PolicyStatementJson, r: Request): boolean {
  const action =
    s.Action !== undefined
      ? asList(s.Action).some((a) => glob(a, r.action, true))
      : !asList(s.NotAction).some((a) => glob(a, r.action, true));
  const resource =
    s.Resource !== undefined
      ? asList(s.Resource).some((p) => glob(p, r.resource, false))
      : !asList(s.NotResource).some((p) => glob(p, r.resource, false));
  return action && resource && conditionMet(s.Condition, r.at);
}

/** Whether `policy` (an object or its JSON text) allows `request`. */
export function allows(policy: PolicyJson | string, request: Request): boolean {
  const doc = typeof policy === "string" ? (JSON.parse(policy) as PolicyJson) : policy;
  const statements = asList(doc.Statement).filter((s) => matches(s, request));
  if (statements.some((s) => s.Effect === "Deny")) return false;
  return statements.some((s) => s.Effect === "Allow");
}
