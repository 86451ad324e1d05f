// Which AWS CLI profiles this machine knows, and how each gets its credentials, so that a roster
// profile missing from the AWS config, or one whose session ended, is named as such with its fix
// instead of the SDK's "Could not load credentials from any providers". The files and
// their section headers are the AWS CLI's: ~/.aws/config holds `[default]` and `[profile <name>]`,
// ~/.aws/credentials holds `[<name>]`; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move them
// ("Configuration and credential file settings", AWS CLI user guide:
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html).

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/core/config";

/** The two files the SDK and the AWS CLI read profiles from, as this environment names them. */
export function awsConfigFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config"),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials"),
  };
}

/** Every profile name either file declares (a file that does not exist declares none). */
export function knownProfiles(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const { config, credentials } = awsConfigFiles(env);
  const names = new Set<string>();
  const sections = (file: string) =>
    existsSync(file) ? [...readFileSync(file, "utf8").matchAll(/^\s*\[([^\]]+)\]/gm)].map((m) => m[1]!.trim()) : [];
  for (const s of sections(config)) {
    if (s === "default") names.add(s);
    else if (s.startsWith("profile ")) names.add(s.slice("profile ".length).trim());
  }
  for (const s of sections(credentials)) names.add(s);
  return names;
}

/**
 * How a profile gets its credentials, as the AWS config files say (first match wins, as the SDK's
 * chain reads them): an IAM Identity Center sign-in (`sso_session` or `sso_start_url`), an external
 * process (`credential_process`), a role assumed from another profile (`role_arn` with
 * `source_profile`) or from the environment (`credential_source`), keys in the file
 * (`aws_access_key_id`, temporary when with `aws_session_token`), or none of these.
 * Settings: "Configuration and credential file settings", AWS CLI user guide (above);
 * "Sourcing credentials with an external process", AWS SDKs and Tools reference guide.
 */
export type ProfileSource =
  | { kind: "sso"; session?: string }
  | { kind: "process"; command: string }
  | { kind: "role"; roleArn: string; sourceProfile?: string; credentialSource?: string }
  | { kind: "keys"; temporary: boolean }
  | { kind: "unknown" };

/** A profile's settings from both files (the config file's win, as the SDK merges them); {} when neither has it. */
async function profileSettings(profile: string, env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  const { config, credentials } = awsConfigFiles(env);
  // ignoreCache: the SDK keeps each file's first read for the process; a CLI run may have just signed in.
  const files = await loadSharedConfigFiles({ filepath: credentials, configFilepath: config, ignoreCache: true });
  return { ...files.credentialsFile[profile], ...files.configFile[profile] };
}

/** Where `profile`'s credentials come from, read with the SDK's own loader of the two files. */
export async function profileSource(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSource> {
  const p = await profileSettings(profile, env);
  if (p.sso_session || p.sso_start_url) return { kind: "sso", ...(p.sso_session ? { session: p.sso_session } : {}) };
  if (p.credential_process) return { kind: "process", command: p.credential_process };
  if (p.role_arn)
    return {
      kind: "role",
      roleArn: p.role_arn,
      ...(p.source_profile ? { sourceProfile: p.source_profile } : {}),
      ...(p.credential_source ? { credentialSource: p.credential_source } : {}),
    };
  if (p.aws_access_key_id) return { kind: "keys", temporary: Boolean(p.aws_session_token) };
  return { kind: "unknown" };
}

/**
 * An error that says credentials could not be had or were refused as expired: the SDK's provider
 * chain ("Could not load credentials from any providers", CredentialsProviderError,
 * TokenProviderError) or STS refusing them (ExpiredToken, InvalidClientTokenId).
 */
function isCredentialError(error: unknown, message: string): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && /CredentialsProviderError|TokenProviderError|ExpiredToken|InvalidClientTokenId/.test(name)) return true;
  return /credential|token|expired|sso/i.test(message);
}

/** A role chain deeper than this is a loop (a profile that is its own source), not a configuration. */
const MAX_SOURCE_DEPTH = 5;

/**
 * The likely cause and the fix for a profile whose credentials could not be loaded, by the kind of
 * profile: a session that ended says nothing more than "Could not load credentials from any
 * providers", so the kind is what tells which session and which command starts a new one.
 */
async function likelyCause(profile: string, env: NodeJS.ProcessEnv, depth = 0): Promise<string | undefined> {
  const source = await profileSource(profile, env);
  switch (source.kind) {
    case "sso":
      return `profile ${profile} signs in through IAM Identity Center (SSO${source.session ? ` session ${source.session}` : ""}) and that sign-in has likely expired: \`aws sso login --profile ${profile}\``;
    case "process":
      return `profile ${profile} gets its credentials from credential_process (${source.command}), whose session has likely expired or which failed: run it again (\`${source.command}\`), sign in to what it wraps if it says so, then \`aws sts get-caller-identity --profile ${profile}\``;
    case "role": {
      const assumes = `profile ${profile} assumes ${source.roleArn}`;
      if (source.sourceProfile && source.sourceProfile !== profile && depth < MAX_SOURCE_DEPTH) {
        const inner = await likelyCause(source.sourceProfile, env, depth + 1);
        return `${assumes} with profile ${source.sourceProfile}'s credentials; ${inner ?? `check them: \`aws sts get-caller-identity --profile ${source.sourceProfile}\``}`;
      }
      if (source.credentialSource)
        return `${assumes} with the credentials of ${source.credentialSource} (credential_source), which this machine may not have or whose session has ended`;
      return `${assumes} but names no source_profile or credential_source to assume it with: add one to its section of ${awsConfigFiles(env).config}`;
    }
    case "keys":
      return source.temporary
        ? `profile ${profile} holds temporary keys (aws_session_token), which have likely expired: put new ones in with \`aws configure --profile ${profile}\` and \`aws configure set aws_session_token <token> --profile ${profile}\``
        : undefined;
    case "unknown":
      return undefined;
  }
}

/**
 * The command that starts a new session for `profile`, by its kind (profileSource): `aws sso login`
 * for SSO, its credential_process run again, new keys for temporary ones, the source profile's for
 * a role; undefined for long-lived keys and profiles whose kind says nothing.
 */
export async function renewCommand(profile: string, env: NodeJS.ProcessEnv = process.env, depth = 0): Promise<string | undefined> {
  const source = await profileSource(profile, env);
  switch (source.kind) {
    case "sso":
      return `aws sso login --profile ${profile}`;
    case "process":
      return `run \`${source.command}\` again (profile ${profile}'s credential_process)`;
    case "role":
      return source.sourceProfile && source.sourceProfile !== profile && depth < MAX_SOURCE_DEPTH
        ? renewCommand(source.sourceProfile, env, depth + 1)
        : undefined;
    case "keys":
      return source.temporary ? `put new temporary keys in with \`aws configure --profile ${profile}\`` : undefined;
    case "unknown":
      return undefined;
  }
}

/**
 * Why the credentials of `profile` (undefined: the default chain, AWS_PROFILE or `default`) could
 * not be used, in one line that names the fix: a profile neither file declares is named with both
 * files; a credential error of a profile whose session can end (SSO, credential_process, a role
 * from such a profile, temporary keys) names that session as the likely cause and the command that
 * renews it; otherwise the SDK's own message, with the command that shows the problem.
 */
export async function credentialProblem(
  profile: string | undefined,
  error: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  if (profile && !knownProfiles(env).has(profile)) {
    const { config, credentials } = awsConfigFiles(env);
    return `profile ${profile} is in neither ${config} nor ${credentials}: add it with \`aws configure --profile ${profile}\` (or \`aws configure sso --profile ${profile}\`)`;
  }
  const name = profile ?? env.AWS_PROFILE ?? "default";
  const cause = isCredentialError(error, message) && knownProfiles(env).has(name) ? await likelyCause(name, env) : undefined;
  if (cause) return `${message}: ${cause}`;
  const check = profile ? `aws sts get-caller-identity --profile ${profile}` : "aws sts get-caller-identity";
  return `${message} (see \`${check}\`)`;
}
