import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jarAsset, propertyContract, requireJar, sqlIdentity, sqlIdentityOfKey } from "../../components/analytics";
import { teamStack } from "../../infra/teamStack";
import { MockAccount } from "../../offline/fakeAws/account";
import { config, grants, runTeam, type TeamRun } from "../support";

const APP = "clickstream-alpha-anomaly-detection";
const ARN = (s: string) => `arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-${s}`;

describe("analytics (Managed Flink)", () => {
  let run: TeamRun;
  let app: Record<string, any>;
  before(async () => {
    run = await runTeam({ anomalyThreshold: "2.5", logRetentionDays: "14" });
    app = run.one("aws:kinesisanalyticsv2/application:Application").inputs as Record<string, any>;
  });

  it("runs Flink 1.20 on one KPU, no autoscaling, started on pulumi up", () => {
    assert.equal(app.name, APP);
    assert.equal(app.runtimeEnvironment, "FLINK-1_20");
    assert.equal(app.startApplication, true);
    assert.deepEqual(app.applicationConfiguration.flinkApplicationConfiguration.parallelismConfiguration, {
      configurationType: "CUSTOM",
      parallelism: 1,
      parallelismPerKpu: 1,
      autoScalingEnabled: false,
    });
  });

  it("keeps its state: checkpoints, snapshots, and every update and start restores the latest, skipping state no operator claims (issue #22)", () => {
    const c = app.applicationConfiguration;
    assert.equal(c.flinkApplicationConfiguration.checkpointConfiguration.configurationType, "DEFAULT");
    assert.equal(c.applicationSnapshotConfiguration.snapshotsEnabled, true);
    // allowNonRestoredState false left an application whose snapshot did not match its new job in
    // UPDATING (AWS, "Manage application backups using snapshots").
    assert.deepEqual(c.runConfiguration, {
      applicationRestoreConfiguration: { applicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
      flinkRunConfiguration: { allowNonRestoredState: true },
    });
  });

  it("logs to its own log group, kept for the configured days", () => {
    const group = run.one("aws:cloudwatch/logGroup:LogGroup", "analytics-logs");
    assert.equal(group.inputs.name, `/aws/kinesis-analytics/${APP}`);
    assert.equal(group.inputs.retentionInDays, 14);
    assert.equal(
      app.cloudwatchLoggingOptions.logStreamArn,
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesis-analytics/${APP}:log-stream:application`,
    );
  });

  it("carries stream names, region, threshold and the forest's parameters as property groups", () => {
    const groups = Object.fromEntries(
      (
        app.applicationConfiguration.environmentProperties.propertyGroups as {
          propertyGroupId: string;
          propertyMap: Record<string, string>;
        }[]
      ).map((g) => [g.propertyGroupId, g.propertyMap]),
    );
    assert.deepEqual(groups.IngestStream, {
      "stream.name": "clickstream-alpha-clicks",
      "aws.region": "us-east-1",
      "initial.position": "LATEST",
      "getrecords.interval.ms": "1000",
    });
    assert.deepEqual(groups.AnomaliesStream, { "stream.name": "clickstream-alpha-anomalies", "aws.region": "us-east-1" });
    assert.deepEqual(groups.Detection, { "window.seconds": "10", "anomaly.threshold": "2.5", "min.ctr.change": "0.5" });
    assert.deepEqual(groups.RandomCutForest, {
      "number.of.trees": "100",
      "sub.sample.size": "12",
      "time.decay": "100000",
      "shingle.size": "1",
    });
  });

  it("writes to a provisioned one-shard anomalies stream", () => {
    const s = run.all("aws:kinesis/stream:Stream").find((r) => r.inputs.name === "clickstream-alpha-anomalies")!;
    assert.deepEqual([s.inputs.shardCount, (s.inputs.streamModeDetails as { streamMode: string }).streamMode], [1, "PROVISIONED"]);
  });

  it("runs the JAR uploaded under its content hash and its SQL's identity, so a new build redeploys and a preview tells a changed query", async () => {
    const key = String(run.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs.key);
    assert.match(key, /^code\/clickstream-analytics-[0-9a-f]{16}-sql-[0-9a-f]{12}\.jar$/);
    assert.equal(sqlIdentityOfKey(key), sqlIdentity());
    assert.equal(app.applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey, key);
    const other = join(mkdtempSync(join(tmpdir(), "jar-")), "x.jar");
    writeFileSync(other, "another build");
    assert.notEqual(jarAsset(other).key, key);
    const again = await runTeam({ anomalyThreshold: "2.5" });
    assert.equal(again.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs.key, key, "the same JAR keeps its key: no update");
  });

  it("runs the JAR from its own code bucket, which keeps it until destroy (test/components/buckets.test.ts)", () => {
    const code = "clickstream-alpha-code-123456789012";
    assert.equal(run.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs.bucket, code);
    assert.equal(app.applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.bucketArn, `arn:aws:s3:::${code}`);
  });

  it("may read only this team's clicks, write only its anomalies, read only its JAR, write only its logs", () => {
    const g = grants(run, "clickstream-alpha-flink");
    const key = String(run.one("aws:s3/bucketObjectv2:BucketObjectv2").inputs.key);
    assert.deepEqual(g.get("kinesis:GetRecords"), [ARN("clicks")]);
    assert.deepEqual(g.get("kinesis:PutRecords"), [ARN("anomalies")]);
    assert.deepEqual(g.get("s3:GetObject"), [`arn:aws:s3:::clickstream-alpha-code-123456789012/${key}`]);
    const group = `arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesis-analytics/${APP}`;
    assert.deepEqual(g.get("logs:PutLogEvents"), [group, `${group}:log-stream:*`]);
    assert.deepEqual([...g.keys()].sort(), [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
      "kinesis:PutRecord",
      "kinesis:PutRecords",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "s3:GetObject",
      "s3:GetObjectVersion",
    ]);
  });

  it("stops at once, naming the command, when the JAR has not been built", async () => {
    assert.throws(
      () => requireJar("/nowhere/clickstream-analytics-1.0.0.jar"),
      /JAR is missing \(\/nowhere\/clickstream-analytics-1\.0\.0\.jar\)\. Build it first: npm run build:jar/,
    );
    const account = new MockAccount();
    await assert.rejects(
      account.run("s", () => teamStack(config(), "s", { jarPath: "/nowhere/x.jar" })),
      /npm run build:jar/,
    );
  });

  it("has a contract with every key it sets", () => {
    const contract = propertyContract().groups;
    const groups = app.applicationConfiguration.environmentProperties.propertyGroups as {
      propertyGroupId: string;
      propertyMap: Record<string, string>;
    }[];
    for (const g of groups)
      for (const k of Object.keys(g.propertyMap)) assert.ok(contract[g.propertyGroupId]?.[k], `${g.propertyGroupId}.${k}`);
  });
});
