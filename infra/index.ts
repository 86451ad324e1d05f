// The Pulumi program (Pulumi.yaml `main`): read and validate the stack's configuration, build the
// team's stack, export its outputs. Validation throws before any resource is registered.

import * as pulumi from "@pulumi/pulumi";
import { JAR_PATH, requireJar } from "../components/analytics";
import { validateConfig } from "./config";
import { teamStack } from "./teamStack";

/** Every key of the project's namespace, known or not: validation refuses the unknown ones (typos). */
function rawConfig(): Record<string, string> {
  const prefix = `${pulumi.getProject()}:`;
  // The runtime's own map, not Config.get: it reads secrets without a warning, and the password
  // is wrapped as a secret again before it reaches a resource.
  const all = pulumi.runtime.allConfig();
  return Object.fromEntries(
    Object.keys(all)
      .filter((k) => k.startsWith(prefix))
      .map((k) => [k.slice(prefix.length), all[k]!]),
  );
}

const cfg = validateConfig(rawConfig(), new Date(), pulumi.getStack());
// Before any resource: a fresh clone without the JAR stops here with the command that builds it.
requireJar(JAR_PATH);
const outputs = teamStack(cfg);

export const team = outputs.team;
export const region = outputs.region;
export const ingestStreamName = outputs.ingestStreamName;
export const ingestStreamArn = outputs.ingestStreamArn;
export const firehoseName = outputs.firehoseName;
export const rawBucket = outputs.rawBucket;
export const processedBucket = outputs.processedBucket;
export const kdgUrl = outputs.kdgUrl;
export const kdgUsername = outputs.kdgUsername;
export const kdgPassword = outputs.kdgPassword;
export const topicArn = outputs.topicArn;
export const flinkApplicationName = outputs.flinkApplicationName;
export const anomaliesStreamName = outputs.anomaliesStreamName;
export const alertFunctionName = outputs.alertFunctionName;
export const dashboardUrl = outputs.dashboardUrl;
export const viewerSignInUrl = outputs.viewerSignInUrl;
export const viewerUsername = outputs.viewerUsername;
export const viewerPassword = outputs.viewerPassword;
