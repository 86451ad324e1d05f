// The KDG user's password rules, in one place: the user pool enforces them, the config validator
// checks a chosen password against them, and the generated password is drawn to satisfy them.

/** A Cognito user pool's password rules (the provider's passwordPolicy fields of the same names). */
export interface PasswordPolicy {
  /** Characters, 6-99 (Cognito's range). */
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  /** From Cognito's symbol set (COGNITO_SYMBOLS below). */
  readonly requireSymbols: boolean;
}

/**
 * The KDG user's rules: 12 or more characters, upper and lower case, a digit. No symbols
 * required: attendees type this password into the KDG page, often from a projector, and the
 * KDG's own template asked for letters and digits only.
 */
export const KDG_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: false,
};

// Cognito's symbol set for password policies (PasswordPolicyType in the Cognito API reference).
const COGNITO_SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+ -]/;

/** What the password lacks, in words; empty when it satisfies the policy. */
export function passwordProblems(password: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if (password.length < policy.minimumLength) problems.push(`is shorter than ${policy.minimumLength} characters`);
  if (password.length > 256) problems.push("is longer than 256 characters");
  if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push("has no lower-case letter");
  if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push("has no upper-case letter");
  if (policy.requireNumbers && !/[0-9]/.test(password)) problems.push("has no digit");
  if (policy.requireSymbols && !COGNITO_SYMBOLS.test(password)) problems.push("has no symbol");
  if (/^\s|\s$/.test(password)) problems.push("starts or ends with a space");
  return problems;
}
