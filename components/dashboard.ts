// What the 2020 lab showed in the KDA console (the in-application streams filling while the KDG
// sent traffic), as one CloudWatch dashboard per team: records in, clicks and impressions per
// window, the click-through rate, the anomaly score against the threshold, alerts published, and
// the Flink application's health. Managed Flink has no live view of the SQL's streams, so the job
// publishes what it knows as Flink metrics (FLINK_METRICS below, the contract with analytics/),
// and the rest comes from the services' own metrics.
//
// Body syntax: "Dashboard Body Structure and Syntax",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
// Metric names of Managed Flink: "Metrics and dimensions in Managed Service for Apache Flink",
// https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";

/**
 * The metrics the Flink job must publish for the dashboard's middle row (docs/observability.md).
 * Managed Flink forwards to CloudWatch every metric registered under the user group
 * `kinesisanalytics`, in namespace AWS/KinesisAnalytics; at the application's metrics level
 * APPLICATION its only dimension is `Application` (the application's name); user groups with a
 * key and a value would add dimensions, so the job registers these directly under that group
 * ("Use custom metrics with Amazon Managed Service for Apache Flink",
 * https://docs.aws.amazon.com/managed-flink/latest/java/monitoring-metrics-custom.html).
 */
export const FLINK_METRICS = {
  /** The user group Managed Flink forwards (the docs spell it KinesisAnalytics; samples use lower case). */
  group: "kinesisanalytics",
  namespace: "AWS/KinesisAnalytics",
  /** Gauge: the most clicks in a window scored in the last 60 s (CloudWatch keeps one point a minute). */
  clicks: "clicks",
  /** Gauge: the most impressions in a window scored in the last 60 s. */
  impressions: "impressions",
  /** Gauge: the highest clicks / impressions * 100 of a window scored in the last 60 s. */
  ctrPercent: "ctrPercent",
  /** Gauge: the highest Random Cut Forest score of a window scored in the last 60 s. */
  anomalyScore: "anomalyScore",
  /** Counter: records that arrived after their window had closed (dropped by the window). */
  lateRecords: "lateRecords",
} as const;

/** Managed Flink's own application metrics (1.x runtimes; FLINK-2_2 renames fullRestarts to numRestarts). */
export const FLINK_SERVICE_METRICS = { uptime: "uptime", fullRestarts: "fullRestarts" } as const;

/** Where the console shows a dashboard (dashboards are global; the console still wants a region). */
export function dashboardUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(name)}`;
}

/** What one team's dashboard body shows: the names its metrics are dimensioned by. */
export interface DashboardNames {
  /** The region every widget reads its metrics from. */
  readonly region: string;
  /** The ingest stream (AWS/Kinesis, dimension StreamName). */
  readonly ingestStreamName: string;
  /** The Flink application (AWS/KinesisAnalytics, dimension Application). */
  readonly applicationName: string;
  /** The alerts topic's name, not its ARN (AWS/SNS, dimension TopicName). */
  readonly topicName: string;
  /** The alert Lambda (AWS/Lambda, dimension FunctionName). */
  readonly alertFunctionName: string;
  /** The Random Cut Forest score above which a window alerts; drawn as a line on the score graph. */
  readonly anomalyThreshold: number;
}

type Metric = (string | Record<string, unknown>)[];

interface Widget {
  readonly type: "metric" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

// Flink reports to CloudWatch once a minute; a shorter period would show gaps, not detail.
const PERIOD = 60;

/**
 * The dashboard body (JSON text) for one team: a 24-column grid of four rows. Gauges are graphed
 * with Maximum so that a minute holding the burst shows its highest value, not an average that
 * hides it; counts with Sum; the threshold is a horizontal annotation on the score graph.
 */
export function dashboardBody(n: DashboardNames): string {
  const app = ["Application", n.applicationName];
  const flink = (metric: string, label: string, stat = "Maximum", extra: Record<string, unknown> = {}): Metric => [
    FLINK_METRICS.namespace,
    metric,
    ...app,
    { label, stat, ...extra },
  ];
  const graph = (x: number, y: number, width: number, title: string, metrics: Metric[], more: Record<string, unknown> = {}): Widget => ({
    type: "metric",
    x,
    y,
    width,
    height: 6,
    properties: { title, region: n.region, view: "timeSeries", period: PERIOD, stacked: false, metrics, ...more },
  });
  const widgets: Widget[] = [
    {
      type: "text",
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown: [
          `## Clickstream anomaly lab: ${n.applicationName}`,
          `Send traffic (KDG or \`npm run traffic\`), then watch the rate and the score per window. A window whose score rises above **${n.anomalyThreshold}** is e-mailed. Made by Pulumi; edits in the console are overwritten at the next \`pulumi up\`.`,
        ].join("\n\n"),
      },
    },
    graph(0, 2, 8, "Records in (ingest stream)", [
      ["AWS/Kinesis", "IncomingRecords", "StreamName", n.ingestStreamName, { label: "records", stat: "Sum" }],
    ]),
    graph(8, 2, 8, "Clicks and impressions per window", [
      flink(FLINK_METRICS.clicks, "clicks"),
      flink(FLINK_METRICS.impressions, "impressions"),
    ]),
    graph(16, 2, 8, "Click-through rate (%)", [flink(FLINK_METRICS.ctrPercent, "CTR %")], {
      yAxis: { left: { min: 0, showUnits: false } },
    }),
    graph(0, 8, 12, "Anomaly score (Random Cut Forest)", [flink(FLINK_METRICS.anomalyScore, "score")], {
      annotations: { horizontal: [{ label: `alert threshold ${n.anomalyThreshold}`, value: n.anomalyThreshold, color: "#d62728" }] },
      yAxis: { left: { min: 0, showUnits: false } },
    }),
    graph(12, 8, 12, "Alerts", [
      ["AWS/SNS", "NumberOfMessagesPublished", "TopicName", n.topicName, { label: "alerts published (SNS)", stat: "Sum" }],
      ["AWS/Lambda", "Errors", "FunctionName", n.alertFunctionName, { label: "alert function errors", stat: "Sum", color: "#d62728" }],
    ]),
    graph(0, 14, 12, "Flink application", [
      flink(FLINK_SERVICE_METRICS.uptime, "uptime (ms)"),
      flink(FLINK_SERVICE_METRICS.fullRestarts, "full restarts", "Maximum", { yAxis: "right" }),
    ]),
    graph(12, 14, 12, "Late records (after their window closed)", [flink(FLINK_METRICS.lateRecords, "late records (total since start)")]),
  ];
  return JSON.stringify({ widgets });
}

export interface DashboardArgs {
  /** 1-255 of A-Z a-z 0-9 - _ (PutDashboard). Dashboards are global in an account: the name carries event and team. */
  readonly dashboardName: string;
  /** The region of the team's resources (`us-east-1`); the console URL's region too. */
  readonly region: string;
  /** The ingest stream's name (records in). */
  readonly ingestStreamName: pulumi.Input<string>;
  /** The Flink application's name (its own metrics and FLINK_METRICS). */
  readonly applicationName: pulumi.Input<string>;
  /** The alerts topic's ARN; the widgets use its last part, the topic's name. */
  readonly topicArn: pulumi.Input<string>;
  /** The alert Lambda's name (its errors). */
  readonly alertFunctionName: pulumi.Input<string>;
  /** The stack's anomaly threshold (config anomalyThreshold, a score, > 0): the line on the score graph. */
  readonly anomalyThreshold: number;
}

/**
 * One CloudWatch dashboard per team showing the lab as the 2020 KDA console did: records in,
 * clicks and impressions per window, the click-through rate, the anomaly score against the
 * threshold, alerts published, the Flink application's health and late records (dashboardBody).
 * Dashboards are free up to three per account, then $3 per dashboard-month.
 *
 * Children: `<name>-dashboard`.
 */
export class Dashboard extends pulumi.ComponentResource {
  /** The dashboard. */
  public readonly dashboard: aws.cloudwatch.Dashboard;
  /** The dashboard's name, as given in `dashboardName`. */
  public readonly dashboardName: pulumi.Output<string>;
  /** The console URL of the dashboard: a stack output, and a column of the hand-out. */
  public readonly url: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args the dashboard's name and the resources it shows.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Dashboard"), name, {}, withFormerTypes(opts, "clickstream:lab:Dashboard"));
    const body = pulumi
      .all([args.ingestStreamName, args.applicationName, args.topicArn, args.alertFunctionName])
      .apply(([ingestStreamName, applicationName, topicArn, alertFunctionName]) =>
        dashboardBody({
          region: args.region,
          ingestStreamName,
          applicationName,
          // SNS's metrics are dimensioned by topic name, the ARN's last part.
          topicName: topicArn.split(":").pop() ?? topicArn,
          alertFunctionName,
          anomalyThreshold: args.anomalyThreshold,
        }),
      );
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.dashboardName, dashboardBody: body },
      { parent: this },
    );
    this.dashboardName = this.dashboard.dashboardName;
    this.url = this.dashboard.dashboardName.apply((n) => dashboardUrl(args.region, n));
    this.registerOutputs({ dashboardName: this.dashboardName, url: this.url });
  }
}
