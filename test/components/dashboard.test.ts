import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { dashboardBody, dashboardUrl, FLINK_METRICS, FLINK_SERVICE_METRICS } from "../../components/dashboard";
import { AwsRuleViolation, MockAccount, valueOf } from "../../offline/fakeAws/account";
import { dashboardBodyProblems, NAMES, RULES } from "../../offline/fakeAws/rules";
import { runTeam } from "../support";

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title?: string;
    markdown?: string;
    metrics?: unknown[][];
    annotations?: { horizontal?: { value: number; label: string }[] };
    region?: string;
  };
}

const widgetsOf = (body: unknown) => (JSON.parse(String(body)) as { widgets: Widget[] }).widgets;
/** Each metric line as "namespace metric dim=value ...". */
const lines = (w: Widget) =>
  (w.properties.metrics ?? []).map((m) => {
    const names = m.filter((x): x is string => typeof x === "string");
    const dims = [];
    for (let i = 2; i < names.length; i += 2) dims.push(`${names[i]}=${names[i + 1]}`);
    return [names[0], names[1], ...dims].join(" ");
  });

describe("dashboard", () => {
  it("shows the team's own ingest stream, Flink application, topic and function, and the threshold as a line", async () => {
    const run = await runTeam({ anomalyThreshold: "2.5" });
    const d = run.one("aws:cloudwatch/dashboard:Dashboard");
    assert.equal(d.inputs.dashboardName, "clickstream-alpha-clickstream");
    const widgets = widgetsOf(d.inputs.dashboardBody);
    const byTitle = (t: RegExp) => {
      const w = widgets.find((x) => t.test(x.properties.title ?? ""));
      assert.ok(w, `a widget titled ${t}`);
      return w;
    };
    const app = "Application=clickstream-alpha-anomaly-detection";
    assert.deepEqual(lines(byTitle(/Records in/)), ["AWS/Kinesis IncomingRecords StreamName=clickstream-alpha-clicks"]);
    assert.deepEqual(lines(byTitle(/Clicks and impressions/)), [
      `AWS/KinesisAnalytics clicks ${app}`,
      `AWS/KinesisAnalytics impressions ${app}`,
    ]);
    assert.deepEqual(lines(byTitle(/Click-through rate/)), [`AWS/KinesisAnalytics ctrPercent ${app}`]);
    const score = byTitle(/Anomaly score/);
    assert.deepEqual(lines(score), [`AWS/KinesisAnalytics anomalyScore ${app}`]);
    assert.deepEqual(
      score.properties.annotations?.horizontal?.map((a) => a.value),
      [2.5],
    );
    assert.deepEqual(lines(byTitle(/Alerts/)), [
      "AWS/SNS NumberOfMessagesPublished TopicName=clickstream-alpha-alerts",
      "AWS/Lambda Errors FunctionName=clickstream-alpha-alert",
    ]);
    assert.deepEqual(lines(byTitle(/Flink application/)), [
      `AWS/KinesisAnalytics uptime ${app}`,
      `AWS/KinesisAnalytics fullRestarts ${app}`,
    ]);
    assert.deepEqual(lines(byTitle(/Late records/)), [`AWS/KinesisAnalytics lateRecords ${app}`]);
    for (const w of widgets.filter((x) => x.type === "metric")) assert.equal(w.properties.region, "us-east-1", w.properties.title);
    assert.match(widgets[0]!.properties.markdown ?? "", /above \*\*2\.5\*\*/);
    assert.deepEqual(dashboardBodyProblems(d.inputs.dashboardBody), []);
  });

  it("graphs every metric of the contract with the job, and Managed Flink's uptime and restarts", () => {
    const body = dashboardBody({
      region: "us-east-1",
      ingestStreamName: "s",
      applicationName: "a",
      topicName: "t",
      alertFunctionName: "f",
      anomalyThreshold: 2,
    });
    const all = widgetsOf(body).flatMap(lines);
    for (const m of [
      FLINK_METRICS.clicks,
      FLINK_METRICS.impressions,
      FLINK_METRICS.ctrPercent,
      FLINK_METRICS.anomalyScore,
      FLINK_METRICS.lateRecords,
      FLINK_SERVICE_METRICS.uptime,
      FLINK_SERVICE_METRICS.fullRestarts,
    ])
      assert.ok(all.includes(`AWS/KinesisAnalytics ${m} Application=a`), m);
  });

  it("puts its console URL in the stack outputs", async () => {
    const run = await runTeam();
    assert.equal(
      await valueOf(run.outputs.dashboardUrl),
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/clickstream-alpha-clickstream",
    );
    assert.equal(
      dashboardUrl("eu-west-1", "a b"),
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/a%20b",
    );
  });

  describe("the fake account refuses what PutDashboard refuses", () => {
    const good = dashboardBody({
      region: "us-east-1",
      ingestStreamName: "s",
      applicationName: "a",
      topicName: "t",
      alertFunctionName: "f",
      anomalyThreshold: 2,
    });
    const rule = RULES["aws:cloudwatch/dashboard:Dashboard"]!;
    const ctx = { region: "us-east-1", cloud: { accountId: "123456789012", find: () => undefined } };

    it("names: 1 to 255 of A-Z a-z 0-9 - _", () => {
      assert.deepEqual(NAMES.dashboard("team-a_1"), []);
      assert.match(NAMES.dashboard("").join(), /0 characters/);
      assert.match(NAMES.dashboard("d".repeat(256)).join(), /256 characters; AWS allows 1 to 255/);
      assert.deepEqual(NAMES.dashboard("d".repeat(255)), []);
      assert.match(NAMES.dashboard("team.a").join(), /characters AWS does not allow/);
      assert.match(NAMES.dashboard("team a").join(), /characters AWS does not allow/);
    });

    it("bodies: JSON, a widgets array, widgets on the grid, metric lines of names and pairs", () => {
      const one = (w: unknown) => dashboardBodyProblems(JSON.stringify({ widgets: [w] })).join("\n");
      const metric = (props: Record<string, unknown>, place: Record<string, unknown> = {}) => ({
        type: "metric",
        x: 0,
        y: 0,
        width: 6,
        height: 6,
        ...place,
        properties: { region: "us-east-1", metrics: [["AWS/SNS", "NumberOfMessagesPublished", "TopicName", "t"]], ...props },
      });
      assert.deepEqual(rule({ dashboardName: "ok", dashboardBody: good }, ctx), []);
      assert.match(dashboardBodyProblems("{widgets: []").join(), /not valid JSON/);
      assert.match(dashboardBodyProblems(JSON.stringify({ widget: [] })).join(), /no widgets array/);
      assert.match(dashboardBodyProblems(undefined).join(), /missing/);
      assert.deepEqual(dashboardBodyProblems(JSON.stringify({ widgets: [] })), []);
      assert.deepEqual(one(metric({})), "");
      assert.match(one({ ...metric({}), type: "chart" }), /type "chart" is not one of/);
      assert.match(one(metric({}, { width: 25 })), /width 25 is outside 1..24/);
      assert.match(one(metric({}, { x: 20, width: 6 })), /ends at column 26/);
      assert.match(one(metric({}, { y: -1 })), /y -1/);
      assert.match(one(metric({ metrics: [] })), /non-empty properties.metrics/);
      assert.match(one(metric({ metrics: [["AWS/SNS", "NumberOfMessagesPublished", "TopicName"]] })), /dimension name\/value pairs/);
      assert.match(one(metric({ region: undefined })), /needs properties.region/);
      assert.match(one(metric({ period: 45 })), /period 45/);
      assert.match(one(metric({ annotations: { horizontal: [{ value: "2" }] } })), /annotations.horizontal/);
      assert.match(one({ type: "text", x: 0, y: 0, width: 6, height: 2, properties: {} }), /needs properties.markdown/);
      assert.deepEqual(one(metric({ metrics: [[{ expression: "SEARCH('{AWS/SNS,TopicName}', 'Sum')", id: "e1" }]] })), "");
      const many = {
        widgets: Array.from({ length: 501 }, () => ({ type: "text", x: 0, y: 0, width: 1, height: 1, properties: { markdown: "x" } })),
      };
      assert.match(dashboardBodyProblems(JSON.stringify(many)).join(), /501 widgets; a dashboard holds at most 500/);
      const wide = { widgets: Array.from({ length: 6 }, () => metric({ metrics: Array.from({ length: 450 }, (_, i) => ["N", `m${i}`]) })) };
      assert.match(dashboardBodyProblems(JSON.stringify(wide)).join(), /2700 metrics; a dashboard holds at most 2,500/);
    });

    it("fails the registration of a dashboard AWS would reject", async () => {
      await assert.rejects(
        new MockAccount().run(
          "t",
          () =>
            new aws.cloudwatch.Dashboard(
              "d",
              { dashboardName: "team.a", dashboardBody: "{}" },
              { provider: new aws.Provider("p", { region: "us-east-1" }) },
            ),
        ),
        (e: unknown) => {
          const text = e instanceof Error ? e.message : String(e);
          assert.ok(e instanceof AwsRuleViolation || e instanceof AggregateError, text);
          assert.match(text, /CloudWatch dashboard name "team.a"/);
          assert.match(text, /no widgets array/);
          return true;
        },
      );
    });
  });
});
