// What preflight reads from one AWS account, through one profile: who the credentials are and until
// when, whether the Region is enabled, Lambda's account concurrency, and the account's SMS set-up
// (sandbox, verified destinations, origination numbers, spend limit, opted-out phones). Facts only:
// preflight.ts judges them. Every call is the AWS API's own (STS, EC2, Lambda, SNS); `endpoint`
// sends them to a local AWS (moto and the tests' stand-in) instead.

import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListOriginationNumbersCommand,
  ListSMSSandboxPhoneNumbersCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import pLimit from "p-limit";
import { credentialProblem, renewCommand } from "./awsProfiles";

/** Who a profile's credentials are. */
export interface Identity {
  readonly account: string;
  readonly arn: string;
  /** When the credentials stop working (SSO, assumed-role and credential_process sessions); absent for long-lived keys. */
  readonly expiresAt?: Date;
  /** The command that starts a new session for this profile, by its kind (awsProfiles.ts renewCommand); absent when unknown. */
  readonly renew?: string;
}

/** Lambda's account-wide concurrency (GetAccountSettings AccountLimit). */
export interface LambdaConcurrency {
  /** ConcurrentExecutions: the account's limit. */
  readonly limit: number;
  /** UnreservedConcurrentExecutions: what functions without reserved concurrency (ours) share. */
  readonly unreserved: number;
}

/** A dedicated origination number of the account (SNS ListOriginationNumbers). */
export interface OriginationNumber {
  readonly phone: string;
  /** ISO 3166-1 alpha-2 (US). */
  readonly country: string;
  /** ACTIVE when it can send. */
  readonly status: string;
  /** SMS, VOICE, MMS. */
  readonly capabilities: readonly string[];
}

/** The account's SMS set-up, as SNS reports it. */
export interface SmsFacts {
  readonly inSandbox: boolean;
  /** Destination numbers of the SMS sandbox with their status (Pending or Verified). */
  readonly sandboxNumbers: readonly { readonly phone: string; readonly status: string }[];
  readonly originationNumbers: readonly OriginationNumber[];
  /** MonthlySpendLimit in USD; undefined when the account never set it (the account's maximum then applies). */
  readonly monthlySpendLimitUsd?: number;
  /** The asked phones that have opted out of SMS from this account. */
  readonly optedOut: readonly string[];
}

/** What preflight asks of one account through one profile (undefined: the default credentials). */
export interface AccountProbe {
  /** Rejects with one line naming the fix when the credentials do not work (awsProfiles.ts). */
  identity(profile: string | undefined): Promise<Identity>;
  /** The Region's OptInStatus: opt-in-not-required, opted-in or not-opted-in. */
  regionOptIn(profile: string | undefined, region: string): Promise<string>;
  lambdaConcurrency(profile: string | undefined): Promise<LambdaConcurrency>;
  /** The SMS facts; `phones` are the roster's phones in this account (each is asked whether it opted out). */
  sms(profile: string | undefined, phones: readonly string[]): Promise<SmsFacts>;
}

/**
 * The probe over the AWS SDK: one client per call, in `region`, with the profile given to the
 * client itself (not through AWS_PROFILE), so that keys in the shell's environment do not answer
 * for a profile. The SDK's credential provider says how long the credentials last.
 */
export function awsAccountProbe(region: string, endpoint?: string): AccountProbe {
  const config = (profile: string | undefined) => ({ region, ...(profile ? { profile } : {}), ...(endpoint ? { endpoint } : {}) });
  const using = async <C extends { destroy(): void }, T>(client: C, f: (c: C) => Promise<T>): Promise<T> => {
    try {
      return await f(client);
    } finally {
      client.destroy();
    }
  };
  return {
    identity: (profile) =>
      using(new STSClient(config(profile)), async (sts) => {
        try {
          const credentials = await sts.config.credentials();
          const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
          if (!Account) throw new Error("GetCallerIdentity returned no account");
          const renew = credentials.expiration && profile ? await renewCommand(profile) : undefined;
          return {
            account: Account,
            arn: Arn ?? "",
            ...(credentials.expiration ? { expiresAt: credentials.expiration } : {}),
            ...(renew ? { renew } : {}),
          };
        } catch (e) {
          throw new Error(await credentialProblem(profile, e), { cause: e });
        }
      }),
    regionOptIn: (profile, name) =>
      using(new EC2Client(config(profile)), async (ec2) => {
        const { Regions } = await ec2.send(new DescribeRegionsCommand({ RegionNames: [name], AllRegions: true }));
        return Regions?.find((r) => r.RegionName === name)?.OptInStatus ?? "not listed";
      }),
    lambdaConcurrency: (profile) =>
      using(new LambdaClient(config(profile)), async (lambda) => {
        const { AccountLimit } = await lambda.send(new GetAccountSettingsCommand({}));
        const limit = AccountLimit?.ConcurrentExecutions;
        if (limit === undefined) throw new Error("GetAccountSettings returned no ConcurrentExecutions");
        return { limit, unreserved: AccountLimit?.UnreservedConcurrentExecutions ?? limit };
      }),
    sms: (profile, phones) => using(new SNSClient(config(profile)), (sns) => smsFacts(sns, phones)),
  };
}

/** The account's SMS set-up through one SNS client (see SmsFacts). */
async function smsFacts(sns: SNSClient, phones: readonly string[]): Promise<SmsFacts> {
  const { IsInSandbox } = await sns.send(new GetSMSSandboxAccountStatusCommand({}));
  const sandboxNumbers: { phone: string; status: string }[] = [];
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await sns.send(new ListSMSSandboxPhoneNumbersCommand({ NextToken: token }));
    for (const n of page.PhoneNumbers ?? []) if (n.PhoneNumber) sandboxNumbers.push({ phone: n.PhoneNumber, status: n.Status ?? "" });
    token = page.NextToken;
  }
  const originationNumbers: OriginationNumber[] = [];
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await sns.send(new ListOriginationNumbersCommand({ NextToken: token }));
    for (const n of page.PhoneNumbers ?? [])
      if (n.PhoneNumber)
        originationNumbers.push({
          phone: n.PhoneNumber,
          country: n.Iso2CountryCode ?? "",
          status: n.Status ?? "",
          capabilities: n.NumberCapabilities ?? [],
        });
    token = page.NextToken;
  }
  const { attributes } = await sns.send(new GetSMSAttributesCommand({ attributes: ["MonthlySpendLimit"] }));
  const limit = attributes?.MonthlySpendLimit;
  const ask = pLimit(4);
  const optedOut = await Promise.all(
    phones.map((phoneNumber) =>
      ask(async () => ((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }))).isOptedOut ? phoneNumber : "")),
    ),
  );
  return {
    inSandbox: IsInSandbox ?? false,
    sandboxNumbers,
    originationNumbers,
    ...(limit !== undefined && limit !== "" ? { monthlySpendLimitUsd: Number(limit) } : {}),
    optedOut: optedOut.filter(Boolean),
  };
}
