import { strict as assert } from "node:assert";
import { labTags } from "../../infra/teamStack";
import { valueOf } from "../../offline/fakeAws/account";
import { config, runTeam } from "../support";

describe("team stack", () => {
  it("creates one provider in us-east-1 carrying the lab's tags", async () => {
    const run = await runTeam();
    const provider = run.one("pulumi:providers:aws");
    assert.equal(provider.inputs.region, "us-east-1");
    const tags = JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> };
    assert.deepEqual(tags.tags, {
      event: "clickstream",
      team: "alpha",
      stack: "clickstream-alpha",
      "managed-by": "pulumi",
      "expires-at": "2026-11-28T18:00:00.000Z",
    });
    assert.deepEqual(labTags(config(), "clickstream-alpha"), tags.tags);
  });

  it("creates the pre-lab's and the lab's resources and nothing else", async () => {
    const run = await runTeam();
    const counts: Record<string, number> = {};
    for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    assert.deepEqual(counts, {
      "pulumi:providers:aws": 1,
      "aws:kinesis/stream:Stream": 2, // clicks, anomalies
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": 1,
      "aws:cloudwatch/logGroup:LogGroup": 3, // Firehose, Flink, Lambda
      "aws:cloudwatch/logStream:LogStream": 2, // Firehose, Flink
      "aws:s3/bucket:Bucket": 3, // raw (Archive), processed (Alert), code (Analytics)
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 3,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 3,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
      "aws:s3/bucketPolicy:BucketPolicy": 3,
      "aws:iam/role:Role": 6, // Firehose, KDG, Flink, Lambda, Scheduler (stop Flink, disable the KDG user)
      "aws:iam/rolePolicy:RolePolicy": 6,
      "aws:s3/bucketObjectv2:BucketObjectv2": 1, // the JAR
      "aws:kinesisanalyticsv2/application:Application": 1,
      "aws:lambda/function:Function": 1,
      "aws:lambda/eventSourceMapping:EventSourceMapping": 1,
      "aws:sqs/queue:Queue": 1,
      "aws:scheduler/schedule:Schedule": 2, // at endsAt: stop Flink, disable the KDG user
      "aws:cloudwatch/dashboard:Dashboard": 1,
      "aws:cognito/userPool:UserPool": 1,
      "aws:cognito/userPoolClient:UserPoolClient": 1,
      "aws:cognito/user:User": 1,
      "aws:cognito/identityPool:IdentityPool": 1,
      "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "aws:sns/topic:Topic": 1,
      "aws:sns/topicSubscription:TopicSubscription": 1,
      "aws:iam/user:User": 1, // the team's read-only console viewer (TeamView)
      "aws:iam/userLoginProfile:UserLoginProfile": 1,
      "aws:iam/userPolicy:UserPolicy": 1,
    });
  });

  it("exports what attendees and the instructor tools read", async () => {
    const run = await runTeam();
    const o = run.outputs;
    assert.equal(o.team, "alpha");
    assert.equal(o.region, "us-east-1");
    assert.equal(await valueOf(o.ingestStreamName), "clickstream-alpha-clicks");
    assert.equal(await valueOf(o.firehoseName), "clickstream-alpha-archive");
    assert.equal(await valueOf(o.rawBucket), "clickstream-alpha-raw-123456789012");
    assert.equal(await valueOf(o.processedBucket), "clickstream-alpha-processed-123456789012");
    assert.equal(await valueOf(o.kdgUsername), "kdg-user");
    assert.equal(await valueOf(o.topicArn), "arn:aws:sns:us-east-1:123456789012:clickstream-alpha-alerts");
    assert.equal(await valueOf(o.flinkApplicationName), "clickstream-alpha-anomaly-detection");
    assert.equal(await valueOf(o.anomaliesStreamName), "clickstream-alpha-anomalies");
    assert.equal(await valueOf(o.alertFunctionName), "clickstream-alpha-alert");
  });
});
