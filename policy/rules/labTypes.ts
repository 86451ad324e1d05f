// The resource types a team stack may contain, and which of them carry tags. Anything else (a
// NAT gateway, an instance, a database) has no place in the lab and no price in our model.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isAwsType } from "./support";

export const LAB_TYPES: Readonly<Record<string, { taggable: boolean }>> = {
  "aws:kinesis/stream:Stream": { taggable: true },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": { taggable: true },
  "aws:s3/bucket:Bucket": { taggable: true },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { taggable: false },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { taggable: false },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { taggable: false },
  "aws:s3/bucketPolicy:BucketPolicy": { taggable: false },
  "aws:s3/bucketObjectv2:BucketObjectv2": { taggable: true },
  "aws:iam/role:Role": { taggable: true },
  "aws:iam/rolePolicy:RolePolicy": { taggable: false },
  "aws:cloudwatch/logGroup:LogGroup": { taggable: true },
  "aws:cloudwatch/logStream:LogStream": { taggable: false },
  "aws:cognito/userPool:UserPool": { taggable: true },
  "aws:cognito/userPoolClient:UserPoolClient": { taggable: false },
  "aws:cognito/user:User": { taggable: false },
  "aws:cognito/identityPool:IdentityPool": { taggable: true },
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": { taggable: false },
  "aws:sns/topic:Topic": { taggable: true },
  "aws:sns/topicSubscription:TopicSubscription": { taggable: false },
  "aws:kinesisanalyticsv2/application:Application": { taggable: true },
  "aws:lambda/function:Function": { taggable: true },
  "aws:lambda/eventSourceMapping:EventSourceMapping": { taggable: true },
  "aws:sqs/queue:Queue": { taggable: true },
  "aws:scheduler/schedule:Schedule": { taggable: false },
};

export const labTypesPolicy: ResourceValidationPolicy = {
  name: "lab-resource-types-only",
  description: "A team stack contains only the AWS resource types the lab needs.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (!isAwsType(args.type) || args.type in LAB_TYPES) return;
    report(`${args.type} is not part of the lab; the allowed types are listed in policy/rules/labTypes.ts.`);
  },
};
