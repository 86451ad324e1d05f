// CloudWatch dashboards: PutDashboard's name and body checks.

import { oneOf, within, type Inputs, type Rule } from "./common";
import { NAMES } from "./names";

export const CLOUDWATCH_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName,
  // DashboardBody) and its body syntax,
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html;
  // sizes from "CloudWatch service quotas" (500 widgets per dashboard, 500 metrics per widget,
  // 2,500 metrics per dashboard), https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
  "aws:cloudwatch/dashboard:Dashboard": (i) => [...NAMES.dashboard(i.dashboardName), ...dashboardBodyProblems(i.dashboardBody)],
};

/** PutDashboard's checks of DashboardBody: JSON with a widgets array, each widget placed on the 24-column grid. */
export function dashboardBodyProblems(body: unknown): string[] {
  if (typeof body !== "string") return ["dashboardBody is missing (a JSON string)"];
  let parsed: Inputs;
  try {
    parsed = JSON.parse(body) as Inputs;
  } catch (e) {
    return [`dashboardBody is not valid JSON: ${(e as Error).message}`];
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.widgets)) return ["dashboardBody has no widgets array"];
  const widgets = parsed.widgets as Inputs[];
  const p: string[] = [];
  if (widgets.length > 500) p.push(`dashboardBody has ${widgets.length} widgets; a dashboard holds at most 500`);
  let metrics = 0;
  widgets.forEach((w, n) => {
    const at = `widget ${n}`;
    if (!w || typeof w !== "object") return void p.push(`${at} is not an object`);
    p.push(...oneOf(`${at} type`, w.type, ["metric", "text", "log", "alarm", "explorer", "custom"], true));
    p.push(...within(`${at} x`, w.x, 0, 23), ...within(`${at} width`, w.width, 1, 24), ...within(`${at} height`, w.height, 1, 1000));
    if (w.y !== undefined && !(Number.isInteger(w.y) && w.y >= 0))
      p.push(`${at} y ${JSON.stringify(w.y)} is not a whole number of at least 0`);
    if (Number.isInteger(w.x) && Number.isInteger(w.width) && w.x + w.width > 24)
      p.push(`${at} ends at column ${w.x + w.width}, past the grid's 24`);
    const props = w.properties as Inputs | undefined;
    if (!props || typeof props !== "object") return void p.push(`${at} has no properties`);
    if (w.type === "text" && typeof props.markdown !== "string") p.push(`${at} (text) needs properties.markdown`);
    if (w.type === "metric") {
      const list = props.metrics;
      if (!Array.isArray(list) || list.length === 0) return void p.push(`${at} (metric) needs a non-empty properties.metrics array`);
      if (list.length > 500) p.push(`${at} has ${list.length} metrics; a widget holds at most 500`);
      metrics += list.length;
      if (typeof props.region !== "string") p.push(`${at} (metric) needs properties.region`);
      if (
        props.period !== undefined &&
        !([1, 5, 10, 30].includes(props.period) || (Number.isInteger(props.period) && props.period % 60 === 0 && props.period > 0))
      )
        p.push(`${at} period ${JSON.stringify(props.period)} must be 1, 5, 10, 30 or a multiple of 60`);
      (list as unknown[]).forEach((m, k) => {
        if (!Array.isArray(m)) return void p.push(`${at} metric ${k} is not an array`);
        const names = m.filter((x) => typeof x === "string");
        const options = m.filter((x) => typeof x !== "string");
        const expression = options.length === 1 && typeof (options[0] as Inputs).expression === "string";
        if (options.length > 1 || options.some((o) => o === null || typeof o !== "object"))
          p.push(`${at} metric ${k}: at most one options object, after the names`);
        // [Namespace, MetricName, (DimensionName, DimensionValue)*], or an expression alone.
        if (!expression && (names.length < 2 || names.length % 2 !== 0))
          p.push(`${at} metric ${k}: expected namespace, metric name and dimension name/value pairs, got ${JSON.stringify(names)}`);
      });
      const horizontal = (props.annotations as Inputs | undefined)?.horizontal;
      if (horizontal !== undefined && (!Array.isArray(horizontal) || horizontal.some((a: Inputs) => typeof a?.value !== "number")))
        p.push(`${at} annotations.horizontal must be an array of { value: number, ... }`);
    }
  });
  if (metrics > 2500) p.push(`dashboardBody has ${metrics} metrics; a dashboard holds at most 2,500`);
  return p;
}
