// Amazon Cognito: user pools, app clients, users, identity pools and their role attachments.

import { asList } from "../policyGrammar";
import { exists, oneOf, tagProblems, within, type Inputs, type Rule } from "./common";
import { NAMES } from "./names";

/** A user pool's password policy as CreateUserPool takes it (PasswordPolicyType), with Cognito's defaults filled in. */
export interface CognitoPasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

// Cognito's special characters for password policies, space included (not leading or trailing):
// Cognito developer guide, "Password policies" (user-pool-settings-passwords.html).
// Written again on purpose, not imported from components/passwordPolicy.ts: this file stands for
// Cognito, and a shared rule would let a mistake in the program's own check pass here too.
// test/offline/passwordCopies.test.ts ties the two on the same passwords.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+ -]/;

/**
 * Why Cognito would refuse `password` under `policy` (AdminCreateUser, AdminSetUserPassword:
 * InvalidPasswordException); empty when it would take it. Passwords are at most 256 characters and
 * neither start nor end with a space.
 */
export function cognitoPasswordProblems(password: string, policy: CognitoPasswordPolicy): string[] {
  const p: string[] = [];
  if (password.length < policy.minimumLength) p.push(`is shorter than ${policy.minimumLength} characters`);
  if (password.length > 256) p.push("is longer than 256 characters");
  if (policy.requireLowercase && !/[a-z]/.test(password)) p.push("has no lower-case letter");
  if (policy.requireUppercase && !/[A-Z]/.test(password)) p.push("has no upper-case letter");
  if (policy.requireNumbers && !/[0-9]/.test(password)) p.push("has no digit");
  if (policy.requireSymbols && !SYMBOLS.test(password)) p.push("has no symbol");
  if (/^\s|\s$/.test(password)) p.push("starts or ends with a space");
  return p;
}

// Seconds per unit of TokenValidityUnitsType; ID and access tokens default to hours, refresh tokens to days.
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/**
 * An app client's token validities against Cognito's bounds: ID and access tokens five minutes to
 * one day, refresh tokens 60 minutes to 10 years (TokenValidityUnitsType, CreateUserPoolClient).
 */
function tokenValidityProblems(i: Inputs): string[] {
  const units = (i.tokenValidityUnits ?? {}) as Record<string, unknown>;
  const check = (key: string, unitKey: string, defaultUnit: string, min: number, max: number): string[] => {
    const value: unknown = i[key];
    if (value === undefined || value === null) return [];
    const unit = String(units[unitKey] ?? defaultUnit);
    if (!(unit in UNIT_SECONDS))
      return [`tokenValidityUnits.${unitKey} ${JSON.stringify(unit)} is not one of seconds, minutes, hours, days`];
    const seconds = Number(value) * UNIT_SECONDS[unit]!;
    return Number.isInteger(value) && seconds >= min && seconds <= max
      ? []
      : [`${key} ${String(value)} ${unit} is outside ${min} s..${max} s (InvalidParameterException)`];
  };
  return [
    ...check("idTokenValidity", "idToken", "hours", 300, 86400),
    ...check("accessTokenValidity", "accessToken", "hours", 300, 86400),
    ...check("refreshTokenValidity", "refreshToken", "days", 3600, 3650 * 86400),
  ];
}

export const COGNITO_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html
  "aws:cognito/userPool:UserPool": (i) => {
    const pw = i.passwordPolicy ?? {};
    const recovery = asList(i.accountRecoverySetting?.recoveryMechanisms) as Inputs[];
    return [
      ...NAMES.userPool(i.name),
      ...within("passwordPolicy.minimumLength", pw.minimumLength, 6, 99),
      ...within("passwordPolicy.temporaryPasswordValidityDays", pw.temporaryPasswordValidityDays, 0, 365),
      ...oneOf("mfaConfiguration", i.mfaConfiguration, ["OFF", "ON", "OPTIONAL"]),
      ...oneOf("deletionProtection", i.deletionProtection, ["ACTIVE", "INACTIVE"]),
      ...recovery.flatMap((m) => [
        ...oneOf("recovery mechanism", m.name, ["verified_email", "verified_phone_number", "admin_only"], true),
        ...within("recovery priority", m.priority, 1, 2),
      ]),
      ...(recovery.length > 1 && recovery.some((m) => m.name === "admin_only")
        ? ["admin_only recovery cannot be combined with another mechanism"]
        : []),
      ...(i.mfaConfiguration === "ON" && !i.smsConfiguration && !i.softwareTokenMfaConfiguration?.enabled
        ? ["mfaConfiguration ON needs an SMS or software token configuration"]
        : []),
      ...tagProblems(i.tags),
    ];
  },
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html (ExplicitAuthFlows)
  "aws:cognito/userPoolClient:UserPoolClient": (i, ctx) => {
    const flows = asList(i.explicitAuthFlows) as string[];
    const modern = [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_CUSTOM_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_AUTH",
    ];
    const legacy = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
    return [
      ...NAMES.userPoolClient(i.name),
      ...exists(ctx, "aws:cognito/userPool:UserPool", i.userPoolId, "userPoolId"),
      ...flows.flatMap((f) => oneOf("explicitAuthFlows value", f, [...modern, ...legacy])),
      ...(flows.some((f) => legacy.includes(f)) && flows.some((f) => modern.includes(f))
        ? ["explicitAuthFlows cannot mix legacy values with ALLOW_ values"]
        : []),
      ...oneOf("preventUserExistenceErrors", i.preventUserExistenceErrors, ["LEGACY", "ENABLED"]),
      ...tokenValidityProblems(i),
    ];
  },
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
  // (the password must satisfy the pool's policy: InvalidPasswordException)
  "aws:cognito/user:User": (i, ctx) => {
    const pool = typeof i.userPoolId === "string" ? ctx.cloud.find("aws:cognito/userPool:UserPool", i.userPoolId) : undefined;
    const p = [...NAMES.cognitoUser(i.username), ...exists(ctx, "aws:cognito/userPool:UserPool", i.userPoolId, "userPoolId")];
    p.push(...oneOf("messageAction", i.messageAction, ["RESEND", "SUPPRESS"]));
    if (i.password !== undefined && i.temporaryPassword !== undefined) p.push("password and temporaryPassword cannot both be set");
    const policy = (pool?.passwordPolicy ?? {}) as Partial<CognitoPasswordPolicy>;
    const full: CognitoPasswordPolicy = {
      // Cognito's defaults when a pool names no policy.
      minimumLength: policy.minimumLength ?? 8,
      requireLowercase: policy.requireLowercase ?? true,
      requireUppercase: policy.requireUppercase ?? true,
      requireNumbers: policy.requireNumbers ?? true,
      requireSymbols: policy.requireSymbols ?? true,
    };
    for (const key of ["password", "temporaryPassword"] as const) {
      if (typeof i[key] === "string") p.push(...cognitoPasswordProblems(i[key], full).map((w) => `${key} ${w} (InvalidPasswordException)`));
    }
    return p;
  },
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html
  "aws:cognito/identityPool:IdentityPool": (i, ctx) => {
    const p = [...NAMES.identityPool(i.identityPoolName), ...tagProblems(i.tags)];
    for (const idp of asList(i.cognitoIdentityProviders) as Inputs[]) {
      const m = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/.exec(String(idp.providerName));
      if (!m) {
        p.push(`identity provider name ${JSON.stringify(idp.providerName)} is not cognito-idp.<region>.amazonaws.com/<user pool id>`);
        continue;
      }
      const pool = ctx.cloud.find("aws:cognito/userPool:UserPool", m[2] ?? "");
      if (!pool) p.push(`identity provider names user pool ${m[2]}, which does not exist`);
      const client = ctx.cloud.find("aws:cognito/userPoolClient:UserPoolClient", String(idp.clientId));
      if (!client) p.push(`identity provider client ${idp.clientId} does not exist`);
      else if (client.userPoolId !== m[2]) p.push(`app client ${idp.clientId} belongs to another user pool`);
    }
    return p;
  },
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": (i, ctx) => [
    ...exists(ctx, "aws:cognito/identityPool:IdentityPool", i.identityPoolId, "identityPoolId"),
    ...Object.keys(i.roles ?? {}).flatMap((k) => oneOf("roles key", k, ["authenticated", "unauthenticated"])),
    ...Object.values((i.roles ?? {}) as Record<string, unknown>).flatMap((arn) => exists(ctx, "aws:iam/role:Role", arn, "role")),
  ],
};
