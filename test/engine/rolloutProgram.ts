// The lab's program with another build of the Flink job, for the rollout's real-engine test: when
// ROLLOUT_JAR names a JAR (the engine passes its environment on to the program), the code bucket's
// JAR object is that file under its own content-hash key, exactly as a rebuilt JAR would be
// deployed (components/analytics.ts jarAsset); the application follows the new key. Without it,
// this is the lab's program unchanged.

import * as pulumi from "@pulumi/pulumi";
import { jarAsset } from "../../components/analytics";

const jar = process.env.ROLLOUT_JAR;
if (jar) {
  const built = jarAsset(jar);
  pulumi.runtime.registerStackTransformation((args) =>
    args.type === "aws:s3/bucketObjectv2:BucketObjectv2" && String(args.name).endsWith("-jar")
      ? { props: { ...args.props, key: built.key, source: built.asset }, opts: args.opts }
      : undefined,
  );
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("../../infra/index") as Record<string, unknown>;
