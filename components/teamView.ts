// Watch: the attendee's own view of their detection in the AWS console, for an event whose
// attendees have no AWS login. One IAM user per team with a console password and no access keys,
// whose one inline policy may read this team's dashboard and metrics and this team's two
// application log groups, and nothing else, and only until the event's end: every statement
// carries `DateLessThan aws:CurrentTime <endsAt>`, so IAM itself stops allowing anything at
// endsAt, with no schedule to fail (`extend` moves endsAt and runs `up`, which moves the date).
// Why a user and not a console sign-in federated from the KDG's Cognito credentials: docs/design.md
// ("The attendee's view").
//
// What IAM can scope (Service Authorization Reference, checked December 2026):
//   cloudwatch:GetDashboard       resource type dashboard: arn:aws:cloudwatch::<account>:dashboard/<name>
//   cloudwatch:GetMetricData      no resource type: Resource "*" only. AWS's own shared dashboards
//                                 grant exactly this ("Reviewing shared CloudWatch dashboard
//                                 permissions", AmazonCloudWatch/latest/monitoring/share-cloudwatch-dashboard-review-permissions.html).
//                                 So the user can read any metric of the account by name: numbers
//                                 (another team's record counts or scores), never a resource.
//   logs:GetLogEvents, FilterLogEvents, DescribeLogStreams   resource type log-group.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType } from "./componentType";
import { policyDocument, type Statement } from "./iam";

/** The console sign-in page of an account, for IAM users: 12 digits to type, nothing else. */
export function consoleSignInUrl(accountId: string): string {
  return `https://${accountId}.signin.aws.amazon.com/console`;
}

/** A CloudWatch dashboard's ARN: dashboards are global, so the ARN has no region. */
export function dashboardArn(accountId: string, dashboardName: string): string {
  return `arn:aws:cloudwatch::${accountId}:dashboard/${dashboardName}`;
}

/** A log group's ARN and the form with `:*` (its streams), as the log-group resource type is written. */
export function logGroupArns(region: string, accountId: string, logGroupName: string): string[] {
  const arn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
  return [arn, `${arn}:*`];
}

/** The IAM condition that ends a grant at `endsAt`: AWS's clock, compared at every request. */
export function untilCondition(endsAt: Date): Record<string, Record<string, string>> {
  return { DateLessThan: { "aws:CurrentTime": endsAt.toISOString().replace(/\.\d{3}Z$/, "Z") } };
}

/** What one team's viewer may read. */
export interface TeamViewScope {
  readonly accountId: string;
  /** The region of the log groups (`us-east-1`). */
  readonly region: string;
  /** The team's dashboard (Dashboard.dashboardName). */
  readonly dashboardName: string;
  /** The team's application log groups: the Flink job's and the alert Lambda's. */
  readonly logGroupNames: readonly string[];
  /** The event's end (config endsAt): no statement allows anything from then on. */
  readonly endsAt: Date;
}

/**
 * The viewer's statements: GetDashboard on this team's dashboard, GetMetricData (Resource "*", the
 * only form IAM accepts), and reading this team's log groups; each ending at `endsAt`.
 */
export function teamViewStatements(s: TeamViewScope): Statement[] {
  const Condition = untilCondition(s.endsAt);
  return [
    {
      Sid: "TeamDashboard",
      Effect: "Allow",
      Action: ["cloudwatch:GetDashboard"],
      Resource: [dashboardArn(s.accountId, s.dashboardName)],
      Condition,
    },
    {
      // No resource-level permission exists for GetMetricData (see the top of this file).
      Sid: "DashboardMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData"],
      Resource: "*",
      Condition,
    },
    {
      Sid: "TeamLogs",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
      Resource: s.logGroupNames.flatMap((n) => logGroupArns(s.region, s.accountId, n)),
      Condition,
    },
  ] as Statement[];
}

export interface TeamViewArgs {
  /** The 12-digit account ID: part of every ARN and of the sign-in URL. */
  readonly accountId: pulumi.Input<string>;
  /** The region of the team's log groups (`us-east-1`). */
  readonly region: string;
  /** Physical IAM user name: 1-64 characters of letters, digits and `+=,.@_-` (`<event>-<team>-viewer`). */
  readonly userName: string;
  /**
   * The team's dashboard name (infra/naming.ts). Plain text, not an output: with the account ID
   * (an invoke, known at a first preview) the whole document is readable by the pack before
   * anything exists.
   */
  readonly dashboardName: string;
  /** The Flink job's and the alert Lambda's log group names (infra/naming.ts). */
  readonly logGroupNames: readonly string[];
  /** The event's end (config endsAt). */
  readonly endsAt: Date;
}

/**
 * A read-only console sign-in for one team, ending at `endsAt`: an IAM user (no access keys), its
 * console password (generated by the provider, 20 characters, a secret output, no reset asked:
 * the attendee has one hour, not an account) and one inline policy of teamViewStatements.
 *
 * Children: `<name>-user`, `<name>-login`, `<name>-policy`.
 */
export class TeamView extends pulumi.ComponentResource {
  /** The IAM user. */
  public readonly user: aws.iam.User;
  /** The user's name, typed on the sign-in page. */
  public readonly userName: pulumi.Output<string>;
  /** The user's console password (a secret output). */
  public readonly password: pulumi.Output<string>;
  /** The account's console sign-in page (consoleSignInUrl). */
  public readonly signInUrl: pulumi.Output<string>;
  /** The user's inline policy. */
  public readonly policy: aws.iam.UserPolicy;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args the account, the user's name, what it may read and until when.
   * @param opts options for the component (parent, provider).
   */
  constructor(name: string, args: TeamViewArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("TeamView"), name, {}, opts);
    this.user = new aws.iam.User(
      `${name}-user`,
      // forceDestroy: IAM refuses DeleteUser while a login profile exists; destroy must remove both.
      { name: args.userName, forceDestroy: true },
      { parent: this },
    );
    const login = new aws.iam.UserLoginProfile(
      `${name}-login`,
      { user: this.user.name, passwordLength: 20, passwordResetRequired: false },
      { parent: this },
    );
    this.policy = new aws.iam.UserPolicy(
      `${name}-policy`,
      {
        name: "team-view-until-event-end",
        user: this.user.name,
        policy: pulumi.output(args.accountId).apply((accountId) => policyDocument(teamViewStatements({ ...args, accountId }))),
      },
      { parent: this },
    );
    this.userName = this.user.name;
    this.password = pulumi.secret(login.password);
    this.signInUrl = pulumi.output(args.accountId).apply(consoleSignInUrl);
    this.registerOutputs({ userName: this.userName, signInUrl: this.signInUrl, password: this.password });
  }
}
