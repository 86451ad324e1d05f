import { strict as assert } from "node:assert";
import { MAX_EVENT_LENGTH, MAX_TEAM_LENGTH, validateConfig } from "../../infra/config";
import { teamNames } from "../../infra/naming";
import { NAMES } from "../../offline/fakeAws/rules";
import { NOW, VALID } from "../support";

const ACCOUNT = "123456789012";

/** Every physical name of a team, with the AWS rule it must pass. */
function physicalNames(event: string, team: string): [string, (n: string) => string[]][] {
  const n = teamNames(event, team);
  return [
    [n.ingestStream, NAMES.kinesisStream],
    [n.anomaliesStream, NAMES.kinesisStream],
    [n.firehose, NAMES.firehose],
    [n.firehoseRole, NAMES.iamRole],
    [n.kdgRole, NAMES.iamRole],
    [n.firehoseLogGroup, NAMES.logGroup],
    [n.userPool, NAMES.userPool],
    [n.userPoolClient, NAMES.userPoolClient],
    [n.identityPool, NAMES.identityPool],
    [n.topic, NAMES.snsTopic],
    [n.analyticsApp, NAMES.flinkApplication],
    [n.analyticsRole, NAMES.iamRole],
    [n.analyticsLogGroup, NAMES.logGroup],
    [n.alertFunction, NAMES.lambdaFunction],
    [n.alertRole, NAMES.iamRole],
    [n.alertLogGroup, NAMES.logGroup],
    [n.alertFailedQueue, NAMES.sqsQueue],
    [n.stopSchedule, NAMES.schedule],
    [n.stopScheduleRole, NAMES.iamRole],
    [n.disableUserSchedule, NAMES.schedule],
    [n.disableUserScheduleRole, NAMES.iamRole],
    [n.dashboard, NAMES.dashboard],
    [n.bucket("raw", ACCOUNT), NAMES.s3Bucket],
    [n.bucket("processed", ACCOUNT), NAMES.s3Bucket],
    [n.bucket("code", ACCOUNT), NAMES.s3Bucket],
  ];
}

describe("physical names", () => {
  it("fit AWS's rules and stay unique for 200 teams with the longest allowed names", () => {
    const event = "e".repeat(MAX_EVENT_LENGTH - 4) + "2026";
    const seen = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      // Longest allowed, and only the last digits differ: the hardest case for truncation bugs.
      const team = `team-${"x".repeat(MAX_TEAM_LENGTH - 9)}${String(i).padStart(4, "0")}`;
      assert.equal(team.length, MAX_TEAM_LENGTH);
      assert.doesNotThrow(() => validateConfig({ ...VALID, event, team }, NOW), `team ${team} is valid config`);
      for (const [name, rule] of physicalNames(event, team)) {
        assert.deepEqual(rule(name), [], name);
        const owner = seen.get(name);
        // Two kinds of resource may share a name (a pool and its identity pool); two teams may not.
        assert.ok(owner === undefined || owner === team, `${name} is used by ${owner} and ${team}`);
        seen.set(name, team);
      }
    }
  });

  it("budget the processed bucket name, the tightest, against S3's 63 characters", () => {
    const longest = teamNames("e".repeat(MAX_EVENT_LENGTH), "t".repeat(MAX_TEAM_LENGTH)).bucket("processed", ACCOUNT);
    assert.equal(longest.length, 60);
    const tooLong = teamNames("e".repeat(MAX_EVENT_LENGTH), "t".repeat(MAX_TEAM_LENGTH + 4)).bucket("processed", ACCOUNT);
    assert.match(NAMES.s3Bucket(tooLong).join(), /64 characters/);
  });

  it("keep two events' teams of the same name apart", () => {
    const a = physicalNames("spring", "team01").map(([n]) => n);
    const b = physicalNames("autumn", "team01").map(([n]) => n);
    assert.deepEqual(
      a.filter((n) => b.includes(n)),
      [],
    );
  });
});
