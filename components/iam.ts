// Least-privilege roles as typed policy documents. Statements are data (aws.iam.PolicyStatement),
// so tests parse the JSON a role really gets and assert it action by action.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement (Effect, Action, Resource, Principal, Condition), as @pulumi/aws types it. */
export type Statement = aws.iam.PolicyStatement;

/**
 * What a polling Kinesis reader calls on a stream: the Flink job's consumer and Lambda's event
 * source mapping alike (no enhanced fan-out). Kinesis's actions:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesis.html
 */
export const KINESIS_POLLING_READ = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:ListShards",
  "kinesis:GetShardIterator",
  "kinesis:GetRecords",
] as const;

/**
 * A policy document as an object, not a JSON string. The engine sends an object's fields one by
 * one, so at a first preview only the ARNs not known yet are unknown and the policy pack can still
 * read every Effect and Action; a string built around one unknown ARN would be unknown as a whole,
 * and the pack could not judge any role before it exists. The AWS provider turns the object into
 * the JSON AWS wants (`policy: Input<string | PolicyDocument>` in @pulumi/aws). Its fields may be
 * Outputs, which PolicyDocument's type does not say, hence the cast.
 */
export function policyDocument(statements: pulumi.Input<Statement>[]): aws.iam.PolicyDocument {
  return { Version: "2012-10-17", Statement: statements } as unknown as aws.iam.PolicyDocument;
}

export interface ScopedRoleArgs {
  /** Physical role name: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** What the role is for, shown in the IAM console: up to 1,000 characters. */
  readonly description: string;
  /** The trust policy: who may assume the role. */
  readonly trust: pulumi.Input<Statement>;
  /** What the role may do; every statement names this team's resources. */
  readonly statements: pulumi.Input<Statement>[];
}

/** URNs a role and its policy were known by before a rename (Pulumi aliases), so they are kept. */
export interface ScopedRoleAliases {
  /** Former URNs of the role. */
  readonly role?: pulumi.Input<string>[];
  /** Former URNs of its inline policy. */
  readonly policy?: pulumi.Input<string>[];
}

/**
 * A role and its one inline policy, created as children of `parent` and named after it
 * (`<name>` and `<name>-policy`). Inline, not managed: the policy lives and dies with the role.
 */
export function scopedRole(
  name: string,
  args: ScopedRoleArgs,
  parent: pulumi.Resource,
  aliases: ScopedRoleAliases = {},
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
  const role = new aws.iam.Role(
    name,
    {
      name: args.roleName,
      description: args.description,
      assumeRolePolicy: policyDocument([args.trust]),
    },
    { parent, aliases: aliases.role },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { name: "least-privilege", role: role.id, policy: policyDocument(args.statements) },
    { parent, aliases: aliases.policy },
  );
  return { role, policy };
}

/**
 * Trust for an AWS service, pinned to this account so no other account's resources can use it
 * (the confused-deputy guard). Firehose documents `sts:ExternalId` = account ID for this; most
 * other services set `aws:SourceAccount`.
 */
export function serviceTrust(
  service: string,
  accountId: pulumi.Input<string>,
  conditionKey: "aws:SourceAccount" | "sts:ExternalId" = "aws:SourceAccount",
): pulumi.Output<Statement> {
  return pulumi.output(accountId).apply((account): Statement => ({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { [conditionKey]: account } },
  }));
}
