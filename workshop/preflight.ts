// Before the event: is every account the roster reaches ready for it? Stacks can come up in an
// account that will still fail the event silently: credentials that end mid-provision, a Region
// not enabled, quotas too small, texts that will never arrive (SMS sandbox, no origination
// identity for US numbers, a spend limit below the event's texts, phones that opted out), Lambda
// concurrency below the teams. One verdict per check and account, each with its fix in one line
// and the AWS page its rule comes from (issue 23). Data only: cli/workshop/preflight.ts draws it.

import { parsePhoneNumberFromString } from "libphonenumber-js";
import pLimit from "p-limit";
import type { AccountProbe, Identity, LambdaConcurrency, SmsFacts } from "./accountProbe";
import { quotaFix, quotaUse, type QuotaSource, type QuotaUse } from "./quotas";
import type { RosterRow } from "./rosterRow";

export type Verdict = "ok" | "warn" | "fail";

/** A roster row a check is about. */
export interface RowRef {
  readonly line: number;
  readonly team: string;
  readonly phone?: string;
}

/** One check's verdict in one account. */
export interface CheckResult {
  /** Stable name: credentials, region, quota:<id>, lambda-concurrency, sms-sandbox, sms-verified, sms-origination, sms-spend-limit, sms-opted-out, environment-keys. */
  readonly check: string;
  readonly verdict: Verdict;
  /** What was found, one line. */
  readonly found: string;
  /** What to do, one line; absent when the verdict is ok. */
  readonly fix?: string;
  /** The AWS page the rule comes from. */
  readonly source: string;
  /** The roster rows concerned, when the check is about rows. */
  readonly rows?: readonly RowRef[];
}

/** One account the roster reaches, or one profile whose credentials reach none. */
export interface AccountReport {
  /** The 12-digit ID STS returned; undefined when the credentials did not work. */
  readonly account?: string;
  /** The profiles that reach it ("" for the default credentials). */
  readonly profiles: readonly string[];
  readonly teams: readonly string[];
  readonly checks: readonly CheckResult[];
  /** Each quota: used by the teams here / allowed. Empty when the account could not be reached. */
  readonly quotas: readonly QuotaUse[];
}

export interface PreflightReport {
  readonly region: string;
  /** The worst verdict of all. */
  readonly verdict: Verdict;
  /** Checks about the whole run, not one account (the shell's environment). */
  readonly general: readonly CheckResult[];
  readonly accounts: readonly AccountReport[];
  /** Provision's expected length in minutes, against which credentials are judged. */
  readonly provisionMinutes: number;
}

export interface PreflightOptions {
  readonly region: string;
  /** Stacks provisioned at once (provision's --concurrency). */
  readonly concurrency: number;
  /** Minutes one stack takes to come up (MINUTES_PER_STACK unless measured otherwise). */
  readonly minutesPerStack?: number;
  /** Alerts one phone may get during the event (TEXTS_PER_PHONE unless told otherwise). */
  readonly textsPerPhone?: number;
  /** The event sends no SMS (provision --no-sms): the SMS checks are skipped, phones ignored. */
  readonly noSms?: boolean;
  /** The shell's environment, for the credential-precedence warning. */
  readonly env?: NodeJS.ProcessEnv;
  readonly now: Date;
}

/**
 * How long one team stack takes to come up, in minutes: the Managed Flink application is the
 * longest of its resources (creating one takes several minutes; Managed Flink developer guide,
 * "Create and run a Managed Service for Apache Flink application"). An estimate with margin, not
 * a measurement: only credentials that last less than the whole provision are refused.
 */
export const MINUTES_PER_STACK = 15;

/**
 * Texts one phone may get: one per anomalous window (docs/alerts.md), the smoke test's burst and
 * the lab's, with reruns. An assumption for the spend-limit check, said in its line.
 */
export const TEXTS_PER_PHONE = 10;

/**
 * The country (ISO 3166-1 alpha-2) a text to `phone` (E.164) goes to, as libphonenumber-js's
 * numbering plans place it. A calling code is not a country: +1 is the North American Numbering
 * Plan, shared by the US, Canada and some twenty Caribbean and Pacific countries and territories,
 * and only the area code tells them apart (+1 604 is Vancouver, Canada; +1 809 the Dominican
 * Republic). A number that no country's plan places (the fictional +1 555 01xx of examples) is
 * taken as the first country the library lists for its calling code, the code's main country
 * (US for +1), so that a check a US number would fail is not skipped for it.
 */
export function smsCountry(phone: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed?.country ?? parsed?.getPossibleCountries()[0];
}

/**
 * What one text costs at most, in USD, rounded up: a text to a US number is the base price plus
 * the carrier fee, about a cent; any other country (Canada included) up to ten times that (AWS End
 * User Messaging pricing, https://aws.amazon.com/end-user-messaging/pricing/). The country is
 * smsCountry's, not the +1 prefix.
 */
export function usdPerText(phone: string): number {
  return smsCountry(phone) === "US" ? 0.01 : 0.1;
}

/**
 * Lambda concurrency one team needs at the burst: its alert function reads the anomalies stream,
 * one shard (components/analytics.ts), with the event source mapping's default parallelization
 * factor of 1, so one concurrent execution ("How Lambda processes records from Kinesis",
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
 */
export const LAMBDA_CONCURRENCY_PER_TEAM = 1;

/** Most verified destination numbers the SMS sandbox holds ("Using the Amazon SNS SMS sandbox"). */
export const SANDBOX_MAX_NUMBERS = 10;

/** The SNS default MonthlySpendLimit of a new account, in USD ("Setting SMS messaging preferences"). */
export const NEW_ACCOUNT_SMS_SPEND_LIMIT_USD = 1;

export const SOURCES = {
  credentials: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html",
  region: "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html",
  lambda: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html",
  sandbox: "https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html",
  verify: "https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox-verifying-phone-numbers.html",
  origination: "https://docs.aws.amazon.com/sms-voice/latest/userguide/registrations.html",
  spendLimit: "https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html",
  optOut: "https://docs.aws.amazon.com/sns/latest/dg/sms_manage.html",
  environment: "https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html",
} as const;

/** What preflight needs from outside: the account probe (AWS, or a fake in tests) and the quotas. */
export interface PreflightDeps {
  readonly probe: AccountProbe;
  readonly quotas: QuotaSource;
}

const worst = (vs: readonly Verdict[]): Verdict => (vs.includes("fail") ? "fail" : vs.includes("warn") ? "warn" : "ok");
const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!;

/**
 * AWS refused the read for its rate, after the SDK's own retries (three attempts with back-off and
 * jitter for throttling errors: "Retry behavior", AWS SDKs and Tools reference guide): SNS answers
 * Throttled (HTTP 429), Lambda TooManyRequestsException (429), the query APIs Throttling.
 */
function isThrottled(e: unknown): boolean {
  const name = e instanceof Error ? e.name : "";
  const status = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded/.test(name);
}

/** A failed read in one line: the error's name (ThrottledException, AuthorizationErrorException…) and message. */
const readError = (e: unknown) => (e instanceof Error && e.name !== "Error" ? `${e.name}: ${oneLine(e)}` : oneLine(e));

/** The fix for a read AWS refused: wait out a throttle, otherwise `otherwise` (a permission to grant). */
const readFix = (e: unknown, otherwise: string) =>
  isThrottled(e) ? "AWS throttled the reads of this account: run preflight again in a minute (nothing was changed)" : otherwise;
const ref = (r: RosterRow): RowRef => ({ line: r.line, team: r.team, ...(r.phone ? { phone: r.phone } : {}) });
const who = (profile: string) => (profile ? `profile ${profile}` : "the default credentials");

/**
 * Runs every check for every account the roster reaches, grouped by the account STS returns for
 * each row's profile (so one account reached through two profiles is judged once, with both).
 * Never throws for what it finds: a failed AWS read is a warning of its check (or, for the
 * credentials, a fail of the profile).
 */
export async function runPreflight(rows: readonly RosterRow[], deps: PreflightDeps, o: PreflightOptions): Promise<PreflightReport> {
  const provisionMinutes = Math.ceil(rows.length / Math.max(1, o.concurrency)) * (o.minutesPerStack ?? MINUTES_PER_STACK);
  const byProfile = groupBy(rows, (r) => r.profile ?? "");
  const identities = await identitiesOf([...byProfile.keys()], deps.probe);
  const works = (p: string) => !(identities.get(p) instanceof Error);
  const unreachable = [...byProfile].filter(([p]) => !works(p)).map(([p, its]) => unreachableReport(p, its, identities.get(p) as Error));
  const reached = groupBy([...byProfile.keys()].filter(works), (p) => (identities.get(p) as Identity).account);
  const limit = pLimit(4);
  const judged = await Promise.all(
    [...reached].map(([account, profiles]) =>
      limit(() =>
        checkAccount(
          account,
          profiles,
          profiles.flatMap((p) => byProfile.get(p)!),
          profiles.map((p) => [p, identities.get(p) as Identity] as const),
          deps,
          { ...o, provisionMinutes },
        ),
      ),
    ),
  );
  const accounts = [...unreachable, ...judged];
  const general = environmentChecks(rows, o.env ?? {});
  return {
    region: o.region,
    verdict: worst([...general, ...accounts.flatMap((a) => a.checks)].map((c) => c.verdict)),
    general,
    accounts,
    provisionMinutes,
  };
}

/** STS's answer for each profile ("" the default credentials), or why there is none. */
async function identitiesOf(profiles: readonly string[], probe: AccountProbe): Promise<Map<string, Identity | Error>> {
  const identities = new Map<string, Identity | Error>();
  await Promise.all(
    profiles.map(async (p) => {
      try {
        identities.set(p, await probe.identity(p || undefined));
      } catch (e) {
        identities.set(p, e instanceof Error ? e : new Error(String(e)));
      }
    }),
  );
  return identities;
}

/** A profile whose credentials do not work: one report, one fail, whatever its number of rows. */
function unreachableReport(profile: string, rows: readonly RosterRow[], error: Error): AccountReport {
  return {
    profiles: [profile],
    teams: rows.map((r) => r.team),
    quotas: [],
    checks: [
      {
        check: "credentials",
        verdict: "fail",
        found: `${who(profile)}: no usable credentials: ${oneLine(error)}`,
        // The line above names the likely cause and its fix by the profile's kind (awsProfiles.ts).
        fix: profile
          ? `make \`aws sts get-caller-identity --profile ${profile}\` work (the cause above says how), then run preflight again`
          : "export AWS_PROFILE or AWS keys for the event's account",
        source: SOURCES.credentials,
        rows: rows.map(ref),
      },
    ],
  };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

/** Every check of one account the credentials reached. */
async function checkAccount(
  account: string,
  profiles: readonly string[],
  rows: readonly RosterRow[],
  identities: readonly (readonly [string, Identity])[],
  deps: PreflightDeps,
  o: PreflightOptions & { provisionMinutes: number },
): Promise<AccountReport> {
  const reader = profiles[0] || undefined;
  const checks: CheckResult[] = identities.map(([p, id]) => credentialsCheck(p, id, o.now, o.provisionMinutes));
  const elsewhere = rows.filter((r) => r.account && r.account !== account);
  if (elsewhere.length > 0)
    checks.push({
      check: "account-column",
      verdict: "fail",
      found: `${elsewhere.length} row(s) name another account in the account column than the ${account} their credentials reach`,
      fix: `write ${account} in those rows, or give them a profile of the account they name`,
      source: SOURCES.credentials,
      rows: elsewhere.map(ref),
    });
  checks.push(
    await attempt(
      "region",
      SOURCES.region,
      () => deps.probe.regionOptIn(reader, o.region),
      (s) => regionCheck(o.region, s),
    ),
  );
  const quotas = await quotaUse(rows.length, deps.quotas, reader);
  checks.push(...quotas.map(quotaCheck));
  checks.push(
    await attempt(
      "lambda-concurrency",
      SOURCES.lambda,
      () => deps.probe.lambdaConcurrency(reader),
      (c) => lambdaCheck(rows.length, c),
    ),
  );
  const texting = o.noSms ? [] : rows.filter((r) => r.phone);
  if (texting.length > 0) {
    const phones = [...new Set(texting.map((r) => r.phone!))];
    try {
      checks.push(...smsChecks(texting, await deps.probe.sms(reader, phones), o.textsPerPhone ?? TEXTS_PER_PHONE));
    } catch (e) {
      checks.push({
        check: "sms-sandbox",
        verdict: "warn",
        found: `the account's SMS set-up could not be read (${readError(e)}): ${texting.length} phone(s) may never get a text`,
        fix: readFix(
          e,
          "allow sns:GetSMSSandboxAccountStatus, sns:ListSMSSandboxPhoneNumbers, sns:ListOriginationNumbers, sns:GetSMSAttributes and sns:CheckIfPhoneNumberIsOptedOut, or provision --no-sms",
        ),
        source: SOURCES.sandbox,
      });
    }
  }
  return { account, profiles, teams: rows.map((r) => r.team), checks, quotas };
}

/** Runs one read; a failed read is a warning of its check (nothing known), not a crash of the whole preflight. */
async function attempt<T>(check: string, source: string, read: () => Promise<T>, judge: (t: T) => CheckResult): Promise<CheckResult> {
  let value: T;
  try {
    value = await read();
  } catch (e) {
    return {
      check,
      verdict: "warn",
      found: `could not be read: ${readError(e)}`,
      fix: readFix(e, "grant the read permission named above, then run preflight again"),
      source,
    };
  }
  return judge(value);
}

const clock = (d: Date) => d.toISOString().slice(11, 16) + " UTC";
const duration = (minutes: number) => (minutes >= 90 ? `${(minutes / 60).toFixed(1)} h` : `${Math.round(minutes)} min`);

/** Credentials that end before provision would: fail; with less than twice its length to spare: warning. */
export function credentialsCheck(profile: string, id: Identity, now: Date, provisionMinutes: number): CheckResult {
  const base = { check: "credentials", source: SOURCES.credentials };
  const whom = `${who(profile)}: ${id.arn || id.account}`;
  if (!id.expiresAt) return { ...base, verdict: "ok", found: `${whom}; long-lived keys, no expiry` };
  const left = (id.expiresAt.getTime() - now.getTime()) / 60_000;
  const found = `${whom}; expire at ${clock(id.expiresAt)} (${left <= 0 ? "already expired" : `in ${duration(left)}`}), provision needs about ${duration(provisionMinutes)}`;
  const renew = id.renew
    ? `${id.renew} right before provision (or ask for a longer session)`
    : `renew ${profile ? `profile ${profile}'s` : "the"} session right before provision (or ask for a longer one)`;
  if (left < provisionMinutes)
    return { ...base, verdict: "fail", found, fix: `${renew}; or provision fewer teams per run, or raise --concurrency` };
  if (left < 2 * provisionMinutes) return { ...base, verdict: "warn", found, fix: renew };
  return { ...base, verdict: "ok", found };
}

/** A Region that is not enabled refuses every call ("Specify which AWS Regions your account can use"). */
export function regionCheck(region: string, status: string): CheckResult {
  const base = { check: "region", source: SOURCES.region };
  if (status === "opt-in-not-required" || status === "opted-in")
    return { ...base, verdict: "ok", found: `${region} is enabled (${status})` };
  return {
    ...base,
    verdict: "fail",
    found: `${region} is not enabled in this account (${status})`,
    fix: `enable it: aws account enable-region --region-name ${region} (takes minutes to hours)`,
  };
}

export function quotaCheck(q: QuotaUse): CheckResult {
  const base = { check: `quota:${q.id}`, source: q.source };
  const found = `${q.label}: ${q.used} used by the teams here of ${q.allowed} allowed (${q.from})`;
  if (q.used > q.allowed) return { ...base, verdict: "fail", found, fix: quotaFix(q) };
  // What else runs in the account uses the same quota; Service Quotas reports the limit, not the use.
  if (q.used > 0.8 * q.allowed)
    return {
      ...base,
      verdict: "warn",
      found: `${found}; anything else in the account counts too`,
      fix: "raise the quota in Service Quotas, or spread the teams",
    };
  return { ...base, verdict: "ok", found };
}

/**
 * Functions without reserved concurrency share UnreservedConcurrentExecutions; a new account's
 * limit can be far below the default 1,000 ("Lambda quotas"). Beyond it, Lambda throttles and the
 * alerts wait.
 */
export function lambdaCheck(teams: number, c: LambdaConcurrency): CheckResult {
  const need = teams * LAMBDA_CONCURRENCY_PER_TEAM;
  const base = { check: "lambda-concurrency", source: SOURCES.lambda };
  const found = `${teams} alert function(s) need ${need} concurrent executions at the burst; the account has ${c.unreserved} unreserved of ${c.limit}`;
  if (need > c.unreserved)
    return {
      ...base,
      verdict: "fail",
      found,
      fix: `request "Concurrent executions" of at least ${need + 100} in Service Quotas (Lambda), or spread the teams over more accounts`,
    };
  return { ...base, verdict: "ok", found };
}

/**
 * The SMS checks of one account, for the rows with a phone (the event's texts): sandbox status,
 * unverified destinations (row by row), more phones than the sandbox holds, US numbers without an
 * origination identity, the monthly spend limit against the event's texts, opted-out phones.
 */
export function smsChecks(rows: readonly RosterRow[], sms: SmsFacts, textsPerPhone: number): CheckResult[] {
  const phones = [...new Set(rows.map((r) => r.phone!))];
  const us = rows.filter((r) => smsCountry(r.phone!) === "US");
  const out = rows.filter((r) => sms.optedOut.includes(r.phone!));
  return [
    ...sandboxChecks(rows, phones, sms),
    ...(us.length > 0 ? [originationCheck(us, sms)] : []),
    spendLimitCheck(phones, sms.monthlySpendLimitUsd, textsPerPhone),
    ...(out.length > 0
      ? [
          {
            check: "sms-opted-out",
            verdict: "fail" as const,
            found: `${out.length} phone(s) opted out of texts from this account (replied STOP): SNS drops every text to them`,
            fix: "aws sns opt-in-phone-number --phone-number <phone> (once per 30 days), or drop the phone",
            source: SOURCES.optOut,
            rows: out.map(ref),
          },
        ]
      : []),
  ];
}

/** In the sandbox: a warning, every roster phone not verified (✗, row by row), more phones than it holds (✗). */
function sandboxChecks(rows: readonly RosterRow[], phones: readonly string[], sms: SmsFacts): CheckResult[] {
  if (!sms.inSandbox)
    return [{ check: "sms-sandbox", verdict: "ok", found: "the account is out of the SMS sandbox", source: SOURCES.sandbox }];
  const verified = new Set(sms.sandboxNumbers.filter((n) => n.status === "Verified").map((n) => n.phone));
  const unverified = rows.filter((r) => !verified.has(r.phone!));
  const checks: CheckResult[] = [
    {
      check: "sms-sandbox",
      verdict: "warn",
      found: `the account is in the SMS sandbox: it texts only verified destination numbers, at most ${SANDBOX_MAX_NUMBERS}`,
      fix: "request production access for SMS (SNS console, Text messaging (SMS), Exit SMS sandbox) well before the event, or provision --no-sms",
      source: SOURCES.sandbox,
    },
    unverified.length === 0
      ? {
          check: "sms-verified",
          verdict: "ok",
          found: `all ${phones.length} phone(s) are verified sandbox destinations`,
          source: SOURCES.verify,
        }
      : {
          check: "sms-verified",
          verdict: "fail",
          found: `${unverified.length} roster phone(s) are not verified destinations: no text will reach them`,
          fix: "per row: aws sns create-sms-sandbox-phone-number --phone-number <phone>, then verify-sms-sandbox-phone-number with the code texted to it; or drop the phone, or provision --no-sms",
          source: SOURCES.verify,
          rows: unverified.map(ref),
        },
  ];
  const size = sandboxSizeCheck(phones, sms);
  return size ? [...checks, size] : checks;
}

/**
 * The sandbox holds at most 10 verified destination numbers in all, and a number can be deleted
 * only 24 hours after its verification ("Using the Amazon SNS SMS sandbox"): the roster's phones
 * and the numbers verified for something else share the 10. Undefined when they fit.
 */
function sandboxSizeCheck(phones: readonly string[], sms: SmsFacts): CheckResult | undefined {
  const others = sms.sandboxNumbers.filter((n) => n.status === "Verified" && !phones.includes(n.phone)).map((n) => n.phone);
  if (phones.length + others.length <= SANDBOX_MAX_NUMBERS) return undefined;
  const base = { check: "sms-sandbox-size", verdict: "fail" as const, source: SOURCES.sandbox };
  if (others.length === 0)
    return {
      ...base,
      found: `${phones.length} different phones; the sandbox holds at most ${SANDBOX_MAX_NUMBERS} verified numbers`,
      fix: "leave the sandbox (production access), spread the phones over accounts, or provision --no-sms",
    };
  return {
    ...base,
    found: `${phones.length} different roster phones and ${others.length} other verified number(s) already in the sandbox (${others.join(", ")}); it holds at most ${SANDBOX_MAX_NUMBERS} verified numbers`,
    fix: "leave the sandbox (production access), free slots with aws sns delete-sms-sandbox-phone-number --phone-number <phone> (24 h after its verification), spread the phones over accounts, or provision --no-sms",
  };
}

/**
 * Phones in the US (smsCountry: not every +1 number; Canada's are not) need an active US
 * origination identity that can text: toll-free number, 10DLC campaign or short code (AWS End User
 * Messaging SMS user guide, registrations.html).
 */
function originationCheck(us: readonly RosterRow[], sms: SmsFacts): CheckResult {
  const identities = sms.originationNumbers.filter((n) => n.country === "US" && n.status === "ACTIVE" && n.capabilities.includes("SMS"));
  if (identities.length > 0)
    return {
      check: "sms-origination",
      verdict: "ok",
      found: `${us.length} US phone(s); the account sends from ${identities.map((n) => n.phone).join(", ")}`,
      source: SOURCES.origination,
    };
  return {
    check: "sms-origination",
    verdict: "fail",
    found: `${us.length} US phone(s) and no active US origination identity: carriers drop the texts`,
    fix: "register a toll-free number, 10DLC campaign or short code in AWS End User Messaging SMS (up to 15 business days), or provision --no-sms",
    source: SOURCES.origination,
    rows: us.map(ref),
  };
}

/** The event's texts against MonthlySpendLimit: ✗ above a set limit; a warning above a new account's $1 when none is set. */
export function spendLimitCheck(phones: readonly string[], limitUsd: number | undefined, textsPerPhone: number): CheckResult {
  const usd = phones.reduce((s, p) => s + textsPerPhone * usdPerText(p), 0);
  const need = `${phones.length} phone(s) x ${textsPerPhone} texts, about $${usd.toFixed(2)}`;
  const base = { check: "sms-spend-limit", source: SOURCES.spendLimit };
  const fix = `aws sns set-sms-attributes --attributes MonthlySpendLimit=${Math.ceil(usd * 2)} (above the account's maximum: a quota increase case first)`;
  if (limitUsd === undefined) {
    const found = `MonthlySpendLimit is not set: the account's maximum applies ($${NEW_ACCOUNT_SMS_SPEND_LIMIT_USD.toFixed(2)} for a new account); the event may send ${need}`;
    return usd > NEW_ACCOUNT_SMS_SPEND_LIMIT_USD ? { ...base, verdict: "warn", found, fix } : { ...base, verdict: "ok", found };
  }
  if (usd > limitUsd)
    return {
      ...base,
      verdict: "fail",
      found: `MonthlySpendLimit is $${limitUsd.toFixed(2)}; the event may send ${need}: SNS stops texting at the limit`,
      fix,
    };
  return { ...base, verdict: "ok", found: `MonthlySpendLimit $${limitUsd.toFixed(2)} covers ${need} (other texts this month count too)` };
}

/**
 * Keys in the shell's environment beside roster profiles: a credential chain that reads the
 * environment first would send every team to the keys' account. The team stacks give the profile
 * to the provider and refuse any other account (allowedAccountIds), so this is a warning.
 */
export function environmentChecks(rows: readonly RosterRow[], env: NodeJS.ProcessEnv): CheckResult[] {
  const profiles = new Set(rows.map((r) => r.profile).filter(Boolean));
  if (profiles.size === 0 || !env.AWS_ACCESS_KEY_ID) return [];
  return [
    {
      check: "environment-keys",
      verdict: "warn",
      found: `AWS_ACCESS_KEY_ID is set in this shell while ${profiles.size} roster profile(s) name other credentials; a tool that reads the environment first would use the keys' account`,
      fix: "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN before provision (each stack still refuses any account but its own)",
      source: SOURCES.environment,
    },
  ];
}
