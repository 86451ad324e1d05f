// Which AWS CLI profiles this machine knows, so that a roster profile missing from the AWS config is
// named as such instead of the SDK's "Could not load credentials from any providers". The files and
// their section headers are the AWS CLI's: ~/.aws/config holds `[default]` and `[profile <name>]`,
// ~/.aws/credentials holds `[<name>]`; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move them
// ("Configuration and credential file settings", AWS CLI user guide:
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html).

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

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
 * Why the credentials of `profile` (undefined: the default chain) could not be used, in one line
 * that names the fix: a profile neither file declares is named with both files; otherwise the
 * SDK's own message, with the command that shows the problem.
 */
export function credentialProblem(profile: string | undefined, error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  if (profile && !knownProfiles(env).has(profile)) {
    const { config, credentials } = awsConfigFiles(env);
    return `profile ${profile} is in neither ${config} nor ${credentials}: add it with \`aws configure --profile ${profile}\` (or \`aws configure sso --profile ${profile}\`)`;
  }
  const check = profile ? `aws sts get-caller-identity --profile ${profile}` : "aws sts get-caller-identity";
  const sso = /sso|token/i.test(message) && profile ? `; an expired SSO session: aws sso login --profile ${profile}` : "";
  return `${message} (see \`${check}\`${sso})`;
}
