// The stack's configuration: one schema (key, default, description), one validator that reports
// every problem at once, and no Pulumi resources. SCHEMA is the one source: Pulumi.yaml's config:
// block is generated from it (`npm run config:schema`, infra/stackFiles.ts; a test fails when the
// committed file differs), so the CLI's own "missing config" check and ours never disagree.
//
// One source of limits: every limit the policy pack enforces comes from policy/limits.ts (the pack
// must load on its own, so the limits live there), and a configuration the pack would refuse at
// `pulumi up` is refused here, when it is read, in the same words.

import { propertyContract } from "../components/analytics";
import { validatePhoneNumberLength } from "libphonenumber-js";
import { KDG_PASSWORD_POLICY, passwordProblems } from "../components/passwordPolicy";
import { LAB_REGION, LIMITS, LOG_RETENTION_DAYS, MESSAGES, parseInstant, PREMIUM_SMS_PREFIXES, smsAllowed } from "../policy/limits";
import { teamNames } from "./naming";

export { LAB_REGION, LOG_RETENTION_DAYS };

/** Longest event and team names: together they must fit the tightest physical name (see naming.ts). */
export const MAX_EVENT_LENGTH = 16;
export const MAX_TEAM_LENGTH = 20;

export interface KeySpec {
  readonly type: "string" | "integer";
  readonly description: string;
  /** Absent means required, unless `optional`. */
  readonly default?: string | number;
  readonly secret?: boolean;
  /**
   * Optional without a default. Only for secrets: Pulumi's engine refuses a `secret: true` key with
   * a plain default ("must be encrypted as it's secret") and requires every declared key that has
   * no default, so such a key is not declared in Pulumi.yaml at all.
   */
  readonly optional?: true;
}

/** Detection/anomaly.threshold's default in the job's runtime-property contract. */
const DEFAULT_THRESHOLD = propertyContract().groups.Detection!["anomaly.threshold"]!.default!;

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
  awsProfile: {
    type: "string",
    description:
      "AWS CLI profile the stack's provider uses itself (not only through AWS_PROFILE), so keys in the shell's environment do not decide the account; empty for the default credentials.",
    default: "",
  },
  allowedAccountIds: {
    type: "string",
    description:
      "The only AWS account IDs (12 digits, comma-separated) the stack may be deployed to: the provider refuses any other before touching anything. Empty for any. workshop provision sets each team's.",
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
    secret: true,
    optional: true,
  },
  endsAt: {
    type: "string",
    description:
      "When the event ends, ISO 8601 with a time zone (2026-12-01T17:00:00Z). Tagged on everything; the analytics application is stopped then.",
  },
  anomalyThreshold: {
    type: "string",
    description: `Random Cut Forest score above which a window is an anomaly. The 2020 lab used 2; this forest's scores reach at most 3.70, and ${DEFAULT_THRESHOLD} separates steady traffic from the lab's burst (docs/detection.md).`,
    // The job's own default (sql/runtime-properties.json): one home for the value (issue #27).
    default: DEFAULT_THRESHOLD,
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
export const REQUIRED_KEYS = (Object.keys(SCHEMA) as ConfigKey[]).filter((k) => !("default" in SCHEMA[k]) && !("optional" in SCHEMA[k]));

/** How far ahead endsAt may lie when the configuration is read. */
export interface EndsAtWindow {
  /** At least this long from now: time to create the stack and run the lab (default 30). */
  readonly minMinutes: number;
  /** At most this long from now: the pack's limit on an event (policy/limits.ts, default 14). */
  readonly maxDays: number;
}

export const DEFAULT_ENDS_AT_WINDOW: EndsAtWindow = { minMinutes: 30, maxDays: LIMITS.maxEventDays };

/**
 * The pack's limits that configuration is checked against: the defaults of policy/limits.ts, or
 * the run's own when `--policy-pack-config` changes them (workshop/packConfig.ts), so that a row
 * the run's pack would refuse is refused here, and one it allows is not (issue #26).
 */
export interface RunLimits {
  readonly smsCountryCodes: readonly string[];
  readonly maxEventDays: number;
  readonly maxExpirationDays: number;
  readonly maxRetentionDays: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  smsCountryCodes: LIMITS.smsCountryCodes,
  maxEventDays: LIMITS.maxEventDays,
  maxExpirationDays: LIMITS.maxExpirationDays,
  maxRetentionDays: LIMITS.maxRetentionDays,
};

export interface ValidateOptions {
  readonly endsAtWindow?: EndsAtWindow;
  /** The run's limits (default: the pack's defaults); its maxEventDays applies unless endsAtWindow is given. */
  readonly limits?: RunLimits;
}

export interface LabConfig {
  readonly event: string;
  readonly team: string;
  readonly region: string;
  readonly notificationEmail: string;
  readonly notificationPhone?: string;
  /** The provider's own profile (config awsProfile); undefined for the default credentials. */
  readonly awsProfile?: string;
  /** The accounts the provider may reach (config allowedAccountIds); empty for any. */
  readonly allowedAccountIds: readonly string[];
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
const E164 = /^\+[1-9]\d{6,14}$/;
/** Decimal numbers only: no sign, exponent, hex, octal or binary (`Number` takes all of those). */
const DECIMAL = /^\d+(\.\d+)?$/;

// The e-mail addresses accepted: the practical subset that SNS's email protocol delivers to and
// every mail system handles. RFC 5322's dot-atom local part (letters, digits and
// !#$%&'*+/=?^_`{|}~- in dot-separated runs, at most 64 characters) at a DNS host name (labels of
// letters, digits and inner hyphens, at most 63 each, a top-level domain of letters or an xn--
// label), at most 254 characters in all (RFC 5321 4.5.3.1). Refused though RFC 5322 allows them:
// quoted local parts, comments, IP-address literals and display names (`Name <a@b.c>`).
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LOCAL_PART = new RegExp(`^${ATEXT}+(\\.${ATEXT}+)*$`);
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** Why `email` is outside the accepted subset (see above), or undefined when it is inside. */
export function emailProblem(email: string): string | undefined {
  if (email.length > 254) return "is longer than 254 characters";
  const at = email.lastIndexOf("@");
  if (at <= 0) return "has no local part and domain separated by @";
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  if (local.length > 64 || !LOCAL_PART.test(local))
    return "has a local part outside letters, digits, !#$%&'*+/=?^_`{|}~- and single inner dots";
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return "has a domain that is not a host name (labels of letters, digits and inner hyphens, separated by single dots)";
  if (!TOP_LEVEL.test(labels[labels.length - 1]!)) return "ends in a top-level domain that is not letters";
  return undefined;
}

/**
 * Reserved by S3 for other uses (general purpose bucket naming rules, Amazon S3 user guide): no
 * bucket name may start or end with these, so no event or team name may make one.
 */
export const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "sthree-configurator", "amzn-s3-demo-"] as const;
export const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/** Why a bucket name hits S3's reserved prefixes or suffixes, or undefined. */
export function reservedBucketName(bucket: string): string | undefined {
  const prefix = S3_RESERVED_PREFIXES.find((p) => bucket.startsWith(p));
  if (prefix) return `the bucket name ${bucket} would start with ${prefix}, a prefix S3 reserves`;
  const suffix = S3_RESERVED_SUFFIXES.find((x) => bucket.endsWith(x));
  if (suffix) return `the bucket name ${bucket} would end with ${suffix}, a suffix S3 reserves`;
  return undefined;
}

/** Edit distance, for "did you mean": insertions, deletions and substitutions cost 1. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The schema key a mistyped key most likely meant, if one is close enough. */
export function closestKey(key: string): ConfigKey | undefined {
  return closest(key, Object.keys(SCHEMA) as ConfigKey[]);
}

/** Of `candidates`, the one a mistyped `word` most likely meant (edit distance, case ignored), if one is close enough. */
export function closest<T extends string>(word: string, candidates: readonly T[]): T | undefined {
  const best = candidates.map((k) => ({ k, d: distance(word.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 4)) ? best.k : undefined;
}
// Cognito's AdminCreateUser Username pattern: letters, marks, symbols, numbers, punctuation; no spaces.
const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/** Raw values as Pulumi stores them, keyed without the project's namespace; any key may appear. */
type Raw = Readonly<Record<string, string | undefined>>;

function set(key: string, value: string): string {
  return `pulumi config set ${key} ${value}`;
}

function checkName(key: "event" | "team", value: string, max: number, out: ConfigProblem[]): boolean {
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
    return false;
  }
  return true;
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
  if (!/^\d+$/.test(value) || !ok(n)) {
    out.push({ key, problem: `${JSON.stringify(value)} is not ${expect}`, fix: set(key, fix) });
  }
  return n;
}

/** What every check reads: the raw values with the schema's defaults, the clock, and where problems go. */
interface Reading {
  readonly raw: Raw;
  readonly now: Date;
  readonly window: EndsAtWindow;
  readonly limits: RunLimits;
  readonly problems: ConfigProblem[];
  /** The key's value, or its schema default, or "" when it has neither. */
  value(key: ConfigKey): string;
}

function reading(raw: Raw, now: Date, window: EndsAtWindow, limits: RunLimits): Reading {
  return {
    raw,
    now,
    window,
    limits,
    problems: [],
    value(key) {
      const v = raw[key];
      if (v !== undefined && v !== "") return v;
      const spec: KeySpec = SCHEMA[key];
      return spec.default === undefined ? "" : String(spec.default);
    },
  };
}

/**
 * Validates raw configuration strings (as Pulumi stores them) and applies the schema's defaults:
 * one named check per key, each adding its problems. Throws one ConfigError naming every problem,
 * so a stack never fails halfway on a typo.
 */
export function validateConfig(raw: Raw, now: Date = new Date(), stack?: string, options: ValidateOptions = {}): LabConfig {
  const limits = options.limits ?? DEFAULT_RUN_LIMITS;
  const r = reading(raw, now, options.endsAtWindow ?? { ...DEFAULT_ENDS_AT_WINDOW, maxDays: limits.maxEventDays }, limits);
  checkUnknownKeys(r);
  checkRequiredKeys(r);
  const config: LabConfig = {
    ...checkNames(r),
    region: checkRegion(r),
    notificationEmail: checkEmail(r),
    notificationPhone: checkPhone(r),
    ...checkAccountGuard(r),
    kdgUsername: checkUsername(r),
    kdgPassword: checkPassword(r),
    endsAt: checkEndsAt(r),
    anomalyThreshold: checkThreshold(r),
    bucketExpirationDays: checkBucketExpiration(r),
    logRetentionDays: checkLogRetention(r),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems, stack);
  return config;
}

/** A key outside the schema is a typo until proven otherwise: name the closest key. */
function checkUnknownKeys({ raw, problems }: Reading): void {
  for (const key of Object.keys(raw).filter((k) => !(k in SCHEMA) && raw[k] !== undefined)) {
    const meant = closestKey(key);
    problems.push({
      key,
      problem: `is not a setting of this project${meant ? `; did you mean ${meant}?` : ""} (settings: ${Object.keys(SCHEMA).join(", ")})`,
      fix: `pulumi config rm ${key}${meant ? `  then: ${set(meant, raw[key]!)}` : ""}`,
    });
  }
}

function checkRequiredKeys(r: Reading): void {
  for (const key of REQUIRED_KEYS) {
    if (r.value(key) === "") {
      // An end four hours from now: a fixed example date would itself be refused once it passed.
      const inFourHours = new Date(r.now.getTime() + 4 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const example = { team: "team01", notificationEmail: "you@example.com", endsAt: inFourHours }[key as string];
      r.problems.push({ key, problem: "is required and not set", fix: set(key, example ?? "<value>") });
    }
  }
}

/** Event and team names, and the bucket names they make together (S3's reserved ends). */
function checkNames(r: Reading): { event: string; team: string } {
  const event = r.value("event");
  const eventOk = checkName("event", event, MAX_EVENT_LENGTH, r.problems);
  const team = r.value("team");
  const teamOk = team !== "" && checkName("team", team, MAX_TEAM_LENGTH, r.problems);
  if (eventOk && teamOk) {
    // A 12-digit stand-in for the account: only the ends of the name matter here.
    const names = teamNames(event, team);
    const reserved =
      reservedBucketName(names.bucket("raw", "000000000000")) ?? reservedBucketName(names.bucket("processed", "000000000000"));
    if (reserved)
      r.problems.push({
        key: "event",
        problem: `${JSON.stringify(event)} with team ${JSON.stringify(team)}: ${reserved}`,
        fix: set("event", `lab-${event}`.slice(0, MAX_EVENT_LENGTH).replace(/-+$/, "")),
      });
  }
  return { event, team };
}

function checkRegion(r: Reading): string {
  const region = r.value("region");
  if (region !== LAB_REGION) {
    r.problems.push({
      key: "region",
      problem: `${JSON.stringify(region)} is not allowed: the lab runs in ${LAB_REGION} only`,
      fix: set("region", LAB_REGION),
    });
  }
  return region;
}

function checkEmail(r: Reading): string {
  const email = r.value("notificationEmail");
  const emailWrong = email === "" ? undefined : emailProblem(email);
  if (emailWrong) {
    r.problems.push({
      key: "notificationEmail",
      problem: `${JSON.stringify(email)} is not an e-mail address SNS can deliver to: it ${emailWrong}`,
      fix: set("notificationEmail", "you@example.com"),
    });
  }
  return email;
}

/**
 * The provider's profile and the accounts it may reach (issue 23): IDs of 12 digits, and a profile
 * name the AWS CLI accepts.
 */
function checkAccountGuard(r: Reading): Pick<LabConfig, "awsProfile" | "allowedAccountIds"> {
  const profile = r.value("awsProfile");
  if (profile !== "" && !/^[\w.+=@,-]+$/.test(profile))
    r.problems.push({
      key: "awsProfile",
      problem: `${JSON.stringify(profile)} is not an AWS profile name`,
      fix: set("awsProfile", "<a profile from ~/.aws/config>"),
    });
  const ids = r
    .value("allowedAccountIds")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const wrong = ids.filter((x) => !/^\d{12}$/.test(x));
  if (wrong.length)
    r.problems.push({
      key: "allowedAccountIds",
      problem: `${wrong.map((x) => JSON.stringify(x)).join(", ")} ${wrong.length === 1 ? "is not a 12-digit AWS account ID" : "are not 12-digit AWS account IDs"}`,
      fix: set("allowedAccountIds", "111111111111"),
    });
  return { ...(profile ? { awsProfile: profile } : {}), allowedAccountIds: ids };
}

/** An E.164 number in a country the pack lets the lab text, or undefined for none. */
function checkPhone(r: Reading): string | undefined {
  const phone = r.value("notificationPhone");
  if (phone !== "" && !E164.test(phone)) {
    r.problems.push({
      key: "notificationPhone",
      problem: `${JSON.stringify(phone)} is not an E.164 phone number (a +, the country code, then up to 14 digits, no spaces)`,
      fix: `${set("notificationPhone", "+15555550123")}  (or: pulumi config rm notificationPhone)`,
    });
  } else if (phone !== "" && !smsAllowed(phone, r.limits.smsCountryCodes)) {
    r.problems.push({
      key: "notificationPhone",
      problem: MESSAGES.smsNumber(phone, r.limits.smsCountryCodes),
      fix: `pulumi config rm notificationPhone  (SMS reaches ${r.limits.smsCountryCodes.map((c) => `+${c}`).join(", ") || "no country in this run"}, never ${PREMIUM_SMS_PREFIXES.join(", ")})`,
    });
  } else if (phone !== "" && validatePhoneNumberLength(phone) !== undefined) {
    // E.164 allows up to 15 digits in all; each country's numbering plan fixes its own lengths
    // (+1: ten digits after the country code). libphonenumber-js carries those plans.
    r.problems.push({
      key: "notificationPhone",
      problem: `${JSON.stringify(phone)} has the wrong number of digits for its country (${validatePhoneNumberLength(phone)!.toLowerCase().replace("_", " ")})`,
      fix: `${set("notificationPhone", "+15555550123")}  (or: pulumi config rm notificationPhone)`,
    });
  }
  return phone === "" ? undefined : phone;
}

function checkUsername(r: Reading): string {
  const username = r.value("kdgUsername");
  if (!COGNITO_USERNAME.test(username)) {
    r.problems.push({
      key: "kdgUsername",
      problem: `${JSON.stringify(username)} is not a valid Cognito user name (1-128 characters, no spaces)`,
      fix: set("kdgUsername", "kdg-user"),
    });
  }
  return username;
}

/** The password when set (checked against the pool's own policy), undefined to have one generated. */
function checkPassword(r: Reading): string | undefined {
  const password = r.raw.kdgPassword === "" ? undefined : r.raw.kdgPassword;
  if (password !== undefined) {
    const wrong = passwordProblems(password, KDG_PASSWORD_POLICY);
    if (wrong.length > 0) {
      r.problems.push({
        key: "kdgPassword",
        problem: `the password ${wrong.join(", ")}`,
        fix: "pulumi config set --secret kdgPassword <password>  (or: pulumi config rm kdgPassword to have one generated)",
      });
    }
  }
  return password;
}

/** An instant far enough ahead to run the lab and within the pack's longest event. */
function checkEndsAt(r: Reading): Date {
  const endsAtText = r.value("endsAt");
  const endsAt = parseInstant(endsAtText) ?? new Date(NaN);
  if (endsAtText !== "") {
    const example = endsAtFixValue(endsAtText);
    const lead = endsAt.getTime() - r.now.getTime();
    const why = Number.isNaN(endsAt.getTime())
      ? `${JSON.stringify(endsAtText)} is not an ISO 8601 date and time with a time zone on a real calendar day`
      : lead <= 0
        ? `${endsAtText} is in the past: the stop schedule could never fire`
        : lead < r.window.minMinutes * 60_000
          ? `${endsAtText} is less than ${r.window.minMinutes} minutes ahead: too soon to create the stack and run the lab`
          : lead > r.window.maxDays * 86_400_000
            ? MESSAGES.eventTooLong(endsAtText, r.window.maxDays)
            : undefined;
    if (why) r.problems.push({ key: "endsAt", problem: why, fix: set("endsAt", example) });
  }
  return endsAt;
}

/**
 * The value the endsAt fix line offers (issue 23): the instructor's own time with a Z when only
 * the zone is missing (stated as UTC, to be changed to their offset), otherwise a placeholder: a
 * real-looking time ("now + 8 h") pasted as is would end the event before it starts, or at an
 * hour nobody chose.
 */
export function endsAtFixValue(text: string): string {
  const zoneless = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(text.trim()) ? `${text.trim()}Z` : undefined;
  if (zoneless && parseInstant(zoneless)) return `${zoneless}  (your time read as UTC: write your offset instead of Z, e.g. +01:00)`;
  return "<YYYY-MM-DDTHH:MM:SSZ, the event's end>";
}

function checkThreshold(r: Reading): number {
  const thresholdText = r.value("anomalyThreshold");
  const anomalyThreshold = Number(thresholdText);
  if (!DECIMAL.test(thresholdText) || !(anomalyThreshold > 0 && anomalyThreshold <= 100)) {
    r.problems.push({
      key: "anomalyThreshold",
      problem: `${JSON.stringify(thresholdText)} is not a decimal number above 0 and at most 100, such as 2 or 2.5 (Random Cut Forest scores are around 1 for normal points)`,
      fix: set("anomalyThreshold", String(SCHEMA.anomalyThreshold.default)),
    });
  }
  return anomalyThreshold;
}

/** Whole days, 1 or more, within the pack's longest expiry. */
function checkBucketExpiration(r: Reading): number {
  const expiryText = r.value("bucketExpirationDays");
  const bucketExpirationDays = checkInteger(
    "bucketExpirationDays",
    expiryText,
    (n) => n >= 1,
    "a whole number of days, 1 or more",
    String(SCHEMA.bucketExpirationDays.default),
    r.problems,
  );
  if (/^\d+$/.test(expiryText) && bucketExpirationDays > r.limits.maxExpirationDays) {
    r.problems.push({
      key: "bucketExpirationDays",
      problem: `each bucket ${MESSAGES.expirationDays(bucketExpirationDays, r.limits.maxExpirationDays)} (the policy pack's limit)`,
      fix: set("bucketExpirationDays", String(r.limits.maxExpirationDays)),
    });
  }
  return bucketExpirationDays;
}

/** One of CloudWatch's retention periods, within the pack's longest retention. */
function checkLogRetention(r: Reading): number {
  const retentionText = r.value("logRetentionDays");
  const logRetentionDays = checkInteger(
    "logRetentionDays",
    retentionText,
    (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
    `one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.filter((d) => d <= r.limits.maxRetentionDays).join(", ")} within the pack's limit)`,
    String(SCHEMA.logRetentionDays.default),
    r.problems,
  );
  if (
    (LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays) &&
    /^\d+$/.test(retentionText) &&
    logRetentionDays > r.limits.maxRetentionDays
  ) {
    r.problems.push({
      key: "logRetentionDays",
      problem: `${MESSAGES.retentionDays(logRetentionDays, r.limits.maxRetentionDays)} (the policy pack's limit)`,
      fix: set("logRetentionDays", String(r.limits.maxRetentionDays)),
    });
  }
  return logRetentionDays;
}
