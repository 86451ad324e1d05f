// AWS Lambda: functions and their event source mappings.

import { exists, oneOf, tagProblems, within, type Rule } from "./common";
import { NAMES } from "./names";

export const LAMBDA_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (reserved keys; 4 KB in all)
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
  "aws:lambda/function:Function": (i, ctx) => {
    const env = (i.environment?.variables ?? {}) as Record<string, unknown>;
    const reserved = [
      "_HANDLER",
      "_X_AMZN_TRACE_ID",
      "AWS_DEFAULT_REGION",
      "AWS_REGION",
      "AWS_EXECUTION_ENV",
      "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
      "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE",
      "AWS_LAMBDA_LOG_GROUP_NAME",
      "AWS_LAMBDA_LOG_STREAM_NAME",
      "AWS_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_LAMBDA_RUNTIME_API",
      "LAMBDA_TASK_ROOT",
      "LAMBDA_RUNTIME_DIR",
    ];
    const archs: unknown[] = i.architectures ?? ["x86_64"];
    return [
      ...NAMES.lambdaFunction(i.name),
      ...oneOf("runtime", i.runtime, ["nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "java21"], true),
      ...(archs.length === 1 ? oneOf("architecture", archs[0], ["x86_64", "arm64"]) : ["exactly one architecture"]),
      ...within("memorySize (MB)", i.memorySize, 128, 10240),
      ...within("timeout (s)", i.timeout, 1, 900),
      ...(typeof i.role === "string" && ctx.cloud.find("aws:iam/role:Role", i.role)
        ? []
        : [`role ${String(i.role)} is not a role of this account`]),
      ...(typeof i.handler === "string" && /^[^\s]{1,128}$/.test(i.handler) ? [] : ["handler must be 1-128 characters without spaces"]),
      ...Object.keys(env).flatMap((k) => [
        ...(/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(k) ? [] : [`environment variable name ${k} is not allowed`]),
        ...(reserved.includes(k) ? [`environment variable ${k} is reserved by Lambda`] : []),
      ]),
      ...(JSON.stringify(env).length > 4096 ? ["environment variables exceed 4 KB"] : []),
      ...(i.loggingConfig?.logGroup !== undefined
        ? exists(ctx, "aws:cloudwatch/logGroup:LogGroup", i.loggingConfig.logGroup, "loggingConfig.logGroup")
        : []),
      ...oneOf("loggingConfig.logFormat", i.loggingConfig?.logFormat, ["Text", "JSON"]),
      ...tagProblems(i.tags),
    ];
  },

  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
  // https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (Kinesis: starting position required; bisect, retries, record age, on-failure destination)
  "aws:lambda/eventSourceMapping:EventSourceMapping": (i, ctx) => {
    const kinesis = typeof i.eventSourceArn === "string" && i.eventSourceArn.startsWith("arn:aws:kinesis:");
    const onFailure = i.destinationConfig?.onFailure?.destinationArn;
    return [
      ...(typeof i.functionName === "string" && ctx.cloud.find("aws:lambda/function:Function", i.functionName)
        ? []
        : [`function ${String(i.functionName)} does not exist`]),
      ...(kinesis && !ctx.cloud.find("aws:kinesis/stream:Stream", i.eventSourceArn)
        ? [`event source ${String(i.eventSourceArn)} does not exist`]
        : []),
      ...(kinesis ? oneOf("startingPosition", i.startingPosition, ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], true) : []),
      ...within("batchSize", i.batchSize, 1, 10000),
      ...within("maximumBatchingWindowInSeconds", i.maximumBatchingWindowInSeconds, 0, 300),
      ...within("maximumRetryAttempts", i.maximumRetryAttempts, -1, 10000),
      ...(i.maximumRecordAgeInSeconds !== undefined &&
      i.maximumRecordAgeInSeconds !== -1 &&
      !(i.maximumRecordAgeInSeconds >= 60 && i.maximumRecordAgeInSeconds <= 604800)
        ? ["maximumRecordAgeInSeconds must be -1 or 60..604800"]
        : []),
      ...within("parallelizationFactor", i.parallelizationFactor, 1, 10),
      ...((i.functionResponseTypes ?? []) as unknown[]).flatMap((t) => oneOf("functionResponseTypes", t, ["ReportBatchItemFailures"])),
      ...(onFailure !== undefined &&
      !ctx.cloud.find("aws:sqs/queue:Queue", String(onFailure)) &&
      !ctx.cloud.find("aws:sns/topic:Topic", String(onFailure))
        ? [`on-failure destination ${String(onFailure)} is not a queue or topic of this account`]
        : []),
    ];
  },
};
