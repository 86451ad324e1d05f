// Least privilege, checked: no Allow with a wildcard action anywhere (mandatory), and every
// Allow on Resource "*" limited to calls that support no resource-level permission (advisory,
// each listed with why it is needed).

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { parseJsonish } from "./support";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

/** Calls that only accept Resource "*" (Service Authorization Reference), and who needs them. */
export const RESOURCE_STAR_ALLOWED: Readonly<Record<string, string>> = {
  "kinesis:ListStreams": "the KDG page lists streams for its drop-down",
  "firehose:ListDeliveryStreams": "the KDG page lists delivery streams for its drop-down",
  "ec2:DescribeRegions": "the KDG page lists regions for its drop-down",
  "cloudwatch:PutMetricData": "Managed Flink publishes the application's metrics",
  "logs:DescribeLogGroups": "Managed Flink checks its log group exists",
};

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Every IAM policy document a resource carries. */
export function policyDocuments(args: Pick<ResourceValidationArgs, "type" | "props">): Statement[] {
  const docs: unknown[] = [];
  if (args.type === "aws:iam/rolePolicy:RolePolicy" || args.type === "aws:iam/policy:Policy") docs.push(args.props.policy);
  if (args.type === "aws:iam/role:Role") for (const p of list(args.props.inlinePolicies as { policy?: string }[] | undefined)) docs.push(p.policy);
  return docs.flatMap((d) => list(parseJsonish<{ Statement?: Statement | Statement[] }>(d)?.Statement));
}

export const iamNoWildcardActionPolicy: ResourceValidationPolicy = {
  name: "iam-no-wildcard-action",
  description: "No IAM policy allows a wildcard action (\"*\" or \"service:*\").",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    for (const s of policyDocuments(args)) {
      if (s.Effect !== "Allow") continue;
      const wild = list(s.Action).filter((a) => a.includes("*"));
      if (wild.length > 0) report(`Allow statement with wildcard action ${wild.join(", ")}; name the actions.`);
    }
  },
};

export const iamResourceStarPolicy: ResourceValidationPolicy = {
  name: "iam-resource-star-listed",
  description: "Allow statements on Resource \"*\" contain only calls that support no resource-level permission.",
  enforcementLevel: "advisory",
  validateResource: (args, report) => {
    for (const s of policyDocuments(args)) {
      if (s.Effect !== "Allow" || !list(s.Resource).includes("*")) continue;
      const unlisted = list(s.Action).filter((a) => !(a in RESOURCE_STAR_ALLOWED));
      if (unlisted.length > 0) report(`Resource "*" for ${unlisted.join(", ")}; scope them to this team's ARNs.`);
    }
  },
};
