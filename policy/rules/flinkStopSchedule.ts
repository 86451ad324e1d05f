// An event that forgets to tear down keeps paying for KPUs. Every Flink application needs a
// Scheduler schedule that calls StopApplication on it (the cost guard built with the lab). The
// schedule is paired with its application by URN (its target depends on the application) or by
// the application's name in its input, never by an id or ARN, which a first preview does not
// know. Whether that schedule is enabled, one-time and due in time: scheduler-one-time-lab-targets.

import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { knownString, targetArn, targetDependencies, targetInput } from "./scheduleTargets";
import { SCHEDULE, STOP_TARGET } from "./schedulerTargets";
import { resourcesOfType, stackRule } from "./support";

export const flinkStopSchedulePolicy: StackValidationPolicy = {
  name: "flink-stop-schedule",
  description: "Every Managed Flink application has a Scheduler schedule that calls StopApplication on it.",
  enforcementLevel: "mandatory",
  validateStack: stackRule((args, report) => {
    const stops = args.resources.filter((r) => r.type === SCHEDULE && targetArn(r) === STOP_TARGET);
    for (const { resource: app } of resourcesOfType(args.resources, aws.kinesisanalyticsv2.Application)) {
      const name = knownString(app, "name");
      const stopped = stops.some(
        (s) => targetDependencies(s).some((d) => d.urn === app.urn) || (name !== undefined && targetInput(s)?.ApplicationName === name),
      );
      if (!stopped) report(`Flink application ${name ?? app.name} has no schedule calling ${STOP_TARGET} on it.`, app.urn);
    }
  }),
};
