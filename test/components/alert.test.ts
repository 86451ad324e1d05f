import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { ALERT_RUNTIME } from "../../components/alert";
import { grants, runTeam, type TeamRun } from "../support";

describe("alert (Lambda on the anomalies stream)", () => {
  let run: TeamRun;
  before(async () => {
    run = await runTeam({ logRetentionDays: "14" });
  });

  it("runs the newest Node.js runtime the provider offers, on arm64", () => {
    const newest = Object.values(aws.lambda.Runtime)
      .filter((r) => /^nodejs\d+\.x$/.test(r))
      .sort((a, b) => parseInt(b.slice(6)) - parseInt(a.slice(6)))[0];
    assert.equal(ALERT_RUNTIME, newest);
    const f = run.one("aws:lambda/function:Function").inputs;
    assert.equal(f.runtime, newest);
    assert.deepEqual(f.architectures, ["arm64"]);
    assert.equal(f.handler, "index.handler");
    assert.deepEqual((f.environment as { variables: Record<string, string> }).variables, {
      TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:clickstream-alpha-alerts",
      PROCESSED_BUCKET: "clickstream-alpha-processed-123456789012",
      WINDOW_SECONDS: "10",
    });
    assert.equal((f.loggingConfig as { logGroup: string }).logGroup, "/aws/lambda/clickstream-alpha-alert");
    assert.equal(run.one("aws:cloudwatch/logGroup:LogGroup", "alert-logs").inputs.retentionInDays, 14);
  });

  it("reads the anomalies stream with partial batch responses, bisecting, bounded retries and a queue for what still fails", () => {
    const m = run.one("aws:lambda/eventSourceMapping:EventSourceMapping").inputs;
    const queue = run.one("aws:sqs/queue:Queue");
    assert.equal(m.eventSourceArn, "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-anomalies");
    assert.equal(m.functionName, "arn:aws:lambda:us-east-1:123456789012:function:clickstream-alpha-alert");
    assert.deepEqual(m.functionResponseTypes, ["ReportBatchItemFailures"]);
    assert.equal(m.bisectBatchOnFunctionError, true);
    assert.equal(m.maximumRetryAttempts, 3);
    assert.equal(m.maximumRecordAgeInSeconds, 3600);
    assert.deepEqual(m.destinationConfig, { onFailure: { destinationArn: queue.state.arn } });
    assert.equal(queue.inputs.sqsManagedSseEnabled, true);
  });

  it("tells the handler the window length the Flink application runs with", () => {
    const app = run.one("aws:kinesisanalyticsv2/application:Application").inputs as {
      applicationConfiguration: {
        environmentProperties: { propertyGroups: { propertyGroupId: string; propertyMap: Record<string, string> }[] };
      };
    };
    const detection = app.applicationConfiguration.environmentProperties.propertyGroups.find((g) => g.propertyGroupId === "Detection")!;
    const f = run.one("aws:lambda/function:Function").inputs as { environment: { variables: Record<string, string> } };
    assert.equal(f.environment.variables.WINDOW_SECONDS, detection.propertyMap["window.seconds"]);
  });

  it("may only read its stream, publish to its topic, write processed CSVs and its window ledger, keep failures and log", () => {
    const g = grants(run, "clickstream-alpha-alert");
    assert.deepEqual(g.get("sns:Publish"), ["arn:aws:sns:us-east-1:123456789012:clickstream-alpha-alerts"]);
    assert.deepEqual(g.get("s3:PutObject"), [
      "arn:aws:s3:::clickstream-alpha-processed-123456789012/weblogs/processed/*",
      "arn:aws:s3:::clickstream-alpha-processed-123456789012/alert-ledger/*",
    ]);
    // Read back only its ledger (after a 412), not the CSVs or the Flink JAR beside them.
    assert.deepEqual(g.get("s3:GetObject"), ["arn:aws:s3:::clickstream-alpha-processed-123456789012/alert-ledger/*"]);
    assert.deepEqual(g.get("sqs:SendMessage"), ["arn:aws:sqs:us-east-1:123456789012:clickstream-alpha-alert-failed"]);
    assert.deepEqual(g.get("kinesis:GetRecords"), ["arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-anomalies"]);
    assert.equal(g.has("kinesis:PutRecords"), false);
  });
});
