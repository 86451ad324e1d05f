// Traffic's sign-in: the Kinesis Data Generator (KDG) is a static web page that signs a user in
// to a Cognito user pool (SRP, no client secret), trades the token for AWS credentials from an
// identity pool, and sends records with them. This component creates that chain, one per team,
// with credentials that reach this team's ingest stream and nothing else.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { componentType, withFormerTypes } from "./componentType";
import { scopedRole, type Statement } from "./iam";
import { KDG_PASSWORD_POLICY } from "./passwordPolicy";

export interface KdgAccessArgs {
  /** The AWS region of the pools and the stream (`us-east-1`); the KDG page's `r` parameter. */
  readonly region: string;
  /** Physical user pool name: 1-128 characters of letters, digits, spaces and `+=,.@_-` (`<event>-<team>-kdg`). */
  readonly userPoolName: string;
  /** The app client's name, 1-128 of the same characters (`<event>-<team>-kdg-web`). */
  readonly clientName: string;
  /** Identity pool name: 1-128 characters of letters, digits, spaces and `+=,.@_-` (`<event>-<team>-kdg`). */
  readonly identityPoolName: string;
  /** Physical name of the producers' IAM role: 1-64 characters of letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The KDG user's name, typed on the KDG page (config kdgUsername, default `kdg-user`). */
  readonly username: string;
  /**
   * The user's permanent password; must satisfy KDG_PASSWORD_POLICY (12 or more characters, upper
   * and lower case, a digit). Absent: a 20-character password of letters and digits is generated
   * (random.RandomPassword) and kept in the stack's state as a secret.
   */
  readonly password?: pulumi.Input<string>;
  /** ARN of the only stream the KDG user may put records to and describe (the ingest stream). */
  readonly streamArn: pulumi.Input<string>;
}

const KDG_PAGE = "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html";

/**
 * How long one sign-in on the KDG page lasts, in hours. The page keeps the ID token of its sign-in
 * and never refreshes it (issue #25, read from its code); the AWS SDK in the page trades that
 * token for new one-hour AWS credentials each hour (Cognito identity pools' GetCredentialsForIdentity),
 * which works only while the token is valid. Cognito's default validity is one hour, so a lab run
 * longer than that stopped sending silently. One day is the most Cognito allows for ID and access
 * tokens ("five minutes to one day", TokenValidityUnitsType, Cognito API reference); the refresh
 * token keeps its default (30 days), the page does not use it. A test holds this against the lab's
 * length (traffic/profiles.ts); an event longer than a day tells attendees to sign in again
 * (workshop/handout.ts).
 */
export const KDG_SIGN_IN_HOURS = 24;

/** Cognito's bounds on ID and access token validity, in hours (5 minutes to 1 day). */
export const COGNITO_TOKEN_HOURS = { min: 5 / 60, max: 24 } as const;

/**
 * The Kinesis Data Generator's sign-in chain for one team: a Cognito user pool (admin-created
 * users only, KDG_PASSWORD_POLICY, no deletion protection so `destroy` removes it), an app client
 * without a secret (SRP sign-in), one user with a permanent password, an identity pool trusting
 * that client, and the role its authenticated identities get, which may put records to
 * `streamArn` and list what the KDG page's drop-downs show.
 *
 * The client's ID and access tokens last KDG_SIGN_IN_HOURS, so one sign-in on the page lasts the lab.
 *
 * Children: `<name>-users`, `<name>-web-client`, `<name>-password` (only when no password is
 * given), `<name>-user`, `<name>-identities`, `<name>-producer-role` and its `-policy`, `<name>-roles`.
 */
export class KdgAccess extends pulumi.ComponentResource {
  /** The user pool the KDG page signs in to; the event's end disables its user (EventEnd). */
  public readonly userPool: aws.cognito.UserPool;
  /** The KDG page's app client (no secret; SRP and refresh-token flows). */
  public readonly client: aws.cognito.UserPoolClient;
  /** Trades the user's tokens for AWS credentials of `role`. */
  public readonly identityPool: aws.cognito.IdentityPool;
  /** The producers' role: what the KDG page may do with its credentials. */
  public readonly role: aws.iam.Role;
  /** The user's name, as given in `username`. */
  public readonly username: pulumi.Output<string>;
  /** The user's password (a secret output), given or generated. */
  public readonly password: pulumi.Output<string>;
  /** The KDG page with this team's pools filled in (`upid`, `ipid`, `cid`, `r`): what attendees open. */
  public readonly url: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args names, the user, and the stream the user may send to.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: KdgAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("KdgAccess"), name, {}, withFormerTypes(opts, "clickstream:prelab:KdgAccess"));
    this.userPool = userPool(name, args, this);
    this.client = webClient(name, args, this.userPool, this);
    const password =
      args.password ??
      new random.RandomPassword(
        `${name}-password`,
        // Letters and digits only, at least two of each class: satisfies KDG_PASSWORD_POLICY.
        { length: 20, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
        { parent: this },
      ).result;
    this.password = pulumi.secret(password);
    const user = new aws.cognito.User(
      `${name}-user`,
      {
        userPoolId: this.userPool.id,
        username: args.username,
        // `password` (not `temporaryPassword`) sets it permanent: the KDG page cannot handle the
        // forced change a temporary password asks for. No invitation is sent: there is no e-mail.
        password: this.password,
        messageAction: "SUPPRESS",
      },
      { parent: this },
    );
    this.identityPool = new aws.cognito.IdentityPool(
      `${name}-identities`,
      {
        identityPoolName: args.identityPoolName,
        allowUnauthenticatedIdentities: false,
        allowClassicFlow: false,
        cognitoIdentityProviders: [{ clientId: this.client.id, providerName: this.userPool.endpoint, serverSideTokenCheck: true }],
      },
      { parent: this },
    );
    this.role = producerRole(name, args, this.identityPool, this);
    new aws.cognito.IdentityPoolRoleAttachment(
      `${name}-roles`,
      { identityPoolId: this.identityPool.id, roles: { authenticated: this.role.arn } },
      { parent: this },
    );

    this.username = user.username;
    this.url = pulumi.interpolate`${KDG_PAGE}?upid=${this.userPool.id}&ipid=${this.identityPool.id}&cid=${this.client.id}&r=${args.region}`;
    this.registerOutputs({ url: this.url, username: this.username, password: this.password });
  }
}

/** The user pool `<name>-users`: admin-created users only, KDG_PASSWORD_POLICY, gone with the stack. */
function userPool(name: string, args: KdgAccessArgs, parent: pulumi.Resource): aws.cognito.UserPool {
  return new aws.cognito.UserPool(
    `${name}-users`,
    {
      name: args.userPoolName,
      passwordPolicy: { ...KDG_PASSWORD_POLICY, temporaryPasswordValidityDays: 1 },
      // Only the stack creates users: no self sign-up on a page anyone can open.
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
      mfaConfiguration: "OFF",
      // The 2020 pools outlived their stacks; ours go with `pulumi destroy`.
      deletionProtection: "INACTIVE",
    },
    { parent },
  );
}

/** The KDG page's app client `<name>-web-client`: SRP sign-in, no secret, tokens for KDG_SIGN_IN_HOURS. */
function webClient(name: string, args: KdgAccessArgs, pool: aws.cognito.UserPool, parent: pulumi.Resource): aws.cognito.UserPoolClient {
  return new aws.cognito.UserPoolClient(
    `${name}-web-client`,
    {
      name: args.clientName,
      userPoolId: pool.id,
      // The KDG page is public JavaScript: a client secret could not be kept there.
      generateSecret: false,
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      preventUserExistenceErrors: "ENABLED",
      // A sign-in that lasts the lab: see KDG_SIGN_IN_HOURS.
      idTokenValidity: KDG_SIGN_IN_HOURS,
      accessTokenValidity: KDG_SIGN_IN_HOURS,
      tokenValidityUnits: { idToken: "hours", accessToken: "hours" },
    },
    { parent },
  );
}

/**
 * The role `<name>-producer-role` the identity pool gives signed-in KDG users: put records into
 * the team's ingest stream and describe it, and list what fills the page's drop-downs.
 */
function producerRole(name: string, args: KdgAccessArgs, identityPool: aws.cognito.IdentityPool, parent: pulumi.Resource): aws.iam.Role {
  return scopedRole(
    `${name}-producer-role`,
    {
      roleName: args.roleName,
      description: "KDG users of this team: send to and describe this team's ingest stream.",
      // A plain statement with the pool id as its one unknown leaf: the policy pack can read
      // who is trusted at a first preview, before the identity pool exists.
      trust: {
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": identityPool.id },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
        },
      } as unknown as Statement,
      statements: [
        {
          Sid: "SendToTeamStream",
          Effect: "Allow",
          Action: ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary"],
          Resource: args.streamArn,
        },
        {
          // The page fills its drop-downs with these. None of the three supports resource-level
          // permissions (Service Authorization Reference), so "*" is the only resource possible;
          // they list names and regions, they read or write no data.
          Sid: "FillKdgDropDowns",
          Effect: "Allow",
          Action: ["kinesis:ListStreams", "firehose:ListDeliveryStreams", "ec2:DescribeRegions"],
          Resource: "*",
        },
      ],
    },
    parent,
  ).role;
}
