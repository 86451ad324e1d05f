// Will the roster fit? Each team stack uses a fixed amount of quota-limited resources; an account
// holds only so many. Limits come from the Service Quotas API where it answers (it reports raised
// quotas), and otherwise from AWS's documented defaults, so a roster that cannot fit is refused
// before any stack is created rather than failing halfway through an event.

import { ListServiceQuotasCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { credentialProblem } from "./awsProfiles";
import type { RosterProblem, RosterRow } from "./rosterRow";

export interface Quota {
  readonly id: string;
  readonly label: string;
  /** How much of it one team stack uses; test/workshop/quotaCounts.test.ts counts it in the offline plan. */
  readonly perTeam: number;
  /** AWS's default, with the page it is documented on. */
  readonly defaultLimit: number;
  readonly source: string;
  /** Where the Service Quotas API lists it: service code and a pattern for the quota's name. */
  readonly serviceCode: string;
  readonly name: RegExp;
}

export const QUOTAS: readonly Quota[] = [
  {
    id: "flink-applications",
    label: "Managed Flink applications",
    perTeam: 1,
    defaultLimit: 50,
    source: "https://docs.aws.amazon.com/managed-flink/latest/java/limits.html",
    serviceCode: "kinesisanalytics",
    name: /applications/i,
  },
  {
    id: "kinesis-shards",
    label: "Kinesis shards (us-east-1)",
    perTeam: 2,
    defaultLimit: 500,
    source: "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html",
    serviceCode: "kinesis",
    name: /shards per region/i,
  },
  {
    id: "cognito-user-pools",
    label: "Cognito user pools",
    perTeam: 1,
    defaultLimit: 1000,
    source: "https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html",
    serviceCode: "cognito-idp",
    name: /^user pools/i,
  },
  {
    id: "iam-roles",
    label: "IAM roles",
    perTeam: 6,
    defaultLimit: 1000,
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    serviceCode: "iam",
    name: /^roles per account/i,
  },
  {
    id: "s3-buckets",
    label: "S3 general purpose buckets",
    perTeam: 3,
    defaultLimit: 10000,
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html",
    serviceCode: "s3",
    name: /general purpose buckets/i,
  },
];

export interface QuotaSource {
  /** The limit in the account reached through `profile` (undefined: the default credentials), and where it came from. */
  limit(quota: Quota, profile: string | undefined): Promise<{ value: number; from: string }>;
}

/** Documented defaults only: for tests, dry runs and accounts where Service Quotas does not answer. */
export const documentedDefaults: QuotaSource = {
  limit: (q) => Promise.resolve({ value: q.defaultLimit, from: `documented default (${q.source})` }),
};

/**
 * The Service Quotas API, falling back to the documented default for any quota it does not list.
 * `endpoint` points it at a local AWS such as moto (which lists no applied quotas: the defaults answer).
 */
export function serviceQuotas(region: string, endpoint?: string): QuotaSource {
  const cache = new Map<string, Promise<{ name: string; value: number }[]>>();
  const list = (serviceCode: string, profile: string | undefined) => {
    const key = `${profile ?? ""}/${serviceCode}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          const client = new ServiceQuotasClient({ region, ...(profile ? { profile } : {}), ...(endpoint ? { endpoint } : {}) });
          const out: { name: string; value: number }[] = [];
          let token: string | undefined;
          do {
            const page = await client.send(new ListServiceQuotasCommand({ ServiceCode: serviceCode, NextToken: token }));
            for (const q of page.Quotas ?? []) if (q.QuotaName && q.Value !== undefined) out.push({ name: q.QuotaName, value: q.Value });
            token = page.NextToken;
          } while (token);
          client.destroy();
          return out;
        })(),
      );
    }
    return cache.get(key)!;
  };
  return {
    async limit(q, profile) {
      try {
        const found = (await list(q.serviceCode, profile)).find((x) => q.name.test(x.name));
        if (found) return { value: found.value, from: `Service Quotas (${q.serviceCode}: ${found.name})` };
      } catch {
        // Not reachable or not permitted: the documented default is the honest fallback.
      }
      return documentedDefaults.limit(q, profile);
    },
  };
}

/** The one-line fix of a quota the roster exceeds. */
export function quotaFix(q: Pick<QuotaUse, "allowed" | "perTeam">): string {
  return `spread the teams over more accounts (profile or account column), or raise the quota in Service Quotas first; at most ${Math.floor(q.allowed / q.perTeam)} teams fit`;
}

/** Which AWS account a profile's credentials reach. */
export interface AccountSource {
  /** The 12-digit account ID for `profile` (undefined: the default credentials); rejects when there are no usable credentials. */
  accountOf(profile: string | undefined): Promise<string>;
}

/**
 * STS GetCallerIdentity, one client per profile (the call needs no permission: AWS answers it for
 * any valid credentials). `endpoint` points it at a local AWS such as moto. Rejects with one line
 * that names the fix (awsProfiles.ts credentialProblem): a profile missing from the AWS config is
 * named as such.
 */
export function stsAccounts(region: string, endpoint?: string): AccountSource {
  return {
    async accountOf(profile) {
      const client = new STSClient({ region, ...(profile ? { profile } : {}), ...(endpoint ? { endpoint } : {}) });
      try {
        const { Account } = await client.send(new GetCallerIdentityCommand({}));
        if (!Account) throw new Error("GetCallerIdentity returned no account");
        return Account;
      } catch (e) {
        throw new Error(await credentialProblem(profile, e), { cause: e });
      } finally {
        client.destroy();
      }
    },
  };
}

/** One quota of one account: how much the roster's teams there use of it, and how much the account allows. */
export interface QuotaUse {
  readonly id: string;
  readonly label: string;
  readonly used: number;
  readonly allowed: number;
  /** Where `allowed` came from: Service Quotas (with the quota's name) or the documented default (with its page). */
  readonly from: string;
  readonly perTeam: number;
  readonly source: string;
}

/** Every quota of QUOTAS for `teams` teams in the account reached through `profile`. */
export async function quotaUse(teams: number, source: QuotaSource, profile: string | undefined): Promise<QuotaUse[]> {
  return Promise.all(
    QUOTAS.map(async (q) => {
      const { value, from } = await source.limit(q, profile);
      return { id: q.id, label: q.label, used: teams * q.perTeam, allowed: value, from, perTeam: q.perTeam, source: q.source };
    }),
  );
}

/**
 * One problem per quota and account the roster would exceed. Rows are grouped by the account they
 * really reach (`accountId`, from STS) when known, so one account reached through two profiles,
 * or named by profile on one row and by ID on another, is counted once.
 */
export async function checkQuotas(rows: readonly RosterRow[], source: QuotaSource): Promise<RosterProblem[]> {
  const byAccount = new Map<string, RosterRow[]>();
  for (const r of rows) {
    const key = r.accountId ?? r.account ?? r.profile ?? "";
    byAccount.set(key, [...(byAccount.get(key) ?? []), r]);
  }
  const problems: RosterProblem[] = [];
  for (const [key, teams] of byAccount) {
    for (const q of await quotaUse(teams.length, source, teams[0]!.profile)) {
      if (q.used > q.allowed) {
        problems.push({
          line: 0,
          field: q.id,
          problem: `${teams.length} teams ${key ? `in ${key} ` : ""}need ${q.used} ${q.label} (${q.perTeam} each); the account allows ${q.allowed} (${q.from})`,
          fix: quotaFix(q),
        });
      }
    }
  }
  return problems;
}
