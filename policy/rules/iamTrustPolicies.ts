// Who may assume a lab role: only the lab's services (each role's own), and Cognito identities of
// the team's identity pool for the KDG producer role. A `*` principal would let any AWS account
// assume the role; an AWS principal of another account is never needed; a Cognito federation
// without the `aud` condition would accept identities from any identity pool in any account.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { placedStatements, values, type Statement } from "./iamDocuments";
import { anyResourceRule } from "./support";

/** Services that assume the lab's roles, and which component creates each role. */
export const TRUSTED_SERVICES: Readonly<Record<string, string>> = {
  "firehose.amazonaws.com": "the archive's delivery stream (components/archive.ts)",
  "kinesisanalytics.amazonaws.com": "the Flink application (components/analytics.ts)",
  "lambda.amazonaws.com": "the alert handler (components/alert.ts)",
  "scheduler.amazonaws.com": "the end-of-event schedules (components/eventEnd.ts)",
};
export const COGNITO_FEDERATION = "cognito-identity.amazonaws.com";

function principalProblems(s: Statement): string[] {
  const p = s.Principal;
  if (p === undefined) return ["no Principal"];
  if (typeof p === "string") return [`Principal ${p} (anyone)`];
  const out: string[] = [];
  for (const key of Object.keys(p)) {
    const who = values(p[key]);
    if (who.some((w) => w.includes("*"))) out.push(`a "*" ${key} principal`);
    else if (key === "Service") out.push(...who.filter((w) => !(w in TRUSTED_SERVICES)).map((w) => `service ${w}, not one of the lab's`));
    else if (key === "Federated")
      out.push(...who.filter((w) => w !== COGNITO_FEDERATION).map((w) => `federation ${w}, not Cognito identity`));
    else out.push(`a ${key} principal (${who.join(", ")}); the lab's roles are assumed by its services only`);
  }
  return out;
}

export const iamTrustPoliciesPolicy: ResourceValidationPolicy = {
  name: "iam-trust-policies",
  description:
    "Roles trust only the lab's services, or Cognito identities of one identity pool (aud condition); no * or AWS-account principals.",
  enforcementLevel: "mandatory",
  validateResource: anyResourceRule((args, report) => {
    for (const { s, at } of placedStatements(args, ["trust"])) {
      if (s.Effect !== "Allow") continue;
      for (const problem of principalProblems(s)) report(`${at}: ${problem}.`);
      const federated = typeof s.Principal === "object" && s.Principal.Federated !== undefined;
      // The pool's id is unknown until the pool exists: the key is what matters here, and
      // iam-unknowns-from-this-stack checks by URN that the value comes from this stack.
      const equals = (s.Condition?.StringEquals ?? {}) as Record<string, unknown>;
      if (federated && !Object.keys(equals).includes(`${COGNITO_FEDERATION}:aud`)) {
        report(
          `${at}: a Cognito federation without a StringEquals ${COGNITO_FEDERATION}:aud condition trusts every identity pool in every account.`,
        );
      }
    }
  }),
};
