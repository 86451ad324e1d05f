// Every limit the pack enforces, in one place, with why it is what it is. The pack must load on
// its own (`pulumi preview --policy-pack policy` runs this folder alone), so the limits live here
// and the rest of the project imports them: infra/config.ts refuses at read time what a rule
// would refuse at `pulumi up`, with the same words. Each rule's configSchema takes its default
// from here; `--policy-pack-config` can still change a limit for one run.

/** The only region the lab runs in: the 2020 guide insists on it. */
export const LAB_REGION = "us-east-1";

export const LIMITS = {
  /** Managed Flink: one KPU is 50 times what the lab's traffic needs (bench:flink). */
  maxKpus: 1,
  /**
   * Runtimes the job is built and tested for (analytics/pom.xml). The pack's own copy of
   * components/analytics.ts FLINK_RUNTIME (it loads alone); test/policy/packCopies.test.ts ties them.
   */
  flinkRuntimes: ["FLINK-1_20"] as readonly string[],
  /** Kinesis: one shard takes 1,000 records/s against the lab's 5. */
  maxShards: 1,
  /** Kinesis: 24 hours is the base retention; longer is billed per shard-hour on top. */
  maxStreamRetentionHours: 24,
  /** Lambda: the alert handler needs 128 MB; 256 leaves room. */
  maxMemoryMb: 256,
  maxTimeoutSeconds: 60,
  /**
   * Lambda reserved concurrency comes out of the account's shared pool (1,000 by default, the
   * same pool for every team of an event); the alert handler runs one batch per shard at a time.
   */
  maxReservedConcurrency: 5,
  /** Lambda: 512 MB of /tmp is included in the price; more is billed per GB-second. */
  maxEphemeralStorageMb: 512,
  /** Event source mappings: one batch per shard at a time keeps the alerts in order. */
  maxParallelizationFactor: 1,
  /** Firehose: tiny buffers write many small objects (S3 PUTs). */
  minBufferingSeconds: 60,
  maxBufferingMib: 64,
  /** S3: lab data has no use after the event. */
  maxExpirationDays: 14,
  /** CloudWatch Logs: kept forever unless told, billed per GB-month. */
  maxRetentionDays: 30,
  /** The team's estimated cost per hour (policy/cost/model.ts). */
  maxUsdPerHour: 0.5,
  /** Tags instructors find, cost and clean up a team's resources by. */
  requiredTags: ["event", "team", "expires-at"] as readonly string[],
  /**
   * An event lasts at most this long from the moment it is deployed: a stack's `expires-at` (and
   * so its stop schedule) lies at most this far ahead. A forgotten Flink application costs about
   * $0.22 an hour, $74 over two weeks.
   */
  maxEventDays: 14,
  /**
   * SMS: SNS bills each message by destination country, and most accounts sit in the SMS sandbox.
   * Calling codes (E.164, without the +) an SMS subscription may reach.
   */
  smsCountryCodes: ["1"] as readonly string[],
} as const;

/**
 * Premium-rate numbers in the North American Numbering Plan (NANPA: 900 and 976 are premium
 * services): refused for SMS even inside an allowed country code.
 */
export const PREMIUM_SMS_PREFIXES: readonly string[] = ["+1900", "+1976"];

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Words shared by a rule and by config validation, so that both say the same thing. */
export const MESSAGES = {
  expirationDays: (days: number, max: number) => `expires objects after ${days} days; at most ${max}`,
  retentionDays: (days: number, max: number) => `retentionInDays ${days} is over ${max}`,
  eventTooLong: (at: string, maxDays: number) => `${at} is more than ${maxDays} days ahead; an event lasts at most ${maxDays} days`,
  smsNumber: (phone: string, codes: readonly string[]) =>
    `${phone} is outside the allowed SMS countries (+${codes.join(", +")}) or a premium-rate number (${PREMIUM_SMS_PREFIXES.join(", ")})`,
} as const;

/** True when SMS to `phone` (E.164) stays inside the allowed countries and is not premium-rate. */
export function smsAllowed(phone: string, codes: readonly string[] = LIMITS.smsCountryCodes): boolean {
  if (PREMIUM_SMS_PREFIXES.some((p) => phone.startsWith(p))) return false;
  return codes.some((c) => phone.startsWith(`+${c}`));
}

// The instant grammar of endsAt and the expires-at tag is shared like the limits: infra/config.ts
// accepts exactly the endsAt values the expires-at rule will read.

/** ISO 8601 instant with a time zone, as config's endsAt and the expires-at tag are written. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 instant with a time zone; undefined when it is not one or names a day the
 * calendar does not have (2027-02-30: `Date` would silently roll it over to 2 March).
 */
export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[7]!;
  if (zone !== "Z" && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
