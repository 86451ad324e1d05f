// Where an Allow applies: this team's resources. Resource "*" is allowed only for the few calls
// that support no resource-level permission (Service Authorization Reference), each listed with
// who needs it; an ARN with a wildcard region or account (`arn:aws:ec2:*:*:*`) reaches every
// region and account and is refused outright. Wildcards after the resource type (a log group's
// streams, a bucket's objects) stay: they are how IAM names "everything in this one resource".
// An ARN that is unknown during a preview (built from a resource not created yet) is left to
// iam-unknowns-from-this-stack; at `up`, this rule sees it known before the policy is created.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { knownValues, placedStatements, values } from "./iamDocuments";
import { anyResourceRule } from "./support";

/** Calls that only accept Resource "*" (Service Authorization Reference), and who needs them. */
export const RESOURCE_STAR_ALLOWED: Readonly<Record<string, string>> = {
  "kinesis:ListStreams": "the KDG page lists streams for its drop-down",
  "firehose:ListDeliveryStreams": "the KDG page lists delivery streams for its drop-down",
  "ec2:DescribeRegions": "the KDG page lists regions for its drop-down",
  "cloudwatch:GetMetricData": "the viewer's dashboard graphs: metric values, never a resource (components/teamView.ts)",
};

/** Why an ARN reaches beyond one region and account, or undefined when it does not. */
export function arnTooWide(arn: string): string | undefined {
  if (arn === "*") return "is every resource";
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return "is not an ARN";
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  if ([partition, service, region, account].some((p) => p.includes("*") || p.includes("?")))
    return "has a wildcard partition, service, region or account";
  return undefined;
}

export const iamResourceScopePolicy: ResourceValidationPolicy = {
  name: "iam-resource-scope",
  description:
    'Allow statements name this team\'s resources: no wildcard region or account, and Resource "*" only for calls that support nothing narrower.',
  enforcementLevel: "mandatory",
  validateResource: anyResourceRule((args, report) => {
    for (const { s, at } of placedStatements(args, ["identity"])) {
      if (s.Effect !== "Allow") continue;
      const actions = values(s.Action);
      // An ARN still unknown at preview is judged by iam-unknowns-from-this-stack (by URN).
      for (const resource of knownValues(() => s.Resource).known) {
        const wide = arnTooWide(resource);
        if (wide === undefined) continue;
        const unlisted = resource === "*" ? actions.filter((a) => !(a in RESOURCE_STAR_ALLOWED)) : actions;
        if (unlisted.length > 0) report(`${at}: Resource ${resource} ${wide}, for ${unlisted.join(", ")}; scope it to this team's ARNs.`);
      }
    }
  }),
};
