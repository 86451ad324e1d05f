import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { propertyContract } from "../../components/analytics";
import { ConfigError, emailProblem, REQUIRED_KEYS, SCHEMA, validateConfig, type ConfigKey } from "../../infra/config";
import { parseStackFile, StackFileError, withGeneratedConfig } from "../../infra/stackFiles";
import * as os from "node:os";
import { MockAccount } from "../../offline/fakeAws/account";
import { planStack } from "../../offline/plan";
import { ROOT } from "../../paths";
import { NOW, VALID } from "../support";

function problemsOf(raw: Partial<Record<string, string>>): { key: string; problem: string; fix: string }[] {
  try {
    validateConfig(raw, NOW);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return [...e.problems];
  }
  assert.fail("the configuration was accepted");
}

function rejects(overrides: Partial<Record<string, string>>, key: string, words: RegExp): void {
  const problems = problemsOf({ ...VALID, ...overrides });
  assert.deepEqual(
    problems.map((p) => p.key),
    [key],
  );
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
    assert.equal(cfg.anomalyThreshold, 2.8);
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
    it("a missing endsAt, with a fix whose example is a valid end (four hours from now), not a fixed date that expires", () => {
      try {
        validateConfig({ ...VALID, endsAt: undefined }, NOW);
        assert.fail("accepted");
      } catch (e) {
        const p = (e as ConfigError).problems.find((x) => x.key === "endsAt")!;
        assert.match(p.fix, /endsAt 2026-11-28T16:00:00Z$/);
        assert.doesNotThrow(() => validateConfig({ ...VALID, endsAt: "2026-11-28T16:00:00Z" }, NOW));
      }
    });
    it("an upper-case team", () => rejects({ team: "TeamA" }, "team", /lower-case/));
    it("a team name that is too long", () => rejects({ team: "a".repeat(21) }, "team", /21 characters/));
    it("a team with a double hyphen", () => rejects({ team: "a--b" }, "team", /single hyphens/));
    it("an event name with a space", () => rejects({ event: "my event" }, "event", /lower-case/));
    it("another region", () => rejects({ region: "eu-west-1" }, "region", /us-east-1 only/));
    it("an allowed account that is not 12 digits (issue 23)", () =>
      rejects({ allowedAccountIds: "111111111111,12345" }, "allowedAccountIds", /"12345" is not a 12-digit AWS account ID/));
    it("a profile name the AWS CLI would not take", () => rejects({ awsProfile: "my profile" }, "awsProfile", /not an AWS profile name/));
    it("an invalid e-mail", () => rejects({ notificationEmail: "not-an-email" }, "notificationEmail", /not an e-mail/));
    it("a phone number not in E.164", () => rejects({ notificationPhone: "555 0123" }, "notificationPhone", /E\.164/));
    it("a user name with a space", () => rejects({ kdgUsername: "kdg user" }, "kdgUsername", /Cognito user name/));
    it("a weak password", () => rejects({ kdgPassword: "short1" }, "kdgPassword", /shorter than 12.*no upper-case/));
    it("an end time without a time zone, whose fix keeps the instructor's time (issue 23)", () => {
      rejects({ endsAt: "2026-12-01T17:00:00" }, "endsAt", /time zone/);
      const [p] = problemsOf({ ...VALID, endsAt: "2026-12-01T17:00:00" });
      assert.match(p!.fix, /^pulumi config set endsAt 2026-12-01T17:00:00Z {2}\(your time read as UTC/);
    });
    it("any other wrong end time: a placeholder, not a real-looking time to paste", () => {
      for (const endsAt of ["soon", "2026-11-01T17:00:00Z", "2026-11-31T10:00:00Z"])
        assert.equal(problemsOf({ ...VALID, endsAt })[0]!.fix, "pulumi config set endsAt <YYYY-MM-DDTHH:MM:SSZ, the event's end>", endsAt);
    });
    it("an end time in the past", () => rejects({ endsAt: "2026-11-01T17:00:00Z" }, "endsAt", /in the past/));
    it("a threshold that is not a number", () => rejects({ anomalyThreshold: "high" }, "anomalyThreshold", /not a decimal number/));
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
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { secret?: boolean; default?: unknown }>;
    };
    const bad = Object.entries(project.config).filter(([, spec]) => spec.secret === true && "default" in spec);
    assert.deepEqual(
      bad.map(([k]) => k),
      [],
    );
  });

  it("defaults the threshold to the job's own default (sql/runtime-properties.json), the one value bench:detection chose", () => {
    assert.equal(SCHEMA.anomalyThreshold.default, propertyContract().groups.Detection!["anomaly.threshold"]!.default);
  });

  it("keeps Pulumi.yaml's config: block as infra/config.ts SCHEMA generates it (npm run config:schema)", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    assert.equal(text, withGeneratedConfig(text), "Pulumi.yaml's config: block is out of date: run npm run config:schema");
    // Secret keys stay undeclared: the engine refuses a secret with a plain default ("must be
    // encrypted as it's secret"), and a declared key without a default is required.
    const project = YAML.parse(text) as { config: Record<string, unknown> };
    const secret = (Object.keys(SCHEMA) as ConfigKey[]).filter((k) => "secret" in SCHEMA[k] && (SCHEMA[k] as { secret?: boolean }).secret);
    assert.deepEqual(secret, ["kdgPassword"]);
    assert.deepEqual(
      Object.keys(project.config)
        .filter((k) => !k.includes(":"))
        .sort(),
      Object.keys(SCHEMA)
        .filter((k) => !secret.includes(k as ConfigKey))
        .sort(),
    );
    assert.deepEqual([...REQUIRED_KEYS].sort(), ["endsAt", "notificationEmail", "team"]);
  });

  it("would catch a hand edit of Pulumi.yaml's config: block", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    const edited = text.replace("default: kdg-user", "default: someone-else");
    assert.notEqual(edited, text);
    assert.notEqual(withGeneratedConfig(edited), edited);
  });

  // Issue 26 kind 3: +1 numbers have ten digits after the country code; E.164's 15-digit ceiling is not enough.
  it("refuses a phone with the wrong number of digits for its country, naming the key", () => {
    for (const phone of ["+1206555", "+120655501234"]) {
      const [p] = problemsOf({ ...VALID, notificationPhone: phone });
      assert.equal(p?.key, "notificationPhone", phone);
      assert.match(p.problem, /wrong number of digits for its country \(too (short|long)\)/);
    }
    assert.doesNotThrow(() => validateConfig({ ...VALID, notificationPhone: "+12065550123" }, NOW));
  });

  it("still generates the KDG password when the key is absent or empty", () => {
    assert.equal(validateConfig(VALID, NOW).kdgPassword, undefined);
    assert.equal(validateConfig({ ...VALID, kdgPassword: "" }, NOW).kdgPassword, undefined);
  });

  describe("strict input (issue 14)", () => {
    it("refuses a day the calendar does not have instead of rolling it over", () =>
      rejects({ endsAt: "2026-11-31T10:00:00Z" }, "endsAt", /real calendar day/));
    it("refuses 2027-02-30", () => rejects({ endsAt: "2027-02-30T10:00:00Z" }, "endsAt", /real calendar day/));
    it("refuses an end one minute from now", () => rejects({ endsAt: "2026-11-28T12:01:00Z" }, "endsAt", /less than 30 minutes ahead/));
    it("refuses an end in 2099", () => rejects({ endsAt: "2099-12-31T23:59:59Z" }, "endsAt", /more than 14 days ahead/));
    it("takes a wider window when the caller configures one", () => {
      const cfg = validateConfig({ ...VALID, endsAt: "2026-12-20T12:00:00Z" }, NOW, undefined, {
        endsAtWindow: { minMinutes: 10, maxDays: 30 },
      });
      assert.equal(cfg.endsAt.toISOString(), "2026-12-20T12:00:00.000Z");
    });
    for (const threshold of ["0x10", "0b11", "0o7", "1e1", "1e-7", "+2", "-1", " 2", "2.", ".5", "Infinity"]) {
      it(`refuses the threshold ${JSON.stringify(threshold)} (decimal numbers only)`, () =>
        rejects({ anomalyThreshold: threshold }, "anomalyThreshold", /not a decimal number/));
    }
    it("accepts 2.5 and 3", () => {
      assert.equal(validateConfig({ ...VALID, anomalyThreshold: "2.5" }, NOW).anomalyThreshold, 2.5);
      assert.equal(validateConfig({ ...VALID, anomalyThreshold: "3" }, NOW).anomalyThreshold, 3);
    });
    for (const email of [
      "<a@example.com>",
      "Alice <a@example.com>",
      "a@example..com",
      "a@.example.com",
      "a.@example.com",
      "a@example",
      "a@example.c0m",
      '"a b"@example.com',
      "a@[127.0.0.1]",
      "a@-example.com",
    ]) {
      it(`refuses the e-mail ${email}`, () =>
        rejects({ notificationEmail: email }, "notificationEmail", /not an e-mail address SNS can deliver to/));
    }
    for (const email of ["a#b@example.com", "first.last+lab@sub.example.co.uk", "o'neil@example.com", "x@xn--bcher-kva.xn--p1ai"]) {
      it(`accepts the e-mail ${email}`, () => assert.equal(emailProblem(email), undefined));
    }
    it("refuses an event that makes a bucket name start with a prefix S3 reserves (sthree)", () =>
      rejects({ event: "sthree" }, "event", /would start with sthree-, a prefix S3 reserves/));
    it("refuses an event and team that spell amzn-s3-demo-", () => rejects({ event: "amzn", team: "s3-demo-x" }, "event", /amzn-s3-demo-/));
    it("refuses a typo'd key and names the key it meant", () => {
      const [p] = problemsOf({ ...VALID, anomalyTreshold: "3" });
      assert.equal(p!.key, "anomalyTreshold");
      assert.match(p!.problem, /is not a setting of this project; did you mean anomalyThreshold\?/);
      assert.equal(p!.fix, "pulumi config rm anomalyTreshold  then: pulumi config set anomalyThreshold 3");
    });
    it("refuses an unknown key far from any setting without guessing", () => {
      const [p] = problemsOf({ ...VALID, colour: "blue" });
      assert.match(p!.problem, /^is not a setting of this project \(settings: /);
    });
  });

  describe("the policy pack's limits, with the pack's words (issue 14, input 6)", () => {
    it("refuses bucketExpirationDays 30", () =>
      rejects(
        { bucketExpirationDays: "30" },
        "bucketExpirationDays",
        /^each bucket expires objects after 30 days; at most 14 \(the policy pack's limit\)$/,
      ));
    it("accepts bucketExpirationDays 14", () =>
      assert.equal(validateConfig({ ...VALID, bucketExpirationDays: "14" }, NOW).bucketExpirationDays, 14));
    it("refuses logRetentionDays 3653", () =>
      rejects({ logRetentionDays: "3653" }, "logRetentionDays", /^retentionInDays 3653 is over 30 \(the policy pack's limit\)$/));
    it("refuses SMS to a premium-rate number", () => rejects({ notificationPhone: "+19005550123" }, "notificationPhone", /premium-rate/));
  });

  describe("stack files", () => {
    it("names the file, line and column of a YAML error", () => {
      assert.throws(
        () => parseStackFile("config:\n  clickstream-lab:team: alpha\n   clickstream-lab:event: [broken\n", "Pulumi.dev.yaml"),
        (e: unknown) => {
          assert.ok(e instanceof StackFileError);
          assert.match(e.message, /^Pulumi\.dev\.yaml:\d+:\d+: not valid YAML: /);
          return true;
        },
      );
    });
    it("stops the program on a typo'd key in a stack file, naming the key it meant", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-typo-"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.typo.yaml"),
        'config:\n  clickstream-lab:team: alpha\n  clickstream-lab:notificationEmail: a@example.com\n  clickstream-lab:anomalyTreshold: "3"\n',
      );
      const account = new MockAccount();
      await assert.rejects(planStack("typo", { account, stackDir: dir }), (e: unknown) => {
        // The plan loads a fresh copy of the program, so the class is a twin: check by name.
        assert.equal((e as Error).name, "ConfigError", String(e));
        assert.match((e as Error).message, /anomalyTreshold: is not a setting of this project; did you mean anomalyThreshold\?/);
        return true;
      });
      assert.equal(account.resources.length, 0);
    });
    it("names the stack file and line when the offline plan meets broken YAML", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-yaml-"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.broken.yaml"),
        "config:\n  clickstream-lab:team: alpha\n  clickstream-lab:event: [unclosed\n",
      );
      await assert.rejects(planStack("broken", { stackDir: dir }), /Pulumi\.broken\.yaml:\d+:\d+: not valid YAML/);
    });
    it("reads the committed stack files, which set no end time", () => {
      for (const stack of ["dev", "workshop"]) {
        const file = `Pulumi.${stack}.yaml`;
        const { config } = parseStackFile(fs.readFileSync(path.join(ROOT, file), "utf8"), file);
        assert.ok(Object.keys(config).length > 0, file);
        assert.equal(config["clickstream-lab:endsAt"], undefined, `${file}: an end time would expire within 14 days`);
        assert.equal(config["clickstream-lab:anomalyThreshold"], undefined, `${file}: the threshold's default lives in Pulumi.yaml`);
      }
    });
  });
});
