// The event's end, enforced by AWS rather than by an instructor's memory: at endsAt, two one-time
// EventBridge Scheduler schedules call AWS APIs directly through Scheduler's universal target
// (nothing to run, nothing to patch):
//   - StopApplication on this team's Flink application: the KPUs stop billing (the cost guard);
//   - AdminDisableUser on this team's KDG user: the credentials handed out on paper stop working.
// Each schedule has its own role that may do exactly that one call on this team's own resource.
// What still bills after this (the streams' shards, logs, S3) is in docs/event-life.md; bringing
// a team back is `npm run workshop -- extend` (workshop/extend.ts).
//
// This component was `CostGuard` ("cost-guard", clickstream:lab:CostGuard) with one schedule:
// aliases keep it, its stop schedule, role and policy in deployed stacks (see FORMER_*). Its type
// token was clickstream:lab:EventEnd before the phase left the tokens (components/componentType.ts).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";
import { scopedRole, serviceTrust, type Statement } from "./iam";

/**
 * Scheduler's universal target ARNs: `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, the
 * service as the AWS SDK names it (lower case) and the action in camelCase
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html).
 * The input is the API's own request JSON, with its members' casing (UserPoolId, not userPoolId).
 */
export const STOP_APPLICATION_TARGET = "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication";
export const DISABLE_USER_TARGET = "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminDisableUser";

/** What this component was called before it disabled users too; aliases keep deployed resources. */
export const FORMER_TYPE = "clickstream:lab:CostGuard";
export const FORMER_NAME = "cost-guard";

/** Scheduler's one-time form: at(yyyy-mm-ddThh:mm:ss), read in scheduleExpressionTimezone (UTC here). */
export function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

export interface EventEndArgs {
  /** The 12-digit AWS account ID: each schedule's role trusts Scheduler only on behalf of this account. */
  readonly accountId: pulumi.Input<string>;
  /** The event's end (config endsAt): both schedules run once, then (at(), UTC, to the second). */
  readonly endsAt: Date;
  /** The schedule that stops the Flink application. */
  readonly stopFlink: {
    /** Physical schedule name: 1-64 characters of letters, digits, `_`, `-` and `.`. */
    readonly scheduleName: string;
    /** Physical name of the schedule's IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
    readonly roleName: string;
    /** The application StopApplication names (Analytics.applicationName). */
    readonly applicationName: pulumi.Input<string>;
    /** Its ARN: the one resource the role may stop (Analytics.applicationArn). */
    readonly applicationArn: pulumi.Input<string>;
  };
  /** The schedule that disables the KDG user. */
  readonly disableKdgUser: {
    /** Physical schedule name: 1-64 characters of letters, digits, `_`, `-` and `.`. */
    readonly scheduleName: string;
    /** Physical name of the schedule's IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
    readonly roleName: string;
    /** The user pool's ID, `<region>_<id>` (KdgAccess.userPool.id). */
    readonly userPoolId: pulumi.Input<string>;
    /** The user pool's ARN: the one resource the role may call AdminDisableUser on. */
    readonly userPoolArn: pulumi.Input<string>;
    /** The KDG user's name (KdgAccess.username). */
    readonly username: pulumi.Input<string>;
  };
}

interface OneCall {
  readonly scheduleName: string;
  readonly roleName: string;
  /** The schedule's description. */
  readonly description: string;
  /** What the role is for, after "Scheduler: ". */
  readonly roleFor: string;
  /** A universal target ARN. */
  readonly target: string;
  /** The API request, as JSON. */
  readonly input: pulumi.Input<string>;
  /** The role's one statement: that API action on this team's resource. */
  readonly grant: Statement;
  /** URNs the schedule, role and policy had before the component was renamed. */
  readonly formerUrns?: { schedule: pulumi.Input<string>; role: pulumi.Input<string>; policy: pulumi.Input<string> };
}

/**
 * The event's end, enforced by AWS: two one-time EventBridge Scheduler schedules at `endsAt`
 * calling StopApplication on the team's Flink application and AdminDisableUser on its KDG user
 * through Scheduler's universal targets, each with its own role allowed that one call on that
 * one resource, retrying for up to an hour.
 *
 * Children: `<name>-stop-flink-role` and its `-policy`, `<name>-stop-flink-schedule`, and the
 * same three for `<name>-disable-kdg-user`.
 */
export class EventEnd extends pulumi.ComponentResource {
  /** The schedule that stops the Flink application at endsAt. */
  public readonly stopFlinkSchedule: aws.scheduler.Schedule;
  /** The schedule that disables the KDG user at endsAt. */
  public readonly disableKdgUserSchedule: aws.scheduler.Schedule;

  /**
   * @param name logical name; its children are `<name>-stop-flink-…` and `<name>-disable-kdg-user-…`.
   *   One per stack: the stack's former CostGuard ("cost-guard" at the stack's root, the only one
   *   infra/teamStack.ts ever created) is aliased to it, with its stop schedule, role and policy.
   */
  constructor(name: string, args: EventEndArgs, opts?: pulumi.ComponentResourceOptions) {
    const former = pulumi.createUrn(FORMER_NAME, FORMER_TYPE);
    super(
      componentType("EventEnd"),
      name,
      {},
      withFormerTypes({ ...opts, aliases: [...(opts?.aliases ?? []), former] }, "clickstream:lab:EventEnd"),
    );
    const at = { parent: this, name, endsAt: args.endsAt, trust: serviceTrust("scheduler.amazonaws.com", args.accountId) };
    this.stopFlinkSchedule = oneCallSchedule(at, "stop-flink", stopFlinkCall(args.stopFlink, former));
    this.disableKdgUserSchedule = oneCallSchedule(at, "disable-kdg-user", disableKdgUserCall(args.disableKdgUser));
    this.registerOutputs({ stopFlinkSchedule: this.stopFlinkSchedule.name, disableKdgUserSchedule: this.disableKdgUserSchedule.name });
  }
}

/** What every schedule of the component shares: its parent, the component's name, when, and the role's trust. */
interface ScheduleContext {
  readonly parent: pulumi.Resource;
  readonly name: string;
  readonly endsAt: Date;
  readonly trust: ReturnType<typeof serviceTrust>;
}

/**
 * One API call at endsAt: the role `<name>-<suffix>-role` allowed that call only, and the one-time
 * schedule `<name>-<suffix>-schedule` making it through its universal target, retrying for an hour.
 */
function oneCallSchedule(at: ScheduleContext, suffix: string, c: OneCall): aws.scheduler.Schedule {
  const { role, policy } = scopedRole(
    `${at.name}-${suffix}-role`,
    { roleName: c.roleName, description: `Scheduler: ${c.roleFor}.`, trust: at.trust, statements: [c.grant] },
    at.parent,
    c.formerUrns ? { role: [c.formerUrns.role], policy: [c.formerUrns.policy] } : {},
  );
  return new aws.scheduler.Schedule(
    `${at.name}-${suffix}-schedule`,
    {
      name: c.scheduleName,
      description: c.description,
      scheduleExpression: atExpression(at.endsAt),
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      // NONE, not DELETE: a schedule that deleted itself would look like drift to Pulumi, and
      // `extend` moves the same schedule to a later at() instead of creating another.
      actionAfterCompletion: "NONE",
      target: {
        arn: c.target,
        roleArn: role.arn,
        input: c.input,
        // Scheduler's documented maxima are 185 retries over 24 h; an hour of retries covers a
        // throttled or briefly unavailable API without running long after the event.
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      },
    },
    { parent: at.parent, dependsOn: [policy], ...(c.formerUrns ? { aliases: [c.formerUrns.schedule] } : {}) },
  );
}

/**
 * StopApplication on the team's Flink application. Its schedule, role and policy were the former
 * CostGuard's (`former`): aliased by their full URNs, since their own names changed too and the
 * engine's inherited aliases (parent name prefix swapped) would not find them.
 */
function stopFlinkCall(stop: EventEndArgs["stopFlink"], former: pulumi.Output<string>): OneCall {
  const formerUrn = (child: string, type: string) => pulumi.createUrn(`${FORMER_NAME}-${child}`, type, former);
  return {
    scheduleName: stop.scheduleName,
    roleName: stop.roleName,
    description: "Stops the lab's Flink application when the event ends",
    // The former CostGuard's words: a deployed role keeps its description, so it is not updated.
    roleFor: "stop this team's Flink application at the event's end",
    target: STOP_APPLICATION_TARGET,
    input: pulumi.jsonStringify({ ApplicationName: stop.applicationName }),
    // IAM's service prefix for Managed Flink is still kinesisanalytics (Service Authorization Reference).
    grant: { Sid: "StopFlink", Effect: "Allow", Action: ["kinesisanalytics:StopApplication"], Resource: [stop.applicationArn] },
    formerUrns: {
      schedule: formerUrn("schedule", "aws:scheduler/schedule:Schedule"),
      role: formerUrn("role", "aws:iam/role:Role"),
      policy: formerUrn("role-policy", "aws:iam/rolePolicy:RolePolicy"),
    },
  };
}

/** AdminDisableUser on the team's KDG user, so its credentials stop working. */
function disableKdgUserCall(disable: EventEndArgs["disableKdgUser"]): OneCall {
  return {
    scheduleName: disable.scheduleName,
    roleName: disable.roleName,
    description: "Disables the team's KDG user when the event ends, so its credentials stop working",
    roleFor: "disable this team's KDG user at the event's end",
    target: DISABLE_USER_TARGET,
    input: pulumi.jsonStringify({ UserPoolId: disable.userPoolId, Username: disable.username }),
    // AdminDisableUser is authorized on the user pool (arn:aws:cognito-idp:<region>:<account>:userpool/<id>).
    grant: {
      Sid: "DisableKdgUser",
      Effect: "Allow",
      Action: ["cognito-idp:AdminDisableUser"],
      Resource: [disable.userPoolArn],
    },
  };
}
