// The mock account must refuse what AWS refuses; otherwise every other test proves nothing.
// Each case registers one resource AWS would reject and expects the refusal.

import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsRuleViolation, MockAccount } from "../../offline/fakeAws/account";
import { policyProblems } from "../../offline/fakeAws/policyGrammar";
import { runTeam } from "../support";

async function refused(build: (provider: aws.Provider) => void, words: RegExp, account = new MockAccount()): Promise<void> {
  await assert.rejects(
    account.run("t", () => build(new aws.Provider("p", { region: "us-east-1" }))),
    (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      assert.ok(e instanceof AwsRuleViolation || e instanceof AggregateError, text);
      assert.match(text, words);
      return true;
    },
  );
}

const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

describe("mock AWS account", () => {
  it("refuses a bucket name with upper case", () =>
    refused((provider) => new aws.s3.Bucket("b", { bucket: "Team-A-raw" }, { provider }), /S3 bucket name "Team-A-raw"/));

  it("refuses a bucket name over 63 characters", () =>
    refused((provider) => new aws.s3.Bucket("b", { bucket: "b".repeat(64) }, { provider }), /64 characters; AWS allows 3 to 63/));

  it("refuses a second bucket of the same name, even from another stack", async () => {
    const account = new MockAccount();
    await account.run(
      "one",
      () => new aws.s3.Bucket("b", { bucket: "shared-name" }, { provider: new aws.Provider("p", { region: "us-east-1" }) }),
    );
    await refused((provider) => new aws.s3.Bucket("b", { bucket: "shared-name" }, { provider }), /already taken by one\/b/, account);
  });

  it("refuses an on-demand stream with a shard count", () =>
    refused(
      (provider) => new aws.kinesis.Stream("s", { name: "s", streamModeDetails: { streamMode: "ON_DEMAND" }, shardCount: 1 }, { provider }),
      /ON_DEMAND stream takes no shardCount/,
    ));

  it("refuses KMS encryption without a key and a retention under 24 hours", () =>
    refused(
      (provider) => new aws.kinesis.Stream("s", { name: "s", shardCount: 1, encryptionType: "KMS", retentionPeriod: 12 }, { provider }),
      /retentionPeriod \(hours\) 12 is outside 24\.\.8760[\s\S]*needs a kmsKeyId/,
    ));

  it("refuses a role name over 64 characters", () =>
    refused((provider) => new aws.iam.Role("r", { name: "r".repeat(65), assumeRolePolicy: trust }, { provider }), /IAM role name/));

  it("refuses a trust policy that names a Resource", () =>
    refused(
      (provider) =>
        new aws.iam.Role(
          "r",
          {
            name: "r",
            assumeRolePolicy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*" }],
            }),
          },
          { provider },
        ),
      /trust policy must not name a Resource/,
    ));

  it("refuses an inline policy for a role that does not exist", () =>
    refused(
      (provider) =>
        new aws.iam.RolePolicy(
          "p",
          {
            name: "p",
            role: "ghost",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }),
          },
          { provider },
        ),
      /role ghost does not exist/,
    ));

  it("refuses a Firehose stream reading a stream that does not exist", () =>
    refused(
      (provider) =>
        new aws.kinesis.FirehoseDeliveryStream(
          "f",
          {
            name: "f",
            destination: "extended_s3",
            kinesisSourceConfiguration: {
              kinesisStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/ghost",
              roleArn: "arn:aws:iam::123456789012:role/ghost",
            },
            extendedS3Configuration: {
              roleArn: "arn:aws:iam::123456789012:role/ghost",
              bucketArn: "arn:aws:s3:::ghost",
              bufferingInterval: 1000,
            },
          },
          { provider },
        ),
      /kinesisStreamArn .* does not exist[\s\S]*bufferingInterval \(s\) 1000/,
    ));

  it("refuses a Firehose prefix with expressions but no error prefix", () =>
    refused(
      (provider) =>
        new aws.kinesis.FirehoseDeliveryStream(
          "f",
          {
            name: "f",
            destination: "extended_s3",
            extendedS3Configuration: { roleArn: "x", bucketArn: "y", prefix: "raw/!{timestamp:yyyy}/" },
          },
          { provider },
        ),
      /errorOutputPrefix is required/,
    ));

  it("refuses a KDG user whose password breaks the pool's policy", () =>
    refused((provider) => {
      const pool = new aws.cognito.UserPool(
        "pool",
        {
          name: "pool",
          passwordPolicy: {
            minimumLength: 12,
            requireUppercase: true,
            requireLowercase: true,
            requireNumbers: true,
            requireSymbols: false,
          },
        },
        { provider },
      );
      new aws.cognito.User("u", { userPoolId: pool.id, username: "kdg", password: "alllowercase" }, { provider });
    }, /password has no upper-case letter[\s\S]*has no digit/));

  it("refuses an app client mixing legacy and ALLOW_ auth flows", () =>
    refused((provider) => {
      const pool = new aws.cognito.UserPool("pool", { name: "pool" }, { provider });
      new aws.cognito.UserPoolClient(
        "c",
        { name: "c", userPoolId: pool.id, explicitAuthFlows: ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"] },
        { provider },
      );
    }, /cannot mix legacy values/));

  it("refuses token validities outside Cognito's bounds (ID and access tokens: 5 minutes to 1 day)", () =>
    refused((provider) => {
      const pool = new aws.cognito.UserPool("pool", { name: "pool" }, { provider });
      new aws.cognito.UserPoolClient(
        "c",
        {
          name: "c",
          userPoolId: pool.id,
          idTokenValidity: 2,
          accessTokenValidity: 4,
          tokenValidityUnits: { idToken: "days", accessToken: "minutes" },
        },
        { provider },
      );
    }, /idTokenValidity 2 days is outside[\s\S]*accessTokenValidity 4 minutes is outside/));

  it("refuses an IAM user's inline policy over IAM's 2,048 characters, and a login profile of no user", () =>
    refused((provider) => {
      const user = new aws.iam.User("u", { name: "viewer" }, { provider });
      const Statement = Array.from({ length: 40 }, (_, i) => ({
        Effect: "Allow",
        Action: "logs:GetLogEvents",
        Resource: `arn:aws:logs:us-east-1:123456789012:log-group:g${i}`,
      }));
      new aws.iam.UserPolicy(
        "p",
        { name: "p", user: user.name, policy: JSON.stringify({ Version: "2012-10-17", Statement }) },
        { provider },
      );
      new aws.iam.UserLoginProfile("l", { user: "nobody" }, { provider });
    }, /user nobody does not exist[\s\S]*over the 2048 AWS allows/));

  it("refuses an identity pool wired to another pool's client", () =>
    refused((provider) => {
      const a = new aws.cognito.UserPool("a", { name: "a" }, { provider });
      const b = new aws.cognito.UserPool("b", { name: "b" }, { provider });
      const client = new aws.cognito.UserPoolClient("c", { name: "c", userPoolId: b.id }, { provider });
      new aws.cognito.IdentityPool(
        "i",
        { identityPoolName: "i", cognitoIdentityProviders: [{ clientId: client.id, providerName: a.endpoint }] },
        { provider },
      );
    }, /belongs to another user pool/));

  it("refuses an SMS subscription to a number that is not E.164", () =>
    refused((provider) => {
      const topic = new aws.sns.Topic("t", { name: "t" }, { provider });
      new aws.sns.TopicSubscription("s", { topic: topic.arn, protocol: "sms", endpoint: "555-0123" }, { provider });
    }, /not an E\.164 number/));

  it("refuses a log retention CloudWatch does not offer", () =>
    refused((provider) => new aws.cloudwatch.LogGroup("l", { name: "l", retentionInDays: 10 }, { provider }), /retentionInDays 10/));

  it("refuses a bucket policy about another bucket", () =>
    refused((provider) => {
      const bucket = new aws.s3.Bucket("b", { bucket: "mine" }, { provider });
      new aws.s3.BucketPolicy(
        "p",
        {
          bucket: bucket.id,
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::theirs/*" }],
          }),
        },
        { provider },
      );
    }, /outside the bucket/));

  it("refuses provider tags AWS does not allow", () =>
    refused(() => new aws.Provider("p2", { region: "us-east-1", defaultTags: { tags: { "aws:team": "x" } } }), /reserved aws: prefix/));

  it("refuses a Flink application with an empty property value and a JAR that is not in its bucket", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "flink", assumeRolePolicy: trust }, { provider });
      const bucket = new aws.s3.Bucket("b", { bucket: "code-bucket-1" }, { provider });
      new aws.kinesisanalyticsv2.Application(
        "a",
        {
          name: "app",
          runtimeEnvironment: "FLINK-1_20",
          serviceExecutionRole: role.arn,
          applicationConfiguration: {
            applicationCodeConfiguration: {
              codeContentType: "ZIPFILE",
              codeContent: { s3ContentLocation: { bucketArn: bucket.arn, fileKey: "code/missing.jar" } },
            },
            environmentProperties: { propertyGroups: [{ propertyGroupId: "IngestStream", propertyMap: { "aws.endpoint": "" } }] },
          },
        },
        { provider },
      );
    }, /code object code\/missing\.jar does not exist[\s\S]*IngestStream\.aws\.endpoint must be a string of 1-2,048 characters/));

  it("refuses a KDA SQL application: that runtime is gone", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "kda", assumeRolePolicy: trust }, { provider });
      new aws.kinesisanalyticsv2.Application(
        "a",
        { name: "sql", runtimeEnvironment: "SQL-1_0", serviceExecutionRole: role.arn },
        { provider },
      );
    }, /runtimeEnvironment "SQL-1_0" is not one of/));

  it("refuses a Lambda that sets a reserved environment variable", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "fn", assumeRolePolicy: trust }, { provider });
      new aws.lambda.Function(
        "f",
        {
          name: "fn",
          runtime: "nodejs24.x",
          handler: "index.handler",
          role: role.arn,
          code: new pulumi.asset.AssetArchive({}),
          environment: { variables: { AWS_REGION: "us-east-1" } },
        },
        { provider },
      );
    }, /AWS_REGION is reserved by Lambda/));

  it("refuses a Kinesis event source mapping without a starting position", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "fn", assumeRolePolicy: trust }, { provider });
      const stream = new aws.kinesis.Stream("s", { name: "s", shardCount: 1 }, { provider });
      const fn = new aws.lambda.Function(
        "f",
        { name: "fn", runtime: "nodejs24.x", handler: "index.handler", role: role.arn, code: new pulumi.asset.AssetArchive({}) },
        { provider },
      );
      new aws.lambda.EventSourceMapping("m", { eventSourceArn: stream.arn, functionName: fn.arn }, { provider });
    }, /startingPosition is required/));

  it("refuses a one-time schedule written with a zone, and a flexible window without its size", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "sched", assumeRolePolicy: trust }, { provider });
      new aws.scheduler.Schedule(
        "s",
        {
          name: "stop",
          scheduleExpression: "at(2026-11-28T18:00:00Z)",
          flexibleTimeWindow: { mode: "FLEXIBLE" },
          target: { arn: "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication", roleArn: role.arn },
        },
        { provider },
      );
    }, /is not at\(yyyy-mm-ddThh:mm:ss\)[\s\S]*maximumWindowInMinutes/));

  it("refuses universal targets Scheduler would refuse: IAM's service prefix, a capitalised or read-only action, an input that is not a request", () =>
    refused((provider) => {
      const role = new aws.iam.Role("r", { name: "sched", assumeRolePolicy: trust }, { provider });
      const at = "at(2026-11-28T18:00:00)";
      const schedule = (name: string, arn: string, input: string) =>
        new aws.scheduler.Schedule(
          name,
          { name, scheduleExpression: at, flexibleTimeWindow: { mode: "OFF" }, target: { arn, roleArn: role.arn, input } },
          { provider },
        );
      schedule("iam-prefix", "arn:aws:scheduler:::aws-sdk:cognito-idp:adminDisableUser", '{"UserPoolId":"us-east-1_a","Username":"u"}');
      schedule(
        "capitalised",
        "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:AdminDisableUser",
        '{"UserPoolId":"us-east-1_a","Username":"u"}',
      );
      schedule(
        "read-only",
        "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminGetUser",
        '{"UserPoolId":"us-east-1_a","Username":"u"}',
      );
      schedule("not-a-request", "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminDisableUser", '["us-east-1_a","u"]');
    }, /service "cognito-idp" must be the AWS SDK's service name[\s\S]*action "AdminDisableUser" must be the API action in camelCase[\s\S]*"adminGetUser" is read-only \(prefix adminGet\)[\s\S]*input must be the API request as a JSON object/));

  it("accepts the lab's universal targets: stopApplication and adminDisableUser with their requests", async () => {
    const run = await runTeam();
    assert.deepEqual(
      run
        .all("aws:scheduler/schedule:Schedule")
        .map((s) => (s.inputs.target as { arn: string }).arn)
        .sort(),
      [
        "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminDisableUser",
        "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication",
      ],
    );
  });

  it("refuses resource types it has no rules for", () =>
    refused((provider) => new aws.ec2.Instance("i", { ami: "ami-1", instanceType: "t3.micro" }, { provider }), /no AWS rules/));

  it("reads IAM's grammar: actions, principals, Sids and size", () => {
    const doc = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
    assert.deepEqual(policyProblems(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), "identity", 10240), []);
    assert.match(
      policyProblems(doc({ Effect: "Allow", Action: "GetObject", Resource: "*" }), "identity", 10240).join(),
      /malformed action/,
    );
    assert.match(
      policyProblems(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }), "identity", 10240).join(),
      /must not name a Principal/,
    );
    assert.match(
      policyProblems(doc({ Sid: "not ok", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), "identity", 10240).join(),
      /alphanumeric/,
    );
    assert.match(
      policyProblems(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "bucket" }), "identity", 10240).join(),
      /neither "\*" nor an ARN/,
    );
    assert.match(
      policyProblems(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*".repeat(100) }), "identity", 50).join(),
      /over the 50/,
    );
  });

  it("answers a dashboard as CloudWatch does: its name as id, a dashboardArn without a region", async () => {
    const account = new MockAccount();
    const body = JSON.stringify({ widgets: [{ type: "text", x: 0, y: 0, width: 6, height: 2, properties: { markdown: "lab" } }] });
    await account.run(
      "one",
      () =>
        new aws.cloudwatch.Dashboard(
          "d",
          { dashboardName: "e-t1-clickstream", dashboardBody: body },
          { provider: new aws.Provider("p", { region: "us-east-1" }) },
        ),
    );
    const [d] = account.ofStack("one").filter((r) => r.type === "aws:cloudwatch/dashboard:Dashboard");
    assert.equal(d?.id, "e-t1-clickstream");
    assert.equal(d?.state.dashboardArn, "arn:aws:cloudwatch::123456789012:dashboard/e-t1-clickstream");
    assert.equal(account.find("aws:cloudwatch/dashboard:Dashboard", "e-t1-clickstream")?.dashboardName, "e-t1-clickstream");
  });

  it("refuses a second dashboard of the same name in the account, from another stack and another region", async () => {
    const account = new MockAccount();
    const body = JSON.stringify({ widgets: [] });
    await account.run(
      "one",
      () =>
        new aws.cloudwatch.Dashboard(
          "d",
          { dashboardName: "shared", dashboardBody: body },
          { provider: new aws.Provider("p", { region: "us-east-1" }) },
        ),
    );
    await assert.rejects(
      account.run(
        "two",
        () =>
          new aws.cloudwatch.Dashboard(
            "d",
            { dashboardName: "shared", dashboardBody: body },
            { provider: new aws.Provider("p", { region: "eu-west-1" }) },
          ),
      ),
      /already taken by one\/d/,
    );
    account.deleteResource({ type: "aws:cloudwatch/dashboard:Dashboard", id: "shared", stack: "one", name: "d", state: {} });
    await account.run(
      "three",
      () =>
        new aws.cloudwatch.Dashboard(
          "d",
          { dashboardName: "shared", dashboardBody: body },
          { provider: new aws.Provider("p", { region: "us-east-1" }) },
        ),
    );
  });

  it("accepts the whole team stack, registered through the explicit provider", async () => {
    const run = await runTeam();
    const provider = run.one("pulumi:providers:aws");
    for (const r of run.resources.filter((x) => x.type.startsWith("aws:"))) {
      assert.equal(r.providerId, provider.id, `${r.type} ${r.name} uses the program's provider`);
      assert.equal(r.region, "us-east-1");
    }
  });
});
