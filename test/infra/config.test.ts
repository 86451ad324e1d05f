import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError, REQUIRED_KEYS, SCHEMA, validateConfig, type ConfigKey } from "../../infra/config";
import { NOW, VALID } from "../support";

function problemsOf(raw: Partial<Record<ConfigKey, string>>): { key: string; problem: string; fix: string }[] {
  try {
    validateConfig(raw, NOW);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return [...e.problems];
  }
  assert.fail("the configuration was accepted");
}

function rejects(overrides: Partial<Record<ConfigKey, string>>, key: string, words: RegExp): void {
  const problems = problemsOf({ ...VALID, ...overrides });
  assert.deepEqual(problems.map((p) => p.key), [key]);
  assert.match(problems[0]!.problem, words);
  assert.match(problems[0]!.fix, new RegExp(`pulumi config (set|rm)( --secret)? ${key}`));
}

describe("stack configuration", () => {
  it("applies the schema's defaults to a minimal configuration", () => {
    const cfg = validateConfig(VALID, NOW);
    assert.equal(cfg.event, "clickstream");
    assert.equal(cfg.region, "us-east-1");
    assert.equal(cfg.kdgUsername, "kdg-user");
    assert.equal(cfg.kdgPassword, undefined);
    assert.equal(cfg.notificationPhone, undefined);
    assert.equal(cfg.anomalyThreshold, 2);
    assert.equal(cfg.bucketExpirationDays, 7);
    assert.equal(cfg.logRetentionDays, 7);
    assert.equal(cfg.endsAt.toISOString(), "2026-11-28T18:00:00.000Z");
  });

  it("accepts a full, valid configuration", () => {
    const cfg = validateConfig(
      { ...VALID, notificationPhone: "+15555550123", kdgPassword: "Abcdefgh1234", anomalyThreshold: "2.5", logRetentionDays: "14" },
      NOW,
    );
    assert.equal(cfg.notificationPhone, "+15555550123");
    assert.equal(cfg.kdgPassword, "Abcdefgh1234");
    assert.equal(cfg.anomalyThreshold, 2.5);
    assert.equal(cfg.logRetentionDays, 14);
  });

  describe("rejects, naming the key and the fix", () => {
    it("a missing required key", () => rejects({ notificationEmail: undefined }, "notificationEmail", /required/));
    it("an upper-case team", () => rejects({ team: "TeamA" }, "team", /lower-case/));
    it("a team name that is too long", () => rejects({ team: "a".repeat(21) }, "team", /21 characters/));
    it("a team with a double hyphen", () => rejects({ team: "a--b" }, "team", /single hyphens/));
    it("an event name with a space", () => rejects({ event: "my event" }, "event", /lower-case/));
    it("another region", () => rejects({ region: "eu-west-1" }, "region", /us-east-1 only/));
    it("an invalid e-mail", () => rejects({ notificationEmail: "not-an-email" }, "notificationEmail", /not an e-mail/));
    it("a phone number not in E.164", () => rejects({ notificationPhone: "555 0123" }, "notificationPhone", /E\.164/));
    it("a user name with a space", () => rejects({ kdgUsername: "kdg user" }, "kdgUsername", /Cognito user name/));
    it("a weak password", () => rejects({ kdgPassword: "short1" }, "kdgPassword", /shorter than 12.*no upper-case/));
    it("an end time without a time zone", () => rejects({ endsAt: "2026-12-01T17:00:00" }, "endsAt", /time zone/));
    it("an end time in the past", () => rejects({ endsAt: "2026-11-01T17:00:00Z" }, "endsAt", /in the past/));
    it("a threshold that is not a number", () => rejects({ anomalyThreshold: "high" }, "anomalyThreshold", /not a number/));
    it("a non-positive threshold", () => rejects({ anomalyThreshold: "0" }, "anomalyThreshold", /above 0/));
    it("a fractional expiry", () => rejects({ bucketExpirationDays: "1.5" }, "bucketExpirationDays", /whole number/));
    it("a retention CloudWatch does not offer", () => rejects({ logRetentionDays: "10" }, "logRetentionDays", /retention periods/));
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ team: "TeamA", region: "eu-west-1", notificationEmail: "nope", endsAt: "soon", logRetentionDays: "2" });
    assert.deepEqual(problems.map((p) => p.key).sort(), ["endsAt", "logRetentionDays", "notificationEmail", "region", "team"]);
  });

  it("suggests a usable team name in the fix", () => {
    const [p] = problemsOf({ ...VALID, team: "Team A!" });
    assert.equal(p!.fix, "pulumi config set team team-a");
    assert.doesNotThrow(() => validateConfig({ ...VALID, team: "team-a" }, NOW));
  });

  it("says in its message that nothing was created, with one line per problem", () => {
    try {
      validateConfig({ ...VALID, team: "X", region: "eu-west-1" }, NOW, "team-x");
      assert.fail("accepted");
    } catch (e) {
      assert.match((e as Error).message, /^The configuration of team-x has 2 problems; nothing was created\./);
      assert.match((e as Error).message, /- region: "eu-west-1" is not allowed/);
    }
  });

  it("declares no secret key with a plain default in Pulumi.yaml (the engine refuses every stack then)", () => {
    const project = YAML.parse(fs.readFileSync(path.join(__dirname, "../../Pulumi.yaml"), "utf8")) as { config: Record<string, { secret?: boolean; default?: unknown }> };
    const bad = Object.entries(project.config).filter(([, spec]) => spec.secret === true && "default" in spec);
    assert.deepEqual(bad.map(([k]) => k), []);
  });

  it("matches the config schema declared in Pulumi.yaml", () => {
    const project = YAML.parse(fs.readFileSync(path.join(__dirname, "../../Pulumi.yaml"), "utf8")) as {
      config: Record<string, { type?: string; default?: unknown; secret?: boolean; description?: string }>;
    };
    const declared = Object.keys(project.config).filter((k) => !k.includes(":"));
    // Secret keys stay undeclared: the engine refuses a secret with a plain default ("must be
    // encrypted as it's secret"), and a declared key without a default is required.
    const secret = (Object.keys(SCHEMA) as ConfigKey[]).filter((k) => "secret" in SCHEMA[k] && (SCHEMA[k] as { secret?: boolean }).secret);
    assert.deepEqual(secret, ["kdgPassword"]);
    assert.deepEqual(declared.sort(), Object.keys(SCHEMA).filter((k) => !secret.includes(k as ConfigKey)).sort());
    for (const [key, spec] of Object.entries(SCHEMA) as [ConfigKey, (typeof SCHEMA)[ConfigKey]][]) {
      if (secret.includes(key)) continue;
      const y = project.config[key]!;
      assert.equal(y.type, spec.type, `${key}: type`);
      assert.equal(y.description, spec.description, `${key}: description`);
      assert.equal(y.default, "default" in spec ? spec.default : undefined, `${key}: default`);
      assert.equal(y.secret ?? false, "secret" in spec ? spec.secret : false, `${key}: secret`);
    }
    assert.deepEqual([...REQUIRED_KEYS].sort(), ["endsAt", "notificationEmail", "team"]);
  });
});
