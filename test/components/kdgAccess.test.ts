import { strict as assert } from "node:assert";
import { COGNITO_TOKEN_HOURS, KDG_SIGN_IN_HOURS } from "../../components/kdgAccess";
import { valueOf } from "../../offline/fakeAws/account";
import { profile } from "../../traffic/profiles";
import { grants, runTeam, statements, type TeamRun } from "../support";

describe("KDG access", () => {
  let run: TeamRun;
  before(async () => {
    run = await runTeam();
  });

  it("has a user pool whose password policy the KDG user meets, deleted with the stack", () => {
    const pool = run.one("aws:cognito/userPool:UserPool");
    assert.equal(pool.inputs.name, "clickstream-alpha-kdg");
    assert.deepEqual(pool.inputs.adminCreateUserConfig, { allowAdminCreateUserOnly: true });
    assert.equal(pool.inputs.deletionProtection, "INACTIVE");
    assert.equal((pool.inputs.passwordPolicy as { minimumLength: number }).minimumLength, 12);
  });

  it("has an app client without a secret that signs in with SRP", () => {
    const client = run.one("aws:cognito/userPoolClient:UserPoolClient");
    assert.equal(client.inputs.generateSecret, false);
    assert.deepEqual(client.inputs.explicitAuthFlows, ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
  });

  // Issue 25: the KDG page never refreshes its sign-in's ID token, and its AWS credentials are
  // renewed hourly with that token; at Cognito's default (one hour) sending stopped mid-lab.
  it("keeps one sign-in valid for the whole lab: ID and access tokens last a day, Cognito's most", () => {
    const client = run.one("aws:cognito/userPoolClient:UserPoolClient");
    const seconds: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
    const units = client.inputs.tokenValidityUnits as Record<string, string>;
    const idSeconds = Number(client.inputs.idTokenValidity) * seconds[units.idToken ?? "hours"]!;
    const accessSeconds = Number(client.inputs.accessTokenValidity) * seconds[units.accessToken ?? "hours"]!;
    const labSeconds = Math.max(...profile("lab").map((p) => p.startSeconds + p.durationSeconds));
    for (const validity of [idSeconds, accessSeconds]) {
      assert.equal(validity, KDG_SIGN_IN_HOURS * 3600);
      // The lab's script (11 minutes) many times over, and a whole event day: the hand-out promises
      // one sign-in a day (workshop/handout.ts).
      assert.ok(validity >= 24 * 3600 && validity >= 10 * labSeconds, `${validity} s`);
      assert.ok(validity <= COGNITO_TOKEN_HOURS.max * 3600 && validity >= COGNITO_TOKEN_HOURS.min * 3600);
    }
  });

  it("creates the user with a permanent (not temporary) password, generated and kept secret", async () => {
    const user = run.one("aws:cognito/user:User");
    assert.equal(user.inputs.username, "kdg-user");
    assert.equal(user.inputs.temporaryPassword, undefined);
    assert.equal(typeof user.inputs.password, "string");
    assert.deepEqual(user.secretInputs, ["password"]);
    assert.equal(user.inputs.messageAction, "SUPPRESS");
    assert.equal(await valueOf(run.outputs.kdgPassword), user.inputs.password);
    const generator = run.one("random:index/randomPassword:RandomPassword");
    assert.equal(generator.inputs.special, false);
    assert.ok(Number(generator.inputs.length) >= 12);
  });

  it("uses a configured password instead of generating one", async () => {
    const own = await runTeam({ kdgPassword: "Workshop2026Pass" });
    assert.equal(own.all("random:index/randomPassword:RandomPassword").length, 0);
    assert.equal(own.one("aws:cognito/user:User").inputs.password, "Workshop2026Pass");
  });

  it("has an identity pool without unauthenticated access, bound to the pool's client", () => {
    const ip = run.one("aws:cognito/identityPool:IdentityPool");
    const pool = run.one("aws:cognito/userPool:UserPool");
    const client = run.one("aws:cognito/userPoolClient:UserPoolClient");
    assert.equal(ip.inputs.allowUnauthenticatedIdentities, false);
    assert.deepEqual(ip.inputs.cognitoIdentityProviders, [
      { clientId: client.id, providerName: `cognito-idp.us-east-1.amazonaws.com/${pool.id}`, serverSideTokenCheck: true },
    ]);
    const attachment = run.one("aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment");
    assert.deepEqual(attachment.inputs.roles, { authenticated: "arn:aws:iam::123456789012:role/clickstream-alpha-kdg-producer" });
  });

  it("lets only this identity pool's signed-in users assume the producer role", () => {
    const ip = run.one("aws:cognito/identityPool:IdentityPool");
    const [t] = statements(run.one("aws:iam/role:Role", "kdg-producer-role").inputs.assumeRolePolicy);
    assert.deepEqual(t!.Principal, { Federated: "cognito-identity.amazonaws.com" });
    assert.equal(t!.Action, "sts:AssumeRoleWithWebIdentity");
    assert.deepEqual(t!.Condition, {
      StringEquals: { "cognito-identity.amazonaws.com:aud": ip.id },
      "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
    });
  });

  it("grants sending to this team's stream, and only the KDG page's list calls beyond it", () => {
    const stream = "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-clicks";
    assert.deepEqual(Object.fromEntries(grants(run, "clickstream-alpha-kdg-producer")), {
      "kinesis:PutRecord": [stream],
      "kinesis:PutRecords": [stream],
      "kinesis:DescribeStream": [stream],
      "kinesis:DescribeStreamSummary": [stream],
      "kinesis:ListStreams": ["*"],
      "firehose:ListDeliveryStreams": ["*"],
      "ec2:DescribeRegions": ["*"],
    });
  });

  it("outputs the KDG URL with this team's pool, identity pool, client and region", async () => {
    const pool = run.one("aws:cognito/userPool:UserPool");
    const ip = run.one("aws:cognito/identityPool:IdentityPool");
    const client = run.one("aws:cognito/userPoolClient:UserPoolClient");
    const url = new URL(await valueOf(run.outputs.kdgUrl));
    assert.equal(url.origin + url.pathname, "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html");
    assert.equal(url.searchParams.get("upid"), pool.id);
    assert.equal(url.searchParams.get("ipid"), ip.id);
    assert.equal(url.searchParams.get("cid"), client.id);
    assert.equal(url.searchParams.get("r"), "us-east-1");
  });
});
