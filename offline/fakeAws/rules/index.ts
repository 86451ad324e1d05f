// What AWS checks when each of our resource types is created: names, allowed values, property
// combinations, and references to resources that must already exist. The fake account runs these
// on every create and update, so a resource AWS would reject fails the test (or the plan) that made
// it. One file per service; every rule cites the AWS page it comes from. A type without a rule here
// cannot be created at all.
//
// The rules stand for AWS: they follow AWS's documented formats and import nothing from infra/,
// components/ or policy/ (dependency-cruiser checks it), so a mistake in our own validators cannot
// pass its own check.

import { CLOUDWATCH_RULES } from "./cloudwatch";
import { COGNITO_RULES } from "./cognito";
import type { Rule } from "./common";
import { FIREHOSE_RULES } from "./firehose";
import { FLINK_RULES } from "./flink";
import { IAM_RULES } from "./iam";
import { KINESIS_RULES } from "./kinesis";
import { LAMBDA_RULES } from "./lambda";
import { LOGS_RULES } from "./logs";
import { PROVIDER_RULES } from "./providers";
import { S3_RULES } from "./s3";
import { SCHEDULER_RULES } from "./scheduler";
import { SNS_RULES } from "./sns";
import { SQS_RULES } from "./sqs";

export { dashboardBodyProblems } from "./cloudwatch";
export { tagProblems, type CloudView, type NameRule, type Rule, type RuleContext } from "./common";
export { NAMES } from "./names";

/**
 * Every service's rules in one table, by Pulumi type token.
 * @throws Error at load when two services claim the same type (a rule would silently shadow another).
 */
function merge(...parts: Record<string, Rule>[]): Record<string, Rule> {
  const all: Record<string, Rule> = {};
  for (const part of parts) {
    for (const [type, rule] of Object.entries(part)) {
      if (type in all) throw new Error(`two rule files define ${type}: keep one rule per type`);
      all[type] = rule;
    }
  }
  return all;
}

export const RULES: Record<string, Rule> = merge(
  PROVIDER_RULES,
  KINESIS_RULES,
  FIREHOSE_RULES,
  S3_RULES,
  IAM_RULES,
  FLINK_RULES,
  LAMBDA_RULES,
  SQS_RULES,
  SCHEDULER_RULES,
  LOGS_RULES,
  COGNITO_RULES,
  SNS_RULES,
  CLOUDWATCH_RULES,
);
