// The instructor checks (status, smoke, cost) through the command line, in-process, against the
// fake workspace (stack outputs) and moto's server (the teams' AWS resources), with the stand-in
// (offline/awsStandIn.ts) for what moto lacks (Managed Flink Start/Stop, pending e-mail subscriptions).

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateApplicationCommand, KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { dashboardUrl } from "../../components/dashboard";
import { teamNames, teamStackName } from "../../infra/naming";
import { objectKey } from "../../lambda/alert";
import { AwsStandIn } from "../../offline/awsStandIn";
import { startMoto, type LocalAws } from "../../offline/moto";
import { kinesisClientConfig } from "../../traffic/targets";
import { alertObjects, dayPrefix } from "../../workshop/alerts";
import { residualOf } from "../../workshop/spend";
import type { TeamRecord } from "../../workshop/state";
import type { OutputValue } from "../../workshop/workspace";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";
import { workshopInProcess } from "../support/workshopCli";

const EVENT = "immersion-day";
const ACCOUNT = "123456789012";

/** The fake workspace, answering each stack's outputs as infra/index.ts exports them. */
class OutputsWorkspace extends MemoryWorkspace {
  readonly named = new Map<string, Record<string, string>>();
  override async outputs(stack: string): Promise<Record<string, OutputValue>> {
    const base = await super.outputs(stack);
    return {
      ...base,
      ...Object.fromEntries(Object.entries(this.named.get(stack) ?? {}).map(([k, v]) => [k, { value: v, secret: false }])),
    };
  }
}

describe("workshop status, smoke and cost (moto, fake workspace)", function () {
  this.timeout(120_000);
  let moto: LocalAws;
  let aws: AwsStandIn;
  let clients: { kinesis: KinesisClient; s3: S3Client; sns: SNSClient; flink: KinesisAnalyticsV2Client; logs: CloudWatchLogsClient };
  const dir = mkdtempSync(join(tmpdir(), "checks-"));
  const ws = new OutputsWorkspace();
  const records: Record<string, TeamRecord> = {};

  /** One team's resources in moto, named as the program names them, and its stack in the fake workspace. */
  async function team(
    name: string,
    {
      endsAt = "2027-06-30T17:00:00Z",
      status = "up",
      flink = "RUNNING",
    }: { endsAt?: string; status?: TeamRecord["status"]; flink?: string } = {},
  ): Promise<ReturnType<typeof teamNames>> {
    const n = teamNames(EVENT, name);
    const stack = teamStackName(EVENT, name);
    records[name] = {
      stack,
      status,
      configHash: "",
      endsAt,
      updatedAt: "2026-11-28T09:00:00Z",
      ...(status === "failed" ? { error: "up failed: quota exceeded\nmore" } : {}),
    };
    if (status !== "up") return n;
    for (const s of [n.ingestStream, n.anomaliesStream])
      await clients.kinesis.send(new CreateStreamCommand({ StreamName: s, ShardCount: 1 }));
    for (const b of ["raw", "processed"] as const) await clients.s3.send(new CreateBucketCommand({ Bucket: n.bucket(b, ACCOUNT) }));
    const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: n.topic }))).TopicArn!;
    await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: `${name}@example.com` }));
    await clients.flink.send(
      new CreateApplicationCommand({
        ApplicationName: n.analyticsApp,
        RuntimeEnvironment: "FLINK-1_20",
        ServiceExecutionRole: `arn:aws:iam::${ACCOUNT}:role/${n.analyticsRole}`,
        ApplicationConfiguration: {
          FlinkApplicationConfiguration: {
            ParallelismConfiguration: { ConfigurationType: "CUSTOM", Parallelism: 1, ParallelismPerKPU: 1, AutoScalingEnabled: false },
          },
        },
      }),
    );
    aws.setFlinkStatus(n.analyticsApp, flink);
    ws.stacks.set(stack, { team: name, stack, config: {} });
    ws.named.set(stack, {
      team: name,
      region: "us-east-1",
      ingestStreamName: n.ingestStream,
      anomaliesStreamName: n.anomaliesStream,
      rawBucket: n.bucket("raw", ACCOUNT),
      processedBucket: n.bucket("processed", ACCOUNT),
      topicArn,
      flinkApplicationName: n.analyticsApp,
      dashboardUrl: dashboardUrl("us-east-1", n.dashboard),
    });
    return n;
  }

  function writeState(): string {
    const path = join(dir, `state-${Object.keys(records).join("-")}.json`);
    writeFileSync(path, JSON.stringify({ teams: records }));
    return path;
  }

  /** Runs `npm run workshop -- …` in-process; what it printed and the exit code it set. */
  const workshop = (args: string[], now = new Date()) =>
    workshopInProcess(["--state", writeState(), "--endpoint", aws.endpoint, ...args], { workspace: () => ws, now: () => now });

  before(async () => {
    moto = await startMoto();
    // Transitions at once: these checks read statuses, they do not wait on them (extend's tests do).
    aws = await AwsStandIn.start(moto.endpoint, { transitionMs: 0 });
    const config = kinesisClientConfig({ region: "us-east-1", endpoint: aws.endpoint });
    clients = {
      kinesis: new KinesisClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
      sns: new SNSClient(config),
      flink: new KinesisAnalyticsV2Client(config),
      logs: new CloudWatchLogsClient(config),
    };
  });
  after(async () => {
    Object.values(clients ?? {}).forEach((c) => c.destroy());
    await aws?.stop();
    await moto?.stop();
  });
  afterEach(() => {
    for (const k of Object.keys(records)) delete records[k];
  });

  describe("status", () => {
    it("shows each team's Flink status, a pending subscription, the last alert, and a failed team's reason", async () => {
      const a = await team("st-a");
      await team("st-b", { flink: "READY" });
      await team("st-c", { status: "failed" });
      aws.pendingEmails.add("st-b@example.com");
      const row = {
        ctrPercent: 300,
        anomalyScore: 3.1,
        clicks: 30,
        impressions: 10,
        windowStart: "2026-11-28T10:00:00Z",
        windowEnd: "2026-11-28T10:00:10Z",
      };
      await clients.s3.send(new PutObjectCommand({ Bucket: a.bucket("processed", ACCOUNT), Key: objectKey(row), Body: "300,3.1\n" }));
      const now = new Date(Date.now() + 5 * 60_000);
      const r = await workshop(["status"], now);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^TEAM +STACK +STATUS +FLINK +E-MAIL +LAST ALERT/m);
      assert.match(r.out, /^st-a +immersion-day-st-a +up +RUNNING +confirmed +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \([45] min ago\)/m);
      assert.match(r.out, /^st-b +immersion-day-st-b +up +READY +PENDING \(not confirmed\) +none yet/m);
      assert.match(r.out, /^st-c +immersion-day-st-c +failed .* up failed: quota exceeded$/m);
      assert.match(r.out, /No e-mail will reach st-b until the address confirms/);
      assert.doesNotMatch(r.out, /still bill/, "no team has ended");
    });

    it("after endsAt, shows what still bills per day: two shards, and the stored bytes", async () => {
      const n = await team("st-d", { endsAt: "2026-11-28T18:00:00Z", flink: "READY" });
      await clients.s3.send(
        new PutObjectCommand({ Bucket: n.bucket("raw", ACCOUNT), Key: "weblogs/raw/x.gz", Body: Buffer.alloc(3 * 1024 * 1024) }),
      );
      await clients.logs.send(new CreateLogGroupCommand({ logGroupName: n.analyticsLogGroup }));
      await clients.logs.send(new CreateLogStreamCommand({ logGroupName: n.analyticsLogGroup, logStreamName: "application" }));
      await clients.logs.send(
        new PutLogEventsCommand({
          logGroupName: n.analyticsLogGroup,
          logStreamName: "application",
          logEvents: [{ timestamp: Date.now(), message: "x".repeat(1000) }],
        }),
      );
      const r = await workshop(["status", "--team", "st-d"]);
      assert.equal(r.code, 0, r.err);
      // 2 shards × $0.015 × 24 h = $0.72; 3 MB of S3 is a fraction of a cent.
      assert.match(r.out, /^st-d .*2026-11-28T18:00:00Z \(ended\) +\$0\.72\/day/m);
      assert.match(r.out, /1 team\(s\) still bill \$0\.72 a day \(\$21\.60 a month\) until destroy/);
      assert.match(r.out, /st-d: 2 shard\(s\) \$0\.72, S3 3\.0 MB \$0\.00, logs \d+\.\d MB \$0\.00/);
      assert.match(r.out, /destroy --expired/);
    });

    it("keeps one team's AWS error on its own line and reports the others", async () => {
      await team("st-e");
      await team("st-f");
      ws.named.set("immersion-day-st-e", {
        ...ws.named.get("immersion-day-st-e")!,
        flinkApplicationName: "gone-app",
        processedBucket: "no-such-bucket-xyz",
      });
      const r = await workshop(["status"]);
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /^st-e +\S+ +up +- +confirmed +- .*(?=.*Flink application: ResourceNotFoundException: Application gone-app not found)(?=.*alerts: NoSuchBucket)/m,
      );
      assert.match(r.out, /^st-f +\S+ +up +RUNNING +confirmed +none yet/m);
    });

    it("reads through SNS throttling (the SDK retries it), and names it when it does not let up", async () => {
      await team("st-h");
      aws.failNext("ListSubscriptionsByTopic", { status: 400, type: "Throttling", message: "Rate exceeded", times: 2 });
      const through = await workshop(["status", "--team", "st-h"]);
      assert.match(through.out, /^st-h +\S+ +up +RUNNING +confirmed +none yet/m);
      aws.failNext("ListSubscriptionsByTopic", { status: 400, type: "Throttling", message: "Rate exceeded", times: 10 });
      const r = await workshop(["status", "--team", "st-h"]);
      aws.clearFailures("ListSubscriptionsByTopic");
      assert.match(r.out, /^st-h +\S+ +up +RUNNING +- +none yet .*subscription: Throttling: Rate exceeded$/m);
    });

    it("names an unknown team and lists the known ones", async () => {
      await team("st-g");
      const e = await workshop(["status", "--team", "nope"]).catch((x: Error) => x);
      assert.ok(e instanceof Error);
      assert.match(e.message, /not in the state file: nope \(known: st-g\)/);
    });
  });

  describe("smoke", () => {
    /**
     * A stand-in for a team's pipeline (Flink job and alert function): it reads the team's ingest
     * stream and, once the burst's windows send, writes the alert CSV where the function would.
     */
    function pipeline(n: ReturnType<typeof teamNames>): { stop: () => void; done: Promise<void> } {
      let running = true;
      const done = (async () => {
        let it = (
          await clients.kinesis.send(
            new GetShardIteratorCommand({ StreamName: n.ingestStream, ShardId: "shardId-000000000000", ShardIteratorType: "LATEST" }),
          )
        ).ShardIterator;
        while (running) {
          const page = await clients.kinesis.send(new GetRecordsCommand({ ShardIterator: it! }));
          it = page.NextShardIterator;
          if ((page.Records ?? []).some((r) => r.PartitionKey?.startsWith("burst-"))) {
            const start = new Date(Math.floor(Date.now() / 10_000) * 10_000);
            const row = {
              ctrPercent: 400,
              anomalyScore: 3.2,
              clicks: 40,
              impressions: 10,
              windowStart: start.toISOString().replace(".000", ""),
              windowEnd: new Date(start.getTime() + 10_000).toISOString().replace(".000", ""),
            };
            await clients.s3.send(new PutObjectCommand({ Bucket: n.bucket("processed", ACCOUNT), Key: objectKey(row), Body: "400,3.2\n" }));
            return;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      return { stop: () => void (running = false), done };
    }

    it("passes the teams whose pipeline alerts, fails the silent one and the one without a stream, exit 1", async () => {
      const ok1 = await team("sm-a");
      const ok2 = await team("sm-b");
      await team("sm-c");
      await team("sm-d");
      ws.named.set("immersion-day-sm-d", { ...ws.named.get("immersion-day-sm-d")!, ingestStreamName: "deleted-stream" });
      // An old alert must not count: smoke wants one written after it started.
      const old = {
        ctrPercent: 1,
        anomalyScore: 3,
        clicks: 1,
        impressions: 1,
        windowStart: "2026-11-27T10:00:00Z",
        windowEnd: "2026-11-27T10:00:10Z",
      };
      await clients.s3.send(
        new PutObjectCommand({ Bucket: teamNames(EVENT, "sm-c").bucket("processed", ACCOUNT), Key: objectKey(old), Body: "old\n" }),
      );
      const pipes = [pipeline(ok1), pipeline(ok2)];
      const t0 = Date.now();
      const r = await workshop([
        "smoke",
        "--compression",
        "10",
        "--steady-seconds",
        "20",
        "--timeout",
        "12",
        "--poll",
        "0.5",
        "--concurrency",
        "4",
      ]);
      pipes.forEach((p) => p.stop());
      await Promise.all(pipes.map((p) => p.done));
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(
        r.out,
        /^sm-a +PASS +alerted +\d+ s +\d+ +s3:\/\/immersion-day-sm-a-processed-123456789012\/weblogs\/processed\/\d{4}\/\d\d\/\d\d\/\S+\.csv$/m,
      );
      assert.match(r.out, /^sm-b +PASS +alerted/m);
      assert.match(r.out, /^sm-c +FAIL +no alert +1[2-4] s +\d+ +no new CSV under weblogs\/processed\/ in 12 s$/m);
      assert.match(r.out, /^sm-d +FAIL +error +\d+ s +0 +sending: .*ResourceNotFoundException/m);
      assert.match(r.out, /smoke: 2 of 4 team\(s\) alerted, 2 failed\./);
      // The passing teams end when their CSV appears (the burst is at 2 s), not at the timeout.
      const passed = [...r.out.matchAll(/^sm-[ab] +PASS +alerted +(\d+) s/gm)].map((m) => Number(m[1]));
      assert.ok(
        passed.every((s) => s < 10),
        `passing teams took ${passed.join(", ")} s`,
      );
      assert.ok(Date.now() - t0 < 30_000);
    });

    it("passes a team whose stream throttles the first puts: the sender retries what Kinesis refused", async () => {
      const n = await team("sm-f");
      aws.failNext("PutRecords", {
        status: 400,
        type: "ProvisionedThroughputExceededException",
        message: "Rate exceeded for shard shardId-000000000000",
        times: 3,
      });
      const pipe = pipeline(n);
      const r = await workshop([
        "smoke",
        "--team",
        "sm-f",
        "--compression",
        "10",
        "--steady-seconds",
        "20",
        "--timeout",
        "20",
        "--poll",
        "0.5",
      ]);
      pipe.stop();
      await pipe.done;
      assert.equal(aws.failuresLeft("PutRecords"), 0, "all three refusals were used");
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /^sm-f +PASS +alerted/m);
    });

    it("reads alert evidence newer than a time, across a day boundary's prefix", async () => {
      const n = await team("sm-e");
      const bucket = n.bucket("processed", ACCOUNT);
      const row = (day: string) => ({
        ctrPercent: 1,
        anomalyScore: 3,
        clicks: 1,
        impressions: 1,
        windowStart: `${day}T23:59:50Z`,
        windowEnd: `${day}T23:59:59Z`,
      });
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(row("2020-01-01")), Body: "x" }));
      const since = new Date(Date.now() - 2000);
      const today = new Date().toISOString().slice(0, 10);
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(row(today)), Body: "y" }));
      assert.deepEqual(
        (await alertObjects(clients.s3, bucket, since)).map((o) => o.key),
        [objectKey(row(today))],
      );
      assert.equal((await alertObjects(clients.s3, bucket)).length, 2);
      assert.equal(dayPrefix(new Date("2027-01-02T00:00:00Z")), "weblogs/processed/2027/01/02/");
    });
  });

  describe("cost", () => {
    /** The StopApplication calls received for applications whose name holds `part`, as "StopApplication <name>". */
    const stopsOf = (part: string) =>
      aws
        .calls("StopApplication")
        .map((r) => `StopApplication ${String(r.input.ApplicationName)}`)
        .filter((c) => c.includes(part));
    it("prices each team from its live resources, marks teams over the cap and stops their applications", async () => {
      await team("co-a");
      await team("co-b", { flink: "READY" });
      const now = new Date(Date.now() + 10 * 3_600_000);
      // Ten hours after creation: the running team has spent (2 shards + dashboard) × 10 h + (Flink 2 KPU + traffic) × 10 h ≈ $2.7.
      const r = await workshop(["cost", "--cap", "1", "--stop-over-cap"], now);
      assert.equal(r.code, 0, r.err + r.out);
      const a = /^co-a +RUNNING +\$(\d+\.\d\d)\/h +(\d+\.\d) h +\$(\d+\.\d\d) +- +OVER +stopped$/m.exec(r.out);
      assert.ok(a, r.out);
      assert.ok(Number(a[1]) > 0.25 && Number(a[1]) < 0.32, `running team's rate ${a[1]}`);
      assert.equal(Number(a[2]), 10);
      assert.ok(Number(a[3]) > 2.5 && Number(a[3]) < 3.2, `running team's spend ${a[3]}`);
      // The stopped team's Flink hours run until endsAt at most, which is months away: still over.
      assert.match(r.out, /^co-b +READY +\$0\.03\/h .* OVER +not running \(READY\)$/m);
      assert.deepEqual(stopsOf("co-"), ["StopApplication immersion-day-co-a-anomaly-detection"]);
      assert.equal(aws.flinkStatusOf("immersion-day-co-a-anomaly-detection"), "READY");
    });

    it("reports a refused stop and exits 1; without --stop-over-cap it only marks", async () => {
      await team("co-c");
      const now = new Date(Date.now() + 10 * 3_600_000);
      const marked = await workshop(["cost", "--cap", "1"], now);
      assert.equal(marked.code, 0);
      assert.match(marked.out, /^co-c +RUNNING .* OVER$/m);
      assert.deepEqual(stopsOf("co-c"), []);
      aws.failNext("StopApplication", {
        status: 400,
        type: "ConcurrentModificationException",
        message: "Another update is in progress",
      });
      const r = await workshop(["cost", "--cap", "1", "--stop-over-cap"], now);
      assert.equal(r.code, 1);
      assert.match(r.out, /^co-c +RUNNING .* OVER +stop failed: ConcurrentModificationException: Another update is in progress$/m);
      const under = await workshop(["cost", "--cap", "1000", "--stop-over-cap"], now);
      assert.match(under.out, /^co-c +RUNNING .* ok$/m);
    });

    it("refuses --stop-over-cap without a cap", async () => {
      await team("co-d");
      await assert.rejects(workshop(["cost", "--stop-over-cap"]), /--stop-over-cap needs --cap <usd>/);
    });
  });

  it("hands out each team's dashboard beside its KDG sign-in", async () => {
    await team("ro-a");
    const r = await workshop(["roster", "--format", "csv"]);
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      "team,KDG URL,username,password,dashboard\nro-a,https://kdg/ro-a,kdg-user,pw-ro-a,https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/immersion-day-ro-a-clickstream\n",
    );
    assert.match(r.err, /WARNING: this hand-out contains KDG passwords/);
  });

  it("prices the residual from the cost model's shard price and storage prices", () => {
    const r = residualOf(
      [
        { name: "a", mode: "PROVISIONED", openShards: 1, retentionHours: 24 },
        { name: "b", mode: "PROVISIONED", openShards: 1, retentionHours: 24 },
      ],
      10 * 1024 ** 3,
      1024 ** 3,
    );
    // $0.72 of shards + 10 GB × $0.023 / 30 + 1 GB × $0.03 / 30 = 0.72 + 0.00767 + 0.001
    assert.equal(r.usdPerDay.toFixed(4), "0.7287");
    // Issue 17's figures: about $22 per team per month, about $650 for 30 teams.
    assert.equal(Math.round(r.parts[0]!.usdPerDay * 30), 22);
    assert.equal(Math.round(r.parts[0]!.usdPerDay * 30 * 30), 648);
  });
});
