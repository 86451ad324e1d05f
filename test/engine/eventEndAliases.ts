// A program for eventEnd.integration.test.ts: the event's end as deployed stacks have it, in two
// shapes chosen by LAB_SHAPE (the engine passes its environment on to the program):
//   former:  the CostGuard of commit 8cfd325 ("cost-guard", clickstream:lab:CostGuard) with its
//            role, policy and stop schedule, exactly as that component registered them;
//   current: components/eventEnd.ts with the same stop arguments, plus the disable-user schedule.
// Going from former to current must keep the stop schedule, its role and policy (aliases).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { atExpression, EventEnd, STOP_APPLICATION_TARGET } from "../../components/eventEnd";
import { scopedRole, serviceTrust } from "../../components/iam";

const ACCOUNT = "123456789012";
const APP = "ev-t1-anomaly-detection";
const APP_ARN = `arn:aws:kinesisanalytics:us-east-1:${ACCOUNT}:application/${APP}`;
const POOL = "us-east-1_Former1";
const ENDS_AT = new Date(process.env.LAB_ENDS_AT ?? Date.now() + 4 * 3_600_000);
const provider = new aws.Provider("aws", { region: "us-east-1" });

/** The former component, as 8cfd325 wrote it (same type, names and inputs). */
class FormerCostGuard extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("clickstream:lab:CostGuard", name, {}, opts);
    const { role, policy } = scopedRole(
      `${name}-role`,
      {
        roleName: "ev-t1-stop-flink",
        description: "Scheduler: stop this team's Flink application at the event's end.",
        trust: serviceTrust("scheduler.amazonaws.com", ACCOUNT),
        statements: [{ Sid: "StopFlink", Effect: "Allow", Action: ["kinesisanalytics:StopApplication"], Resource: [APP_ARN] }],
      },
      this,
    );
    new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: "ev-t1-stop-flink",
        description: "Stops the lab's Flink application when the event ends",
        scheduleExpression: atExpression(ENDS_AT),
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        actionAfterCompletion: "NONE",
        target: {
          arn: STOP_APPLICATION_TARGET,
          roleArn: role.arn,
          input: pulumi.jsonStringify({ ApplicationName: APP }),
          retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        },
      },
      { parent: this, dependsOn: [policy] },
    );
  }
}

if (process.env.LAB_SHAPE === "former") new FormerCostGuard("cost-guard", { provider });
else if (process.env.LAB_SHAPE === "current")
  new EventEnd(
    "event-end",
    {
      accountId: ACCOUNT,
      endsAt: ENDS_AT,
      stopFlink: { scheduleName: "ev-t1-stop-flink", roleName: "ev-t1-stop-flink", applicationName: APP, applicationArn: APP_ARN },
      disableKdgUser: {
        scheduleName: "ev-t1-disable-kdg-user",
        roleName: "ev-t1-disable-kdg-user",
        userPoolId: POOL,
        userPoolArn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${POOL}`,
        username: "kdg-user",
      },
    },
    { provider },
  );
else throw new Error(`LAB_SHAPE must be former or current, not ${JSON.stringify(process.env.LAB_SHAPE)}`);
