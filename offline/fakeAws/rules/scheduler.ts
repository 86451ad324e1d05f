// EventBridge Scheduler: schedules, their expressions and their (universal) targets.

import { oneOf, parseMaybeJson, within, type Rule } from "./common";
import { NAMES } from "./names";

// Scheduler's universal targets (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html):
// arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, the service as the AWS SDK names it (lower
// case, no hyphens: cognitoidentityprovider, not cognito-idp) and the action in camelCase; the
// input is the API's request, a JSON object. Read-only actions are refused, by these prefixes.
const UNIVERSAL_TARGET = /^arn:aws:scheduler:::aws-sdk:([^:]*):([^:]*)$/;
const READ_ONLY_PREFIXES = [
  "get",
  "describe",
  "list",
  "poll",
  "receive",
  "search",
  "scan",
  "query",
  "select",
  "read",
  "lookup",
  "discover",
  "validate",
  "batchGet",
  "batchDescribe",
  "batchRead",
  "transactGet",
  "adminGet",
  "adminList",
  "testMigration",
  "retrieve",
  "testConnection",
  "translateDocument",
  "isAuthorized",
  "invokeModel",
];

function universalTargetProblems(arn: string, input: unknown): string[] {
  const m = UNIVERSAL_TARGET.exec(arn);
  if (!m) return [];
  const [, service, action] = m as unknown as [string, string, string];
  const p: string[] = [];
  if (!/^[a-z0-9]+$/.test(service))
    p.push(
      `universal target service "${service}" must be the AWS SDK's service name in lower case without hyphens (e.g. cognitoidentityprovider)`,
    );
  if (!/^[a-z][a-zA-Z0-9]*$/.test(action))
    p.push(`universal target action "${action}" must be the API action in camelCase (e.g. adminDisableUser)`);
  const readOnly = READ_ONLY_PREFIXES.find((prefix) => action.startsWith(prefix));
  if (readOnly) p.push(`universal target action "${action}" is read-only (prefix ${readOnly}): Scheduler does not support it`);
  const request: unknown = typeof input === "string" ? parseMaybeJson(input) : undefined;
  if (input !== undefined && (typeof request !== "object" || request === null || Array.isArray(request)))
    p.push("a universal target's input must be the API request as a JSON object");
  return p;
}

export const SCHEDULER_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (at(yyyy-mm-ddThh:mm:ss), rate(), cron())
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html (arn:aws:scheduler:::aws-sdk:<service>:<apiAction>)
  "aws:scheduler/schedule:Schedule": (i, ctx) => {
    const expr = String(i.scheduleExpression ?? "");
    const win = i.flexibleTimeWindow ?? {};
    const target = i.target ?? {};
    const p = [
      ...NAMES.schedule(i.name),
      ...(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expr) ||
      /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/.test(expr) ||
      /^cron\(.+\)$/.test(expr)
        ? []
        : [`scheduleExpression ${JSON.stringify(expr)} is not at(yyyy-mm-ddThh:mm:ss), rate() or cron()`]),
      ...oneOf("flexibleTimeWindow.mode", win.mode, ["OFF", "FLEXIBLE"], true),
      ...(win.mode === "FLEXIBLE" ? within("maximumWindowInMinutes", win.maximumWindowInMinutes ?? 0, 1, 1440) : []),
      ...(win.mode === "OFF" && win.maximumWindowInMinutes !== undefined ? ["maximumWindowInMinutes needs mode FLEXIBLE"] : []),
      ...oneOf("actionAfterCompletion", i.actionAfterCompletion, ["NONE", "DELETE"]),
      ...(typeof target.roleArn === "string" && ctx.cloud.find("aws:iam/role:Role", target.roleArn)
        ? []
        : [`target roleArn ${String(target.roleArn)} is not a role of this account`]),
      ...(typeof target.arn === "string" &&
      /^arn:aws:(scheduler:::aws-sdk:[a-z0-9]+:[a-zA-Z]+|[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+)$/.test(target.arn)
        ? []
        : [`target arn ${String(target.arn)} is neither a universal target nor a resource ARN`]),
      ...universalTargetProblems(String(target.arn), target.input),
    ];
    if (target.input !== undefined) {
      try {
        JSON.parse(String(target.input));
      } catch {
        p.push("target input must be JSON");
      }
    }
    return p;
  },
};
