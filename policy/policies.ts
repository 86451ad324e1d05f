// The pack's rules, importable without starting the policy server (index.ts does that). Order
// follows the questions an instructor asks: what and where, how much, how safe, until when.

import type { Policies } from "@pulumi/policy";
import { cognitoIdentityPoolsPolicy } from "./rules/cognitoIdentityPools";
import { costBudgetPolicy } from "./rules/costBudget";
import { eventSourceMappingsPolicy } from "./rules/eventSourceMappings";
import { expiresAtPolicy } from "./rules/expiresAt";
import { firehosePolicy } from "./rules/firehose";
import { flinkApplicationsPolicy } from "./rules/flinkApplications";
import { flinkStopSchedulePolicy } from "./rules/flinkStopSchedule";
import { iamAllowedActionsPolicy } from "./rules/iamAllowedActions";
import { iamNoManagedPoliciesPolicy } from "./rules/iamNoManagedPolicies";
import { iamResourceScopePolicy } from "./rules/iamResourceScope";
import { iamTrustPoliciesPolicy } from "./rules/iamTrustPolicies";
import { iamUnknownsFromThisStackPolicy } from "./rules/iamUnknownsFromThisStack";
import { iamUserAccessEndsPolicy } from "./rules/iamUserAccessEnds";
import { kinesisStreamsPolicy } from "./rules/kinesisStreams";
import { labTypesPolicy } from "./rules/labTypes";
import { lambdaFunctionsPolicy } from "./rules/lambdaFunctions";
import { logRetentionPolicy } from "./rules/logRetention";
import { regionPolicy } from "./rules/region";
import { requiredTagsPolicy } from "./rules/requiredTags";
import { s3BucketInlinePolicy } from "./rules/s3BucketInline";
import { s3BucketsPolicy } from "./rules/s3Buckets";
import { schedulerOwnTargetsPolicy } from "./rules/schedulerOwnTargets";
import { schedulerTargetsPolicy } from "./rules/schedulerTargets";
import { snsSubscriptionsPolicy } from "./rules/snsSubscriptions";

export const POLICIES: Policies = [
  labTypesPolicy,
  regionPolicy,
  costBudgetPolicy,
  flinkApplicationsPolicy,
  kinesisStreamsPolicy,
  lambdaFunctionsPolicy,
  eventSourceMappingsPolicy,
  firehosePolicy,
  s3BucketInlinePolicy,
  s3BucketsPolicy,
  logRetentionPolicy,
  snsSubscriptionsPolicy,
  iamAllowedActionsPolicy,
  iamResourceScopePolicy,
  iamTrustPoliciesPolicy,
  iamNoManagedPoliciesPolicy,
  iamUnknownsFromThisStackPolicy,
  iamUserAccessEndsPolicy,
  cognitoIdentityPoolsPolicy,
  requiredTagsPolicy,
  expiresAtPolicy,
  schedulerTargetsPolicy,
  schedulerOwnTargetsPolicy,
  flinkStopSchedulePolicy,
];
