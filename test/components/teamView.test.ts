// The attendee's read-only console view (components/teamView.ts): what the viewer's one policy
// allows, judged request by request with IAM's evaluation order (offline/fakeAws/policyEval.ts):
// its own dashboard and logs until endsAt, nothing of another team's, nothing written, nothing
// after the event. The same policy is read from the real engine's state in
// test/engine/teamView.integration.test.ts.

import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { consoleSignInUrl, teamViewStatements, untilCondition } from "../../components/teamView";
import { teamNames, type TeamNames } from "../../infra/naming";
import { valueOf } from "../../offline/fakeAws/account";
import { allows } from "../../offline/fakeAws/policyEval";
import { runTeam, type TeamRun } from "../support";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const ENDS_AT = new Date("2026-11-28T18:00:00Z");
const DURING = new Date("2026-11-28T17:59:59Z");

/** Every ARN of a team's resources that a person could want to read or change. */
function teamArns(n: TeamNames): string[] {
  return [
    `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${n.dashboard}`,
    ...[n.analyticsLogGroup, n.alertLogGroup, n.firehoseLogGroup].flatMap((g) => [
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:log-stream:s1`,
    ]),
    `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${n.ingestStream}`,
    `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${n.anomaliesStream}`,
    `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${n.firehose}`,
    `arn:aws:kinesisanalytics:${REGION}:${ACCOUNT}:application/${n.analyticsApp}`,
    `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${n.alertFunction}`,
    `arn:aws:sns:${REGION}:${ACCOUNT}:${n.topic}`,
    `arn:aws:s3:::${n.bucket("raw", ACCOUNT)}`,
    `arn:aws:s3:::${n.bucket("processed", ACCOUNT)}/weblogs/processed/x.csv`,
    `arn:aws:iam::${ACCOUNT}:role/${n.kdgRole}`,
    `arn:aws:iam::${ACCOUNT}:user/${n.viewerUser}`,
    `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/${n.stopSchedule}`,
  ];
}

/** Reads and writes a curious or careless person might try, across the lab's services. */
const ACTIONS = [
  "cloudwatch:GetDashboard",
  "cloudwatch:PutDashboard",
  "cloudwatch:DeleteDashboards",
  "cloudwatch:ListDashboards",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:DescribeLogStreams",
  "logs:DeleteLogGroup",
  "logs:PutLogEvents",
  "logs:PutRetentionPolicy",
  "kinesis:PutRecords",
  "kinesis:GetRecords",
  "kinesis:DeleteStream",
  "firehose:DeleteDeliveryStream",
  "kinesisanalytics:StopApplication",
  "kinesisanalytics:DescribeApplication",
  "lambda:InvokeFunction",
  "lambda:GetFunction",
  "sns:Publish",
  "sns:Subscribe",
  "s3:GetObject",
  "s3:ListBucket",
  "iam:PassRole",
  "iam:CreateAccessKey",
  "iam:PutUserPolicy",
  "scheduler:UpdateSchedule",
];

describe("the attendee's view (TeamView)", () => {
  let run: TeamRun;
  let policy: string;
  before(async () => {
    run = await runTeam();
    policy = String(run.one("aws:iam/userPolicy:UserPolicy").inputs.policy);
  });

  it("is one IAM user with a console password, no reset asked, a secret output, and no access keys", async () => {
    const user = run.one("aws:iam/user:User");
    assert.equal(user.inputs.name, "clickstream-alpha-viewer");
    assert.equal(user.inputs.forceDestroy, true, "destroy removes the user with its login profile");
    const login = run.one("aws:iam/userLoginProfile:UserLoginProfile");
    assert.equal(login.inputs.user, "clickstream-alpha-viewer");
    assert.equal(login.inputs.passwordResetRequired, false);
    assert.equal(run.all("aws:iam/accessKey:AccessKey").length, 0);
    assert.equal(await valueOf(run.outputs.viewerUsername), "clickstream-alpha-viewer");
    assert.equal(await valueOf(run.outputs.viewerSignInUrl), `https://${ACCOUNT}.signin.aws.amazon.com/console`);
    assert.equal(typeof (await valueOf(run.outputs.viewerPassword)), "string");
    assert.ok(await pulumi.isSecret(run.outputs.viewerPassword), "the viewer's password is a secret output");
  });

  it("reads its own dashboard, its metrics and its two application logs until endsAt", () => {
    const own = teamNames("clickstream", "alpha");
    const at = DURING;
    assert.ok(
      allows(policy, { action: "cloudwatch:GetDashboard", resource: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${own.dashboard}`, at }),
    );
    assert.ok(allows(policy, { action: "cloudwatch:GetMetricData", resource: "*", at }));
    for (const g of [own.analyticsLogGroup, own.alertLogGroup])
      for (const action of ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"])
        assert.ok(allows(policy, { action, resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:*`, at }), `${action} ${g}`);
  });

  it("cannot read or change any resource of another team, nor change its own", () => {
    const own = teamNames("clickstream", "alpha");
    const ownReadable = new Set([
      `cloudwatch:GetDashboard ${teamArns(own)[0]}`,
      ...[own.analyticsLogGroup, own.alertLogGroup].flatMap((g) =>
        ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"].flatMap((a) => [
          `${a} arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}`,
          `${a} arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:*`,
          `${a} arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:log-stream:s1`,
        ]),
      ),
    ]);
    // Other teams, including names that start like this one's (alpha2, alph) and another event's alpha.
    const others = [
      teamNames("clickstream", "beta"),
      teamNames("clickstream", "alpha2"),
      teamNames("clickstream", "alph"),
      teamNames("other", "alpha"),
    ];
    const allowed: string[] = [];
    for (const n of [own, ...others])
      for (const resource of teamArns(n))
        for (const action of ACTIONS) {
          const key = `${action} ${resource}`;
          if (allows(policy, { action, resource, at: DURING }) && !ownReadable.has(key)) allowed.push(key);
        }
    assert.deepEqual(allowed, []);
  });

  it("allows nothing from endsAt on: IAM compares aws:CurrentTime at every request", () => {
    const own = teamNames("clickstream", "alpha");
    for (const at of [ENDS_AT, new Date(ENDS_AT.getTime() + 1000), new Date("2027-01-01T00:00:00Z")]) {
      assert.equal(allows(policy, { action: "cloudwatch:GetMetricData", resource: "*", at }), false, at.toISOString());
      for (const resource of teamArns(own))
        for (const action of ACTIONS)
          assert.equal(allows(policy, { action, resource, at }), false, `${action} ${resource} at ${at.toISOString()}`);
    }
    for (const s of (JSON.parse(policy) as { Statement: { Condition: unknown }[] }).Statement)
      assert.deepEqual(s.Condition, untilCondition(ENDS_AT));
  });

  it("moves its end with endsAt (extend runs up with the new endsAt)", async () => {
    const later = await runTeam({ endsAt: "2026-11-29T02:00:00Z" });
    const moved = String(later.one("aws:iam/userPolicy:UserPolicy").inputs.policy);
    const at = new Date("2026-11-28T20:00:00Z");
    assert.equal(allows(policy, { action: "cloudwatch:GetMetricData", resource: "*", at }), false);
    assert.equal(allows(moved, { action: "cloudwatch:GetMetricData", resource: "*", at }), true);
  });

  it("writes the end as a whole-second UTC instant, and the sign-in page from the account ID", () => {
    assert.deepEqual(untilCondition(new Date("2026-12-01T16:00:00.000+01:00")), {
      DateLessThan: { "aws:CurrentTime": "2026-12-01T15:00:00Z" },
    });
    assert.equal(consoleSignInUrl("000011112222"), "https://000011112222.signin.aws.amazon.com/console");
    const statements = teamViewStatements({
      accountId: ACCOUNT,
      region: REGION,
      dashboardName: "d",
      logGroupNames: ["g"],
      endsAt: ENDS_AT,
    });
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ["TeamDashboard", "DashboardMetrics", "TeamLogs"],
    );
  });
});
