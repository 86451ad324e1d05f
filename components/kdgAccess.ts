// Traffic's sign-in: the Kinesis Data Generator (KDG) is a static web page that signs a user in
// to a Cognito user pool (SRP, no client secret), trades the token for AWS credentials from an
// identity pool, and sends records with them. This component creates that chain, one per team,
// with credentials that reach this team's ingest stream and nothing else.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { KDG_PASSWORD_POLICY } from "./passwordPolicy";
import { scopedRole, type Statement } from "./iam";

export interface KdgAccessArgs {
  readonly region: string;
  readonly userPoolName: string;
  readonly clientName: string;
  readonly identityPoolName: string;
  readonly roleName: string;
  readonly username: string;
  /** Permanent password; generated to KDG_PASSWORD_POLICY when absent. */
  readonly password?: pulumi.Input<string>;
  /** The only stream the KDG user may write to. */
  readonly streamArn: pulumi.Input<string>;
}

const KDG_PAGE = "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html";

export class KdgAccess extends pulumi.ComponentResource {
  public readonly userPool: aws.cognito.UserPool;
  public readonly client: aws.cognito.UserPoolClient;
  public readonly identityPool: aws.cognito.IdentityPool;
  public readonly role: aws.iam.Role;
  public readonly username: pulumi.Output<string>;
  public readonly password: pulumi.Output<string>;
  /** The KDG page with this team's pools filled in: what attendees open. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: KdgAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:prelab:KdgAccess", name, {}, opts);

    this.userPool = new aws.cognito.UserPool(
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
      { parent: this },
    );

    this.client = new aws.cognito.UserPoolClient(
      `${name}-web-client`,
      {
        name: args.clientName,
        userPoolId: this.userPool.id,
        // The KDG page is public JavaScript: a client secret could not be kept there.
        generateSecret: false,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
      },
      { parent: this },
    );

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
        cognitoIdentityProviders: [
          { clientId: this.client.id, providerName: this.userPool.endpoint, serverSideTokenCheck: true },
        ],
      },
      { parent: this },
    );

    this.role = scopedRole(
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
            StringEquals: { "cognito-identity.amazonaws.com:aud": this.identityPool.id },
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
      this,
    ).role;

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
