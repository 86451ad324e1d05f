// An event that forgets to tear down keeps paying for KPUs. Every Flink application needs a
// Scheduler schedule that calls StopApplication on it (the cost guard built with the lab).

import type { StackValidationPolicy } from "@pulumi/policy";
import { parseJsonish } from "./support";
import { FLINK_APPLICATION } from "./flinkApplications";

export const SCHEDULE = "aws:scheduler/schedule:Schedule";
export const STOP_TARGET = "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication";

export const flinkStopSchedulePolicy: StackValidationPolicy = {
  name: "flink-stop-schedule",
  description: "Every Managed Flink application has a schedule that stops it at the event's end.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const stopped = new Set(
      args.resources
        .filter((r) => r.type === SCHEDULE && r.props.target?.arn === STOP_TARGET)
        .map((r) => parseJsonish<{ ApplicationName?: string }>(r.props.target?.input)?.ApplicationName),
    );
    for (const app of args.resources.filter((r) => r.type === FLINK_APPLICATION)) {
      if (!stopped.has(app.props.name)) {
        report(`Flink application ${String(app.props.name)} has no schedule calling ${STOP_TARGET} on it.`, app.urn);
      }
    }
  },
};
