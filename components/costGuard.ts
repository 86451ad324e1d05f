// The cost guard: a one-time EventBridge Scheduler schedule at the event's end (config endsAt)
// that stops the Flink application, so an event that forgets `pulumi destroy` stops paying for
// KPUs. It calls StopApplication through Scheduler's universal target; nothing else to run.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { scopedRole, serviceTrust } from "./iam";

export const STOP_APPLICATION_TARGET = "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication";

/** Scheduler's one-time form: at(yyyy-mm-ddThh:mm:ss), read in scheduleExpressionTimezone. */
export function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

export interface CostGuardArgs {
  readonly accountId: pulumi.Input<string>;
  readonly scheduleName: string;
  readonly roleName: string;
  readonly applicationName: pulumi.Input<string>;
  readonly applicationArn: pulumi.Input<string>;
  readonly stopAt: Date;
}

export class CostGuard extends pulumi.ComponentResource {
  public readonly schedule: aws.scheduler.Schedule;

  constructor(name: string, args: CostGuardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:lab:CostGuard", name, {}, opts);

    const { role, policy } = scopedRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: "Scheduler: stop this team's Flink application at the event's end.",
        trust: serviceTrust("scheduler.amazonaws.com", args.accountId),
        statements: [{ Sid: "StopFlink", Effect: "Allow", Action: ["kinesisanalytics:StopApplication"], Resource: [args.applicationArn] }],
      },
      this,
    );

    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: args.scheduleName,
        description: "Stops the lab's Flink application when the event ends",
        scheduleExpression: atExpression(args.stopAt),
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        // NONE, not DELETE: a schedule that deleted itself would look like drift to Pulumi.
        actionAfterCompletion: "NONE",
        target: {
          arn: STOP_APPLICATION_TARGET,
          roleArn: role.arn,
          input: pulumi.jsonStringify({ ApplicationName: args.applicationName }),
          retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.registerOutputs({ scheduleName: this.schedule.name });
  }
}
