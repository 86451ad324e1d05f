// Deny by default: a team stack holds exactly the lab's resource types, in every package. Anything
// else (an instance, a NAT gateway, an `aws-native` or `command` resource, a dynamic provider, a
// provider for another cloud) has no place in the lab and no price in the cost model, so it is
// refused whatever package it comes from.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { anyResourceRule } from "./support";

/** Where a type comes from and whether it carries AWS tags (required-tags checks those). */
export interface LabType {
  readonly taggable: boolean;
  /** Which part of the lab creates it (components/*.ts). */
  readonly why: string;
}

/** The lab's resource types: what `npm run plan -- --stack dev` lists, and nothing more. */
export const LAB_TYPES: Readonly<Record<string, LabType>> = {
  "aws:kinesis/stream:Stream": { taggable: true, why: "ingest and anomalies streams (components/ingest.ts, analytics.ts)" },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": { taggable: true, why: "the raw archive (components/archive.ts)" },
  "aws:s3/bucket:Bucket": { taggable: true, why: "raw, processed and code buckets (components/secureBucket.ts)" },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { taggable: false, why: "every bucket's public access block" },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    taggable: false,
    why: "every bucket's default encryption",
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { taggable: false, why: "every bucket's expiry" },
  "aws:s3/bucketPolicy:BucketPolicy": { taggable: false, why: "every bucket's TLS-only policy" },
  "aws:s3/bucketObjectv2:BucketObjectv2": { taggable: true, why: "the Flink job's JAR (components/analytics.ts)" },
  "aws:iam/role:Role": { taggable: true, why: "one role per service of the lab (components/iam.ts)" },
  "aws:iam/rolePolicy:RolePolicy": { taggable: false, why: "each role's one inline policy" },
  "aws:iam/user:User": { taggable: true, why: "the team's read-only console viewer, no access keys (components/teamView.ts)" },
  "aws:iam/userLoginProfile:UserLoginProfile": { taggable: false, why: "the viewer's console password" },
  "aws:iam/userPolicy:UserPolicy": {
    taggable: false,
    why: "the viewer's one inline policy, ending at the event's end (iam-user-access-ends)",
  },
  "aws:cloudwatch/logGroup:LogGroup": { taggable: true, why: "Firehose, Flink and Lambda logs" },
  "aws:cloudwatch/logStream:LogStream": { taggable: false, why: "the streams Firehose and Flink log to" },
  "aws:cloudwatch/dashboard:Dashboard": { taggable: false, why: "the team's dashboard" },
  "aws:cognito/userPool:UserPool": { taggable: true, why: "the KDG sign-in (components/kdgAccess.ts)" },
  "aws:cognito/userPoolClient:UserPoolClient": { taggable: false, why: "the KDG page's client" },
  "aws:cognito/user:User": { taggable: false, why: "the team's KDG user" },
  "aws:cognito/identityPool:IdentityPool": { taggable: true, why: "the KDG page's AWS credentials" },
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": { taggable: false, why: "the KDG producer role" },
  "aws:sns/topic:Topic": { taggable: true, why: "alerts (components/notifications.ts)" },
  "aws:sns/topicSubscription:TopicSubscription": { taggable: false, why: "the team's e-mail and SMS" },
  "aws:kinesisanalyticsv2/application:Application": { taggable: true, why: "the lab's Flink application" },
  "aws:lambda/function:Function": { taggable: true, why: "the alert handler (components/alert.ts)" },
  "aws:lambda/eventSourceMapping:EventSourceMapping": { taggable: true, why: "anomalies stream to the alert handler" },
  "aws:sqs/queue:Queue": { taggable: true, why: "the alert handler's failed batches" },
  "aws:scheduler/schedule:Schedule": {
    taggable: false,
    why: "stop Flink and disable the KDG user at the event's end (components/eventEnd.ts)",
  },
  "random:index/randomPassword:RandomPassword": { taggable: false, why: "the KDG password when none is configured" },
  "pulumi:providers:aws": { taggable: false, why: "the program's one explicit AWS provider (infra/teamStack.ts)" },
  "pulumi:providers:random": { taggable: false, why: "the provider of the generated password" },
  "pulumi:pulumi:Stack": { taggable: false, why: "the stack itself" },
};

/**
 * The project's own component types (`clickstream:index:<Type>`, and the former
 * `clickstream:<phase>:<Type>` tokens their aliases name) create nothing by themselves; their
 * children are checked one by one. A custom resource in that package would need a
 * `pulumi:providers:clickstream` provider, which is not on the list.
 */
export const COMPONENT_PACKAGE = "clickstream";

export function isLabType(type: string): boolean {
  return type in LAB_TYPES || type.startsWith(`${COMPONENT_PACKAGE}:`);
}

export const labTypesPolicy: ResourceValidationPolicy = {
  name: "lab-resource-types-only",
  description: "A team stack contains only the lab's resource types, in every package (providers included); everything else is refused.",
  enforcementLevel: "mandatory",
  validateResource: anyResourceRule((args, report) => {
    if (isLabType(args.type)) return;
    const kind = args.type.startsWith("pulumi:providers:") ? "provider" : "resource type";
    report(
      `${args.type} is not part of the lab: this ${kind} is refused. The allowed types are listed, each with its reason, in policy/rules/labTypes.ts.`,
    );
  }),
};
