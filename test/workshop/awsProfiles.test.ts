// credentialProblem's one line for a profile whose session ended. The SDK's provider chain answers
// an expired SSO sign-in, an expired credential_process session or a role whose source profile's
// session ended with the same "Could not load credentials from any providers"; the profile's kind,
// read from the AWS config file (AWS_CONFIG_FILE here, as the CLI and SDK read it), names the cause
// and the command that renews it.

import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentialProblem, profileSource, renewCommand } from "../../workshop/awsProfiles";

/** What the SDK's default chain throws when no provider gave credentials (its name and message). */
function chainError(): Error {
  const e = new Error("Could not load credentials from any providers");
  e.name = "CredentialsProviderError";
  return e;
}

describe("credentialProblem: a profile whose session ended (workshop/awsProfiles.ts)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "aws-profiles-"));
    const config = join(dir, "config");
    const credentials = join(dir, "credentials");
    writeFileSync(
      config,
      [
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "sso_region = us-east-1",
        "[profile sso]",
        "sso_session = corp",
        "sso_account_id = 123456789012",
        "sso_role_name = Instructor",
        "[profile legacy-sso]",
        "sso_start_url = https://corp.awsapps.com/start",
        "sso_region = us-east-1",
        "sso_account_id = 123456789012",
        "sso_role_name = Instructor",
        "[profile proc]",
        "credential_process = /opt/bin/get-creds --account lab",
        "[profile event]",
        "role_arn = arn:aws:iam::123456789012:role/Workshop",
        "source_profile = sso",
        "[profile loop]",
        "role_arn = arn:aws:iam::123456789012:role/Loop",
        "source_profile = loop",
        "[profile keys]",
        "region = us-east-1",
        "",
      ].join("\n"),
    );
    writeFileSync(
      credentials,
      "[keys]\naws_access_key_id = AKIA0\naws_secret_access_key = s\n[temp]\naws_access_key_id = ASIA0\naws_secret_access_key = s\naws_session_token = t\n",
    );
    env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each profile's kind from the files with the SDK's loader", async () => {
    assert.deepEqual(await profileSource("sso", env), { kind: "sso", session: "corp" });
    assert.deepEqual(await profileSource("legacy-sso", env), { kind: "sso" });
    assert.deepEqual(await profileSource("proc", env), { kind: "process", command: "/opt/bin/get-creds --account lab" });
    assert.deepEqual(await profileSource("event", env), {
      kind: "role",
      roleArn: "arn:aws:iam::123456789012:role/Workshop",
      sourceProfile: "sso",
    });
    assert.deepEqual(await profileSource("keys", env), { kind: "keys", temporary: false });
    assert.deepEqual(await profileSource("temp", env), { kind: "keys", temporary: true });
  });

  it("an SSO profile: its sign-in has likely expired, and aws sso login for it", async () => {
    for (const profile of ["sso", "legacy-sso"]) {
      const line = await credentialProblem(profile, chainError(), env);
      assert.match(line, /^Could not load credentials from any providers: /);
      assert.match(line, /expired/);
      assert.match(line, new RegExp(`\`aws sso login --profile ${profile}\``));
      assert.doesNotMatch(line, /\n/);
    }
  });

  it("a credential_process profile: its session has likely expired, and the process to run again", async () => {
    const line = await credentialProblem("proc", chainError(), env);
    assert.match(line, /credential_process \(\/opt\/bin\/get-creds --account lab\), whose session has likely expired/);
    assert.match(line, /run it again \(`\/opt\/bin\/get-creds --account lab`\)/);
    assert.doesNotMatch(line, /aws sso login/);
  });

  it("an assumed role: the cause and fix of the profile it assumes it with", async () => {
    const line = await credentialProblem("event", chainError(), env);
    assert.match(line, /profile event assumes arn:aws:iam::123456789012:role\/Workshop with profile sso's credentials; /);
    assert.match(line, /`aws sso login --profile sso`/);
    const loop = await credentialProblem("loop", chainError(), env);
    assert.match(loop, /profile loop assumes arn:aws:iam::123456789012:role\/Loop/, "a profile that is its own source ends");
  });

  it("temporary keys in the credentials file have likely expired; long-lived keys keep the SDK's message", async () => {
    const expired = Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" });
    assert.match(await credentialProblem("temp", expired, env), /temporary keys \(aws_session_token\), which have likely expired/);
    assert.equal(
      await credentialProblem("keys", chainError(), env),
      "Could not load credentials from any providers (see `aws sts get-caller-identity --profile keys`)",
    );
  });

  it("the default chain uses AWS_PROFILE's kind; an error that is not about credentials is left as the SDK's", async () => {
    assert.match(await credentialProblem(undefined, chainError(), { ...env, AWS_PROFILE: "sso" }), /`aws sso login --profile sso`/);
    assert.equal(
      await credentialProblem("sso", new Error("connect ECONNREFUSED 127.0.0.1:4566"), env),
      "connect ECONNREFUSED 127.0.0.1:4566 (see `aws sts get-caller-identity --profile sso`)",
    );
  });

  it("a profile in neither file is still named with both files", async () => {
    assert.match(await credentialProblem("nobody", chainError(), env), /^profile nobody is in neither .*config nor .*credentials: add it/);
  });

  it("renewCommand: the command that starts a new session, by the profile's kind (preflight's fix for credentials that end)", async () => {
    assert.equal(await renewCommand("sso", env), "aws sso login --profile sso");
    assert.equal(await renewCommand("legacy-sso", env), "aws sso login --profile legacy-sso");
    assert.equal(await renewCommand("proc", env), "run `/opt/bin/get-creds --account lab` again (profile proc's credential_process)");
    assert.equal(await renewCommand("event", env), "aws sso login --profile sso", "a role renews through its source profile");
    assert.equal(await renewCommand("temp", env), "put new temporary keys in with `aws configure --profile temp`");
    assert.equal(await renewCommand("loop", env), undefined, "a profile that is its own source names nothing");
    assert.equal(await renewCommand("keys", env), undefined);
  });
});
