// The lab's program with one mutation, for the policy pack's tests on the real engine: LAB_MUTATION
// names it (the engine passes its environment on to the program). Each mutation is something a
// careless or clever team could write; the pack must refuse it at the first preview.

import * as pulumi from "@pulumi/pulumi";

type Change = (type: string, props: Record<string, unknown>) => Record<string, unknown> | undefined;

const MUTATIONS: Record<string, Change> = {
  "eu-west-1": (type, p) => (type === "aws:kinesis/stream:Stream" ? { ...p, region: "eu-west-1" } : undefined),
  "public-bucket": (type, p) =>
    type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
      ? { ...p, blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false }
      : undefined,
  "two-kpus": (type, p) => {
    if (type !== "aws:kinesisanalyticsv2/application:Application") return undefined;
    const c = p.applicationConfiguration as Record<string, Record<string, unknown>>;
    return {
      ...p,
      applicationConfiguration: {
        ...c,
        flinkApplicationConfiguration: {
          ...c.flinkApplicationConfiguration,
          parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 2, parallelismPerKpu: 1, autoScalingEnabled: false },
        },
      },
    };
  },
  // The schedule still exists but calls another API: there is no stop schedule any more.
  "no-stop-schedule": (type, p) => {
    if (type !== "aws:scheduler/schedule:Schedule") return undefined;
    const target = p.target as Record<string, unknown>;
    return String(target.arn).endsWith(":stopApplication")
      ? { ...p, target: { ...target, arn: "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:describeApplication" } }
      : undefined;
  },
  "disabled-stop-schedule": (type, p) => (type === "aws:scheduler/schedule:Schedule" ? { ...p, state: "DISABLED" } : undefined),
};

const name = process.env.LAB_MUTATION ?? "";
const change = MUTATIONS[name];
if (!change) throw new Error(`LAB_MUTATION must be one of ${Object.keys(MUTATIONS).join(", ")}, not ${JSON.stringify(name)}`);
pulumi.runtime.registerStackTransformation((args) => {
  const props = change(args.type, args.props);
  return props ? { props, opts: args.opts } : undefined;
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("../../infra/index") as Record<string, unknown>;
