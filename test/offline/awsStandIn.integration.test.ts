// The stand-in for what moto lacks (offline/awsStandIn.ts), through the real AWS SDK clients:
// Managed Flink's statuses and the calls each one refuses (API reference), scripted faults in each
// protocol, pending e-mail subscriptions, and a handler added for a call moto does not serve.

import { strict as assert } from "node:assert";
import * as flinkApi from "@aws-sdk/client-kinesis-analytics-v2";
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { AwsStandIn, json } from "../../offline/awsStandIn";
import { startMoto, type LocalAws } from "../../offline/moto";

const config = (endpoint: string) => ({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});

describe("the AWS stand-in in front of moto (offline/awsStandIn.ts)", function () {
  this.timeout(60_000);
  let moto: LocalAws;
  let aws: AwsStandIn;
  let flink: flinkApi.KinesisAnalyticsV2Client;
  before(async () => {
    moto = await startMoto();
    aws = await AwsStandIn.start(moto.endpoint, { transitionMs: 100 });
    flink = new flinkApi.KinesisAnalyticsV2Client({ ...config(aws.endpoint), maxAttempts: 1 });
  });
  after(async () => {
    flink?.destroy();
    await aws?.stop();
    await moto?.stop();
  });

  const create = (ApplicationName: string) =>
    flink.send(
      new flinkApi.CreateApplicationCommand({
        ApplicationName,
        RuntimeEnvironment: "FLINK-1_20",
        ServiceExecutionRole: "arn:aws:iam::123456789012:role/r",
      }),
    );
  const status = async (ApplicationName: string) =>
    (await flink.send(new flinkApi.DescribeApplicationCommand({ ApplicationName }))).ApplicationDetail!.ApplicationStatus;
  const until = async (ApplicationName: string, wanted: string) => {
    for (let i = 0; i < 500 && (await status(ApplicationName)) !== wanted; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await status(ApplicationName), wanted);
  };

  it("takes an application through its statuses, each call refused where the API refuses it", async () => {
    const name = "app-life";
    const created = await create(name);
    assert.equal(created.ApplicationDetail!.ApplicationStatus, "READY");
    assert.ok(created.ApplicationDetail!.CreateTimestamp instanceof Date, "timestamps as epoch seconds, which the SDK parses");
    await assert.rejects(flink.send(new flinkApi.StopApplicationCommand({ ApplicationName: name })), /ResourceInUseException|READY/);
    await flink.send(new flinkApi.StartApplicationCommand({ ApplicationName: name }));
    assert.equal(aws.flinkStatusOf(name), "STARTING");
    await assert.rejects(
      flink.send(new flinkApi.DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: new Date() })),
      (e: Error) => e.name === "ResourceInUseException" && /STARTING/.test(e.message),
    );
    await assert.rejects(flink.send(new flinkApi.StopApplicationCommand({ ApplicationName: name })), { name: "ResourceInUseException" });
    await until(name, "RUNNING");
    await flink.send(new flinkApi.UpdateApplicationCommand({ ApplicationName: name, CurrentApplicationVersionId: 1 }));
    assert.equal(await status(name), "UPDATING");
    await assert.rejects(
      flink.send(new flinkApi.DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: new Date() })),
      (e: Error) => e.name === "ResourceInUseException" && /UPDATING/.test(e.message),
    );
    await until(name, "RUNNING");
    await flink.send(new flinkApi.StopApplicationCommand({ ApplicationName: name }));
    assert.equal(await status(name), "STOPPING");
    await assert.rejects(flink.send(new flinkApi.DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: new Date() })), {
      name: "ResourceInUseException",
    });
    await until(name, "READY");
    await flink.send(new flinkApi.DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: new Date() }));
    await assert.rejects(status(name), { name: "ResourceNotFoundException" });
    const listed = await flink.send(new flinkApi.ListApplicationsCommand({}));
    assert.ok(!listed.ApplicationSummaries!.some((s) => s.ApplicationName === name), "a deleted application is not listed");
  });

  it("force-stops from STARTING or UPDATING, as only Force allows", async () => {
    const name = "app-force";
    await create(name);
    aws.setFlinkStatus(name, "UPDATING");
    await assert.rejects(flink.send(new flinkApi.StopApplicationCommand({ ApplicationName: name })), { name: "ResourceInUseException" });
    await flink.send(new flinkApi.StopApplicationCommand({ ApplicationName: name, Force: true }));
    await until(name, "READY");
  });

  it("answers scripted faults in each protocol, then works again", async () => {
    const name = "app-fault";
    await create(name);
    aws.failNext("StartApplication", { type: "ConcurrentModificationException", message: "Another operation is in progress", times: 2 });
    for (let i = 0; i < 2; i++)
      await assert.rejects(flink.send(new flinkApi.StartApplicationCommand({ ApplicationName: name })), {
        name: "ConcurrentModificationException",
        message: "Another operation is in progress",
      });
    assert.equal(aws.failuresLeft("StartApplication"), 0);
    await flink.send(new flinkApi.StartApplicationCommand({ ApplicationName: name }));
    assert.equal(aws.calls("StartApplication").filter((r) => r.input.ApplicationName === name).length, 3);

    const sns = new SNSClient({ ...config(aws.endpoint), maxAttempts: 1 });
    aws.failNext("CreateTopic", { type: "Throttling", message: "Rate exceeded" });
    await assert.rejects(sns.send(new CreateTopicCommand({ Name: "t" })), { name: "Throttling", message: "Rate exceeded" });
    const topic = (await sns.send(new CreateTopicCommand({ Name: "t" }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: "email", Endpoint: "late@example.com" }));
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: "email", Endpoint: "quick@example.com" }));
    aws.pendingEmails.add("late@example.com");
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions!;
    assert.deepEqual(Object.fromEntries(subs.map((s) => [s.Endpoint, s.SubscriptionArn === "PendingConfirmation"])), {
      "late@example.com": true,
      "quick@example.com": false,
    });
    sns.destroy();

    aws.failNext("GET /2016-08-19/account-settings/", { type: "TooManyRequestsException", message: "Rate exceeded", status: 429 });
    const refused = await accountSettings(aws.endpoint);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("x-amzn-errortype"), "TooManyRequestsException", "restJson1 carries the error's type in this header");
    assert.deepEqual(await refused.json(), { message: "Rate exceeded", Type: "User" });
  });

  it("answers a call through a handler added with on(), moto one forward() away", async () => {
    aws.on("lambda", "GET /2016-08-19/account-settings/", () =>
      json(200, { AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 }, AccountUsage: {} }),
    );
    const settings = (await (await accountSettings(aws.endpoint)).json()) as { AccountLimit: { ConcurrentExecutions: number } };
    assert.equal(settings.AccountLimit.ConcurrentExecutions, 10);
    const other = aws.calls("GET /2016-08-19/account-settings/").at(-1)!;
    assert.equal(other.service, "lambda");
    assert.equal(other.protocol, "rest");
  });
});

/** Lambda's GetAccountSettings (restJson1) as the SDK sends it: the stand-in reads the service from the SigV4 scope. */
function accountSettings(endpoint: string): Promise<Response> {
  return fetch(`${endpoint}/2016-08-19/account-settings/`, {
    headers: {
      authorization: "AWS4-HMAC-SHA256 Credential=testing/20261206/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0",
    },
  });
}
