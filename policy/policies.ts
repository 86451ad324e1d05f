// The pack's rules, importable without starting the policy server (index.ts does that).
// Order follows the questions an instructor asks: where, how much, how safe.

import type { Policies } from "@pulumi/policy";
import { cognitoIdentityPoolsPolicy } from "./rules/cognitoIdentityPools";
import { costBudgetPolicy } from "./rules/costBudget";
import { firehosePolicy } from "./rules/firehose";
import { flinkApplicationsPolicy } from "./rules/flinkApplications";
import { flinkStopSchedulePolicy } from "./rules/flinkStopSchedule";
import { iamNoWildcardActionPolicy, iamResourceStarPolicy } from "./rules/iamPolicies";
import { kinesisStreamsPolicy } from "./rules/kinesisStreams";
import { labTypesPolicy } from "./rules/labTypes";
import { lambdaFunctionsPolicy } from "./rules/lambdaFunctions";
import { logRetentionPolicy } from "./rules/logRetention";
import { regionPolicy } from "./rules/region";
import { requiredTagsPolicy } from "./rules/requiredTags";
import { s3BucketsPolicy } from "./rules/s3Buckets";

export const POLICIES: Policies = [
  regionPolicy,
  labTypesPolicy,
  flinkApplicationsPolicy,
  flinkStopSchedulePolicy,
  kinesisStreamsPolicy,
  lambdaFunctionsPolicy,
  firehosePolicy,
  s3BucketsPolicy,
  logRetentionPolicy,
  costBudgetPolicy,
  requiredTagsPolicy,
  cognitoIdentityPoolsPolicy,
  iamNoWildcardActionPolicy,
  iamResourceStarPolicy,
];
