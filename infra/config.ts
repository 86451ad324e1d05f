// The stack's configuration: one schema (key, default, description), one validator that reports
// every problem at once, and no Pulumi resources. Pulumi.yaml mirrors SCHEMA; a test keeps the two
// in step, so the CLI's own "missing config" check and ours never disagree.

import { KDG_PASSWORD_POLICY, passwordProblems } from "../components/passwordPolicy";

/** The only region the lab runs in: the 2020 guide insists on it and the policy pack enforces it. */
export const LAB_REGION = "us-east-1";

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Longest event and team names: together they must fit the tightest physical name (see naming.ts). */
export const MAX_EVENT_LENGTH = 16;
export const MAX_TEAM_LENGTH = 20;

export interface KeySpec {
  readonly type: "string" | "integer";
  readonly description: string;
  /** Absent means required. */
  readonly default?: string | number;
  readonly secret?: boolean;
}

export const SCHEMA = {
  event: {
    type: "string",
    description: "Event name, lower-case letters, digits and hyphens (max 16). Part of every physical name.",
    default: "clickstream",
  },
  team: {
    type: "string",
    description: "Team name, lower-case letters, digits and hyphens, starting with a letter (max 20). Part of every physical name.",
  },
  region: {
    type: "string",
    description: "AWS region. The lab runs in us-east-1 only.",
    default: LAB_REGION,
  },
  notificationEmail: {
    type: "string",
    description: "E-mail address that receives the anomaly alerts (confirm the SNS subscription e-mail).",
  },
  notificationPhone: {
    type: "string",
    description: "Optional phone number in E.164 form (+15555550123) that receives alerts by SMS; empty for none.",
    default: "",
  },
  kdgUsername: {
    type: "string",
    description: "User name for signing in to the Kinesis Data Generator page.",
    default: "kdg-user",
  },
  kdgPassword: {
    type: "string",
    description: "Password for the Kinesis Data Generator user (secret). Generated when not set.",
    default: "",
    secret: true,
  },
  endsAt: {
    type: "string",
    description: "When the event ends, ISO 8601 with a time zone (2026-12-01T17:00:00Z). Tagged on everything; the analytics application is stopped then.",
  },
  anomalyThreshold: {
    type: "string",
    description: "Random Cut Forest score above which a window is an anomaly (the 2020 lab used 2).",
    default: "2",
  },
  bucketExpirationDays: {
    type: "integer",
    description: "Days after which objects in the raw and processed buckets expire.",
    default: 7,
  },
  logRetentionDays: {
    type: "integer",
    description: "Days CloudWatch keeps the lab's logs (one of CloudWatch's allowed values).",
    default: 7,
  },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof SCHEMA;

/** Keys without a default must be set in the stack's configuration. */
export const REQUIRED_KEYS = (Object.keys(SCHEMA) as ConfigKey[]).filter((k) => !("default" in SCHEMA[k]));

export interface LabConfig {
  readonly event: string;
  readonly team: string;
  readonly region: string;
  readonly notificationEmail: string;
  readonly notificationPhone?: string;
  readonly kdgUsername: string;
  /** Plain text here; the program wraps it as a secret before it reaches any resource. */
  readonly kdgPassword?: string;
  readonly endsAt: Date;
  readonly anomalyThreshold: number;
  readonly bucketExpirationDays: number;
  readonly logRetentionDays: number;
}

export interface ConfigProblem {
  readonly key: string;
  readonly problem: string;
  readonly fix: string;
}

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    stack = "this stack",
  ) {
    super(
      `The configuration of ${stack} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; ` +
        "nothing was created.\n" +
        problems.map((p) => `  - ${p.key}: ${p.problem}\n    fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// Deliberately simple: one @, no spaces, a dot in the domain. SNS rejects what this lets through
// only in exotic cases, and the subscription confirmation e-mail is the real check.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Cognito's AdminCreateUser Username pattern: letters, marks, symbols, numbers, punctuation; no spaces.
const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

type Raw = Partial<Record<ConfigKey, string>>;

function set(key: string, value: string): string {
  return `pulumi config set ${key} ${value}`;
}

function checkName(key: "event" | "team", value: string, max: number, out: ConfigProblem[]): void {
  if (value.length > max || !NAME.test(value)) {
    const suggestion =
      value
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^[^a-z]+|-+$/g, "")
        .slice(0, max)
        .replace(/-+$/, "") || (key === "team" ? "team01" : "clickstream");
    const why =
      value.length > max
        ? `is ${value.length} characters long; at most ${max} fit into the S3 bucket and IAM role names`
        : "must be lower-case letters, digits and single hyphens, starting with a letter (it becomes part of S3 bucket names, which allow no upper case)";
    out.push({ key, problem: `${JSON.stringify(value)} ${why}`, fix: set(key, suggestion) });
  }
}

function checkInteger(
  key: ConfigKey,
  value: string,
  ok: (n: number) => boolean,
  expect: string,
  fix: string,
  out: ConfigProblem[],
): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !ok(n)) {
    out.push({ key, problem: `${JSON.stringify(value)} is not ${expect}`, fix: set(key, fix) });
  }
  return n;
}

/**
 * Validates raw configuration strings (as Pulumi stores them) and applies the schema's defaults.
 * Throws one ConfigError naming every problem, so a stack never fails halfway on a typo.
 */
export function validateConfig(raw: Raw, now: Date = new Date(), stack?: string): LabConfig {
  const problems: ConfigProblem[] = [];
  const value = (key: ConfigKey): string => {
    const v = raw[key];
    if (v !== undefined && v !== "") return v;
    const spec: KeySpec = SCHEMA[key];
    return spec.default === undefined ? "" : String(spec.default);
  };

  for (const key of REQUIRED_KEYS) {
    if (value(key) === "") {
      const example = { team: "team01", notificationEmail: "you@example.com", endsAt: "2026-12-01T17:00:00Z" }[
        key as string
      ];
      problems.push({ key, problem: "is required and not set", fix: set(key, example ?? "<value>") });
    }
  }

  const event = value("event");
  checkName("event", event, MAX_EVENT_LENGTH, problems);
  const team = value("team");
  if (team !== "") checkName("team", team, MAX_TEAM_LENGTH, problems);

  const region = value("region");
  if (region !== LAB_REGION) {
    problems.push({
      key: "region",
      problem: `${JSON.stringify(region)} is not allowed: the lab runs in ${LAB_REGION} only`,
      fix: set("region", LAB_REGION),
    });
  }

  const email = value("notificationEmail");
  if (email !== "" && (email.length > 254 || !EMAIL.test(email))) {
    problems.push({
      key: "notificationEmail",
      problem: `${JSON.stringify(email)} is not an e-mail address`,
      fix: set("notificationEmail", "you@example.com"),
    });
  }

  const phone = value("notificationPhone");
  if (phone !== "" && !E164.test(phone)) {
    problems.push({
      key: "notificationPhone",
      problem: `${JSON.stringify(phone)} is not an E.164 phone number (a +, the country code, then up to 14 digits, no spaces)`,
      fix: `${set("notificationPhone", "+15555550123")}  (or: pulumi config rm notificationPhone)`,
    });
  }

  const username = value("kdgUsername");
  if (!COGNITO_USERNAME.test(username)) {
    problems.push({
      key: "kdgUsername",
      problem: `${JSON.stringify(username)} is not a valid Cognito user name (1-128 characters, no spaces)`,
      fix: set("kdgUsername", "kdg-user"),
    });
  }

  const password = raw.kdgPassword === "" ? undefined : raw.kdgPassword;
  if (password !== undefined) {
    const wrong = passwordProblems(password, KDG_PASSWORD_POLICY);
    if (wrong.length > 0) {
      problems.push({
        key: "kdgPassword",
        problem: `the password ${wrong.join(", ")}`,
        fix: "pulumi config set --secret kdgPassword <password>  (or: pulumi config rm kdgPassword to have one generated)",
      });
    }
  }

  const endsAtText = value("endsAt");
  let endsAt = new Date(NaN);
  if (endsAtText !== "") {
    endsAt = new Date(endsAtText);
    const example = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    if (!ISO_INSTANT.test(endsAtText) || Number.isNaN(endsAt.getTime())) {
      problems.push({
        key: "endsAt",
        problem: `${JSON.stringify(endsAtText)} is not an ISO 8601 date and time with a time zone`,
        fix: set("endsAt", example),
      });
    } else if (endsAt.getTime() <= now.getTime()) {
      problems.push({
        key: "endsAt",
        problem: `${endsAtText} is in the past: the stop schedule could never fire`,
        fix: set("endsAt", example),
      });
    }
  }

  const thresholdText = value("anomalyThreshold");
  const anomalyThreshold = Number(thresholdText);
  if (thresholdText.trim() === "" || !Number.isFinite(anomalyThreshold) || anomalyThreshold <= 0 || anomalyThreshold > 100) {
    problems.push({
      key: "anomalyThreshold",
      problem: `${JSON.stringify(thresholdText)} is not a number above 0 and at most 100 (Random Cut Forest scores are around 1 for normal points)`,
      fix: set("anomalyThreshold", "2"),
    });
  }

  const bucketExpirationDays = checkInteger(
    "bucketExpirationDays",
    value("bucketExpirationDays"),
    (n) => n >= 1 && n <= 365,
    "a whole number of days from 1 to 365",
    "7",
    problems,
  );
  const logRetentionDays = checkInteger(
    "logRetentionDays",
    value("logRetentionDays"),
    (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
    `one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")})`,
    "7",
    problems,
  );

  if (problems.length > 0) throw new ConfigError(problems, stack);
  return {
    event,
    team,
    region,
    notificationEmail: email,
    notificationPhone: phone === "" ? undefined : phone,
    kdgUsername: username,
    kdgPassword: password,
    endsAt,
    anomalyThreshold,
    bucketExpirationDays,
    logRetentionDays,
  };
}
