// Least privilege, as a list: an Allow may name only the actions the lab's roles need, each with
// the role that needs it and why (derived from components/*.ts). No wildcard action, no NotAction
// (it allows everything not listed), no NotResource (everything but), and resource policies
// (bucket, topic, queue) allow nothing at all: the lab grants through roles only.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { placedStatements, values } from "./iamDocuments";
import { anyResourceRule } from "./support";

const KINESIS_READ = "read a Kinesis stream with the polling consumer (Flink's and Lambda's Kinesis guides)";

/** Every action a lab role may be allowed, with who needs it and why. IAM actions are case-insensitive. */
export const ALLOWED_ACTIONS: Readonly<Record<string, string>> = {
  "kinesis:PutRecord": "KDG producer role, Flink role: send to the team's ingest stream / write anomalies",
  "kinesis:PutRecords": "KDG producer role, Flink role: batched sends (the KDG page and KinesisStreamsSink use PutRecords)",
  "kinesis:DescribeStream": `KDG producer, Firehose, Flink and alert roles: ${KINESIS_READ}, and the KDG page's stream check`,
  "kinesis:DescribeStreamSummary": `KDG producer, Flink and alert roles: ${KINESIS_READ}`,
  "kinesis:ListShards": `Firehose, Flink and alert roles: ${KINESIS_READ}`,
  "kinesis:GetShardIterator": `Firehose, Flink and alert roles: ${KINESIS_READ}`,
  "kinesis:GetRecords": `Firehose, Flink and alert roles: ${KINESIS_READ}`,
  "kinesis:ListStreams": "KDG producer role: the KDG page fills its stream drop-down (no resource-level permission)",
  "firehose:ListDeliveryStreams": "KDG producer role: the KDG page fills its delivery-stream drop-down (no resource-level permission)",
  "ec2:DescribeRegions": "KDG producer role: the KDG page fills its region drop-down (no resource-level permission)",
  "s3:AbortMultipartUpload": "Firehose role: AWS's documented Firehose-to-S3 policy, on the raw bucket",
  "s3:GetBucketLocation": "Firehose role: AWS's documented Firehose-to-S3 policy, on the raw bucket",
  "s3:GetObject":
    "Firehose role (documented S3 policy), Flink role (reads its JAR), alert role (reads its idempotency ledger in the processed bucket)",
  "s3:GetObjectVersion": "Flink role: reads its JAR by version",
  "s3:ListBucket": "Firehose role: AWS's documented Firehose-to-S3 policy, on the raw bucket",
  "s3:ListBucketMultipartUploads": "Firehose role: AWS's documented Firehose-to-S3 policy, on the raw bucket",
  "s3:PutObject": "Firehose role (writes the raw archive), alert role (writes CSVs and its idempotency ledger in the processed bucket)",
  "logs:PutLogEvents": "Firehose, Flink and alert roles: write to their own log group",
  "logs:CreateLogStream": "alert role: Lambda creates a stream per execution environment in its group",
  "logs:DescribeLogStreams": "Flink role: Managed Flink checks its log stream before logging; viewer user: lists its log groups' streams",
  "logs:DescribeLogGroups": "Flink role: Managed Flink checks its log group exists",
  "cloudwatch:GetDashboard": "viewer user: opens the team's own dashboard (components/teamView.ts)",
  "cloudwatch:GetMetricData": "viewer user: the dashboard's graphs (no resource-level permission: AWS's shared dashboards grant it on *)",
  "logs:GetLogEvents": "viewer user: reads the team's Flink and alert log groups",
  "logs:FilterLogEvents": "viewer user: searches the team's Flink and alert log groups",
  "sns:Publish": "alert role: the alert e-mail and SMS",
  "sqs:SendMessage": "alert role: batches that fail every retry go to the team's queue (event source mapping on-failure destination)",
  "kinesisanalytics:StopApplication": "stop-schedule role: Scheduler stops the team's Flink application at endsAt",
  "cognito-idp:AdminDisableUser": "disable-user schedule role: Scheduler disables the team's KDG user at endsAt",
  "sts:AssumeRole": "trust policies only: the lab's services assume their roles (iam-trust-policies checks who)",
  "sts:AssumeRoleWithWebIdentity": "trust policy of the KDG producer role only: Cognito identities assume it",
};

const ALLOWED_LOWER = new Set(Object.keys(ALLOWED_ACTIONS).map((a) => a.toLowerCase()));

/** Whether an action is on the lab's list (exact, case-insensitive: no wildcards). */
export function actionAllowed(action: string): boolean {
  return ALLOWED_LOWER.has(action.toLowerCase());
}

export const iamAllowedActionsPolicy: ResourceValidationPolicy = {
  name: "iam-allowed-actions-only",
  description:
    "IAM documents allow only the listed actions the lab's roles need (policy/rules/iamAllowedActions.ts); no wildcard, NotAction or NotResource; resource policies allow nothing.",
  enforcementLevel: "mandatory",
  validateResource: anyResourceRule((args, report) => {
    for (const { doc, s, at } of placedStatements(args)) {
      if (s.NotAction !== undefined) report(`${at}: NotAction is refused (it applies to every action not listed); name the actions.`);
      if (s.NotResource !== undefined)
        report(`${at}: NotResource is refused (it applies to every resource not listed); name the resources.`);
      if (s.NotPrincipal !== undefined) report(`${at}: NotPrincipal is refused; name the principal.`);
      if (s.Effect !== "Allow") continue;
      if (doc.kind === "resource") {
        report(
          `${at}: a resource policy allows ${values(s.Action).join(", ") || "something"}; the lab grants through roles only (Deny statements are fine).`,
        );
        continue;
      }
      // sts: actions belong in trust policies; in an identity policy they would hop to other roles.
      const refused = values(s.Action).filter((a) => !actionAllowed(a) || (doc.kind === "trust") !== a.toLowerCase().startsWith("sts:"));
      if (refused.length > 0)
        report(
          `${at}: ${refused.join(", ")} ${refused.length === 1 ? "is" : "are"} not on the lab's list of actions; see policy/rules/iamAllowedActions.ts.`,
        );
    }
  }),
};
