// The account-level answers moto 5.2 lacks, for preflight (workshop/accountProbe.ts), added to the
// stand-in (offline/awsStandIn.ts) through its `on`. Found by calling moto 5.2.5's server directly
// with the AWS SDK (December 2026):
//
//   - SNS GetSMSSandboxAccountStatus, ListSMSSandboxPhoneNumbers, CreateSMSSandboxPhoneNumber,
//     VerifySMSSandboxPhoneNumber and ListOriginationNumbers: moto answers HTTP 500 with an HTML
//     page. Modelled here.
//   - Lambda GetAccountSettings: moto answers 404 with an HTML page. Modelled here.
//   - SNS GetSMSAttributes (MonthlySpendLimit; only what SetSMSAttributes set, {} before) and
//     CheckIfPhoneNumberIsOptedOut (moto's rule: a number ending in 99 has opted out): moto
//     answers; left to it.
//   - EC2 DescribeRegions with AllRegions and RegionNames: moto answers OptInStatus per Region, but
//     not always AWS's (af-south-1, an opt-in Region, is "opt-in-not-required"; without AllRegions
//     it still lists the not-opted-in ones). For us-east-1, the lab's only Region, and ap-east-1
//     (not-opted-in, as in a new account) it answers as AWS does; left to it.
//   - STS GetCallerIdentity: moto answers (account 123456789012 unless the keys were made in
//     another moto account); left to it.
//
// One account's set-up: the one moto answers for (the tests' keys reach one account).
//
// Pages (SNS API reference, https://docs.aws.amazon.com/sns/latest/api/):
//   API_GetSMSSandboxAccountStatus.html  IsInSandbox; errors AuthorizationError, InternalError, Throttled (429)
//   API_ListSMSSandboxPhoneNumbers.html  MaxResults 1-100, NextToken; PhoneNumbers.member.N of
//                                        SMSSandboxPhoneNumber {PhoneNumber, Status: Pending | Verified}
//   API_CreateSMSSandboxPhoneNumber.html PhoneNumber, LanguageCode; adds a Pending number and texts it an OTP;
//                                        errors include OptedOut and Throttled
//   API_VerifySMSSandboxPhoneNumber.html PhoneNumber, OneTimePassword (5-8 digits); ResourceNotFound (404)
//                                        for an unknown number, VerificationException for a wrong code
//   API_ListOriginationNumbers.html      MaxResults 1-30, NextToken; PhoneNumbers.member.N of
//                                        PhoneNumberInformation {CreatedAt, PhoneNumber, Status,
//                                        Iso2CountryCode, RouteType, NumberCapabilities}
// and the SNS developer guide's "SMS sandbox" (sns-sms-sandbox.html: a new account is in it).
// Lambda API reference, API_GetAccountSettings.html and API_AccountLimit.html: AccountLimit
// {TotalCodeSize, CodeSizeUnzipped, CodeSizeZipped, ConcurrentExecutions,
// UnreservedConcurrentExecutions}, AccountUsage {TotalCodeSize, FunctionCount}; the defaults are
// the Lambda quotas page's (gettingstarted-limits.html: 1,000 concurrent executions, 75 GB code
// storage, 50 MB zipped and 250 MB unzipped deployment packages).

import { awsError, json, queryResult, type Answer, type Handler, type StandInRequest } from "./awsStandIn";

/** What an AwsStandIn offers this module: its `on`. */
export interface HandlerHost {
  on(service: string, operation: string, handler: Handler): void;
}

/** A destination number of the SMS sandbox. */
export interface SandboxNumber {
  readonly phone: string;
  status: "Pending" | "Verified";
  /** The one-time password SNS would have texted to it (CreateSMSSandboxPhoneNumber). */
  readonly otp: string;
}

/** A dedicated origination number (PhoneNumberInformation). */
export interface OriginationNumberInfo {
  readonly phone: string;
  /** ISO 3166-1 alpha-2. */
  readonly iso2CountryCode: string;
  /** As SNS reports it, e.g. ACTIVE or PENDING. */
  readonly status: string;
  /** SMS, MMS, VOICE. */
  readonly capabilities: readonly string[];
  readonly routeType?: "Transactional" | "Promotional" | "Premium";
  readonly createdAt?: Date;
}

/**
 * AWS does not document the page size the SMS list calls use without MaxResults; the stand-in uses
 * a small one so that a handful of numbers already spans pages (and a reader must follow NextToken).
 */
export const DEFAULT_PAGE_SIZE = 3;

/** Lambda's documented defaults for a Region of an account (Lambda quotas). */
export const LAMBDA_DEFAULTS = {
  concurrentExecutions: 1000,
  totalCodeSizeBytes: 75 * 1024 ** 3,
  codeSizeZippedBytes: 50 * 1024 ** 2,
  codeSizeUnzippedBytes: 250 * 1024 ** 2,
} as const;

/** One account's SMS set-up and Lambda limits, as the test sets them; the stand-in answers from them. */
export class AccountStandIn {
  /** GetSMSSandboxAccountStatus: a new account is in the SMS sandbox. */
  inSandbox = true;
  /** The sandbox's destination numbers, in the order they were added. */
  readonly sandboxNumbers = new Map<string, SandboxNumber>();
  readonly originationNumbers: OriginationNumberInfo[] = [];
  /** Page size of the SNS list calls when the caller gives no MaxResults. */
  pageSize = DEFAULT_PAGE_SIZE;
  /** Lambda's ConcurrentExecutions of the account (a new account's can be far below 1,000). */
  lambdaConcurrency: number = LAMBDA_DEFAULTS.concurrentExecutions;
  /** Concurrency reserved by functions (PutFunctionConcurrency), which the unreserved pool loses. */
  lambdaReserved = 0;
  private otps = 0;

  /** Adds the SNS and Lambda answers to `host` (an AwsStandIn) and returns the model the tests set. */
  static install(host: HandlerHost): AccountStandIn {
    const account = new AccountStandIn();
    account.installSns(host);
    account.installLambda(host);
    return account;
  }

  /** Adds a destination number as the console or CreateSMSSandboxPhoneNumber would, Pending unless told. */
  addSandboxNumber(phone: string, status: SandboxNumber["status"] = "Pending"): SandboxNumber {
    const n: SandboxNumber = { phone, status, otp: String(100000 + ++this.otps) };
    this.sandboxNumbers.set(phone, n);
    return n;
  }

  private installSns(host: HandlerHost): void {
    host.on("sns", "GetSMSSandboxAccountStatus", () =>
      queryResult("GetSMSSandboxAccountStatus", `<IsInSandbox>${this.inSandbox}</IsInSandbox>`),
    );
    host.on("sns", "ListSMSSandboxPhoneNumbers", (r) =>
      this.page(r, 100, [...this.sandboxNumbers.values()], (items, next) =>
        queryResult(
          "ListSMSSandboxPhoneNumbers",
          `<PhoneNumbers>${items.map((n) => `<member><PhoneNumber>${n.phone}</PhoneNumber><Status>${n.status}</Status></member>`).join("")}</PhoneNumbers>${next}`,
        ),
      ),
    );
    host.on("sns", "ListOriginationNumbers", (r) =>
      this.page(r, 30, this.originationNumbers, (items, next) =>
        queryResult("ListOriginationNumbers", `<PhoneNumbers>${items.map(originationXml).join("")}</PhoneNumbers>${next}`),
      ),
    );
    host.on("sns", "CreateSMSSandboxPhoneNumber", (r) => {
      const phone = text(r.input.PhoneNumber);
      if (!/^\+[0-9]{8,}$/.test(phone)) return awsError("query", "InvalidParameter", `Invalid parameter: PhoneNumber ${phone}`);
      if (motoOptedOut(phone)) return awsError("query", "OptedOut", `Phone number ${phone} has opted out of receiving SMS messages`);
      if (!this.sandboxNumbers.has(phone)) this.addSandboxNumber(phone);
      return queryResult("CreateSMSSandboxPhoneNumber", "");
    });
    host.on("sns", "VerifySMSSandboxPhoneNumber", (r) => {
      const n = this.sandboxNumbers.get(text(r.input.PhoneNumber));
      if (!n) return awsError("query", "ResourceNotFound", "Phone number is not a sandbox destination number", 404);
      if (text(r.input.OneTimePassword) !== n.otp) return awsError("query", "VerificationException", "Invalid one-time password");
      n.status = "Verified";
      return queryResult("VerifySMSSandboxPhoneNumber", "");
    });
  }

  /**
   * One page of `items` from the request's NextToken (opaque to the caller: an offset here),
   * MaxResults (1 to `max`, InvalidParameter outside) or pageSize; `render` gets the NextToken
   * element, empty on the last page.
   */
  private page<T>(r: StandInRequest, max: number, items: readonly T[], render: (page: T[], next: string) => Answer): Answer {
    const token = text(r.input.NextToken);
    const start = token === "" ? 0 : Number(/^standin-page-(\d+)$/.exec(token)?.[1] ?? NaN);
    if (!Number.isInteger(start) || start > items.length) return awsError("query", "InvalidParameter", "Invalid parameter: NextToken");
    const size = r.input.MaxResults === undefined ? this.pageSize : Number(text(r.input.MaxResults));
    if (!Number.isInteger(size) || size < 1 || size > max)
      return awsError("query", "InvalidParameter", `Invalid parameter: MaxResults must be between 1 and ${max}`);
    const end = start + size;
    return render(items.slice(start, end), end < items.length ? `<NextToken>standin-page-${end}</NextToken>` : "");
  }

  private installLambda(host: HandlerHost): void {
    const answer = () =>
      json(200, {
        AccountLimit: {
          TotalCodeSize: LAMBDA_DEFAULTS.totalCodeSizeBytes,
          CodeSizeZipped: LAMBDA_DEFAULTS.codeSizeZippedBytes,
          CodeSizeUnzipped: LAMBDA_DEFAULTS.codeSizeUnzippedBytes,
          ConcurrentExecutions: this.lambdaConcurrency,
          UnreservedConcurrentExecutions: this.lambdaConcurrency - this.lambdaReserved,
        },
        // moto's functions are not counted: no caller here reads the usage.
        AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
      });
    // The SDK sends the path without the trailing slash the API reference once showed; both are one call.
    host.on("lambda", "GET /2016-08-19/account-settings", answer);
    host.on("lambda", "GET /2016-08-19/account-settings/", answer);
  }
}

/** A query-protocol parameter's text ("" when absent). */
const text = (v: unknown): string => (typeof v === "string" ? v : "");

function originationXml(n: OriginationNumberInfo): string {
  const created = (n.createdAt ?? new Date(0)).toISOString();
  const capabilities = n.capabilities.map((c) => `<member>${c}</member>`).join("");
  return (
    `<member><CreatedAt>${created}</CreatedAt><PhoneNumber>${n.phone}</PhoneNumber><Status>${n.status}</Status>` +
    `<Iso2CountryCode>${n.iso2CountryCode}</Iso2CountryCode><RouteType>${n.routeType ?? "Transactional"}</RouteType>` +
    `<NumberCapabilities>${capabilities}</NumberCapabilities></member>`
  );
}

/**
 * Whether `phone` has opted out, by moto's own rule for CheckIfPhoneNumberIsOptedOut (a number
 * ending in 99), so that the stand-in and moto answer alike for one number.
 */
function motoOptedOut(phone: string): boolean {
  return phone.endsWith("99");
}
