// Managed Service for Apache Flink (kinesisanalyticsv2): what CreateApplication refuses.

import { exists, oneOf, tagProblems, within, type Inputs, type Rule, type RuleContext } from "./common";
import { NAMES } from "./names";

export const FLINK_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ParallelismConfiguration.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_PropertyGroup.html (ids 1-50, keys and values 1-2,048, 50 groups)
  // https://docs.aws.amazon.com/managed-flink/latest/java/flink-1-20.html; KDA SQL (SQL-1_0) takes no new applications since 2025-10-15
  "aws:kinesisanalyticsv2/application:Application": (i, ctx) => {
    const c = i.applicationConfiguration ?? {};
    const groups: any[] = c.environmentProperties?.propertyGroups ?? [];
    return [
      ...NAMES.flinkApplication(i.name),
      ...oneOf(
        "runtimeEnvironment",
        i.runtimeEnvironment,
        ["FLINK-1_6", "FLINK-1_8", "FLINK-1_11", "FLINK-1_13", "FLINK-1_15", "FLINK-1_18", "FLINK-1_19", "FLINK-1_20", "FLINK-2_2"],
        true,
      ),
      ...(typeof i.serviceExecutionRole === "string" && ctx.cloud.find("aws:iam/role:Role", i.serviceExecutionRole)
        ? []
        : [`serviceExecutionRole ${String(i.serviceExecutionRole)} is not a role of this account`]),
      ...codeProblems(c.applicationCodeConfiguration ?? {}, ctx),
      ...flinkConfigurationProblems(c.flinkApplicationConfiguration ?? {}),
      ...restoreProblems(c.runConfiguration?.applicationRestoreConfiguration),
      ...(groups.length > 50 ? [`${groups.length} property groups; at most 50`] : []),
      ...tagProblems(i.tags),
      ...propertyGroupProblems(groups),
      ...logStreamProblems(i.cloudwatchLoggingOptions?.logStreamArn, ctx),
    ];
  },
};

/** The code: its content type, and for a ZIPFILE the bucket and the object, which must exist. */
function codeProblems(code: Inputs, ctx: RuleContext): string[] {
  const s3 = code.codeContent?.s3ContentLocation;
  return [
    ...oneOf("codeContentType", code.codeContentType, ["ZIPFILE", "PLAINTEXT"], true),
    ...(code.codeContentType === "ZIPFILE" && !s3 ? ["a ZIPFILE application needs codeContent.s3ContentLocation"] : []),
    ...(s3 ? exists(ctx, "aws:s3/bucket:Bucket", s3.bucketArn, "code bucket") : []),
    ...(s3 && !ctx.cloud.find("aws:s3/bucketObjectv2:BucketObjectv2", `${String(s3.bucketArn)}/${String(s3.fileKey)}`)
      ? [`code object ${String(s3.fileKey)} does not exist in ${String(s3.bucketArn)}`]
      : []),
  ];
}

/** Parallelism, checkpoints and monitoring: each DEFAULT or CUSTOM, and settings only with CUSTOM. */
function flinkConfigurationProblems(flink: Inputs): string[] {
  const par = flink.parallelismConfiguration;
  const cp = flink.checkpointConfiguration;
  const mon = flink.monitoringConfiguration;
  return [
    ...oneOf("parallelismConfiguration.configurationType", par?.configurationType, ["DEFAULT", "CUSTOM"]),
    ...(par?.configurationType === "CUSTOM"
      ? [...within("parallelism", par.parallelism ?? 1, 1, 1000), ...within("parallelismPerKpu", par.parallelismPerKpu ?? 1, 1, 8)]
      : []),
    ...(par?.configurationType === "DEFAULT" &&
    (par.parallelism !== undefined || par.parallelismPerKpu !== undefined || par.autoScalingEnabled !== undefined)
      ? ["parallelism settings need configurationType CUSTOM"]
      : []),
    ...oneOf("checkpointConfiguration.configurationType", cp?.configurationType, ["DEFAULT", "CUSTOM"]),
    ...(cp?.configurationType === "DEFAULT" &&
    (cp.checkpointInterval !== undefined || cp.checkpointingEnabled !== undefined || cp.minPauseBetweenCheckpoints !== undefined)
      ? ["checkpoint settings need configurationType CUSTOM"]
      : []),
    ...oneOf("monitoringConfiguration.configurationType", mon?.configurationType, ["DEFAULT", "CUSTOM"]),
    ...oneOf("logLevel", mon?.logLevel, ["INFO", "WARN", "ERROR", "DEBUG"]),
    ...oneOf("metricsLevel", mon?.metricsLevel, ["APPLICATION", "TASK", "OPERATOR", "PARALLELISM"]),
  ];
}

/** The restore type, and a snapshot name for a custom snapshot. */
function restoreProblems(restore: Inputs | undefined): string[] {
  return [
    ...oneOf("applicationRestoreType", restore?.applicationRestoreType, [
      "SKIP_RESTORE_FROM_SNAPSHOT",
      "RESTORE_FROM_LATEST_SNAPSHOT",
      "RESTORE_FROM_CUSTOM_SNAPSHOT",
    ]),
    ...(restore?.applicationRestoreType === "RESTORE_FROM_CUSTOM_SNAPSHOT" && !restore.snapshotName
      ? ["RESTORE_FROM_CUSTOM_SNAPSHOT needs a snapshotName"]
      : []),
  ];
}

/** Each property group's id, and each property's key and value (strings of 1-2,048 characters). */
function propertyGroupProblems(groups: readonly any[]): string[] {
  const p: string[] = [];
  for (const g of groups) {
    if (!/^[a-zA-Z0-9_.-]{1,50}$/.test(String(g.propertyGroupId)))
      p.push(`property group id ${JSON.stringify(g.propertyGroupId)} must be 1-50 of [a-zA-Z0-9_.-]`);
    for (const [k, v] of Object.entries((g.propertyMap ?? {}) as Record<string, unknown>)) {
      if (k.length < 1 || k.length > 2048) p.push(`property key ${JSON.stringify(k)} must be 1-2,048 characters`);
      if (typeof v !== "string" || v.length < 1 || v.length > 2048)
        p.push(`property ${String(g.propertyGroupId)}.${k} must be a string of 1-2,048 characters, not ${JSON.stringify(v)}`);
    }
  }
  return p;
}

/** The log stream the application logs to must exist. */
function logStreamProblems(stream: unknown, ctx: RuleContext): string[] {
  return stream !== undefined && !ctx.cloud.find("aws:cloudwatch/logStream:LogStream", String(stream))
    ? [`logStreamArn ${String(stream)} does not exist`]
    : [];
}
