import { strict as assert } from "node:assert";
import { atExpression, EventEnd } from "../../components/eventEnd";
import { MockAccount, valueOf } from "../../offline/fakeAws/account";
import { grants, runTeam, statements, type TeamRun } from "../support";

const ACCOUNT = "123456789012";
/** The inputs of aws.scheduler.Schedule this test reads, as the provider receives them. */
interface ScheduleInputs {
  readonly name: string;
  readonly scheduleExpression: string;
  readonly scheduleExpressionTimezone: string;
  readonly state: string;
  readonly flexibleTimeWindow: unknown;
  readonly actionAfterCompletion: string;
  readonly target: { readonly arn: string; readonly roleArn: string; readonly input: string };
}
const schedules = (run: TeamRun) => run.all("aws:scheduler/schedule:Schedule").map((s) => s.inputs as unknown as ScheduleInputs);
const schedule = (run: TeamRun, name: string) => schedules(run).find((s) => s.name === name)!;

describe("event end (stop Flink, disable the KDG user)", () => {
  let run: TeamRun;
  before(async () => {
    run = await runTeam({ endsAt: "2026-11-28T18:30:00+01:00" });
  });

  it("has exactly two schedules, both one-time at endsAt in UTC, enabled, without a flexible window", () => {
    const all = schedules(run);
    assert.deepEqual(all.map((s) => s.name).sort(), ["clickstream-alpha-disable-kdg-user", "clickstream-alpha-stop-flink"]);
    for (const s of all) {
      assert.equal(s.scheduleExpression, "at(2026-11-28T17:30:00)", s.name);
      assert.equal(s.scheduleExpressionTimezone, "UTC");
      assert.equal(s.state, "ENABLED");
      assert.deepEqual(s.flexibleTimeWindow, { mode: "OFF" });
      assert.equal(s.actionAfterCompletion, "NONE");
    }
  });

  it("stops this team's Flink application, with a role that may only stop that application", () => {
    const s = schedule(run, "clickstream-alpha-stop-flink");
    assert.equal(s.target.arn, "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication");
    assert.deepEqual(JSON.parse(s.target.input), { ApplicationName: "clickstream-alpha-anomaly-detection" });
    assert.equal(s.target.roleArn, `arn:aws:iam::${ACCOUNT}:role/clickstream-alpha-stop-flink`);
    assert.deepEqual(
      [...grants(run, "clickstream-alpha-stop-flink").entries()],
      [
        [
          "kinesisanalytics:StopApplication",
          [`arn:aws:kinesisanalytics:us-east-1:${ACCOUNT}:application/clickstream-alpha-anomaly-detection`],
        ],
      ],
    );
  });

  it("disables this team's KDG user, with a role that may only disable users of this team's pool", () => {
    const pool = run.one("aws:cognito/userPool:UserPool");
    const s = schedule(run, "clickstream-alpha-disable-kdg-user");
    assert.equal(s.target.arn, "arn:aws:scheduler:::aws-sdk:cognitoidentityprovider:adminDisableUser");
    // AdminDisableUser's request members, cased as the API has them.
    assert.deepEqual(JSON.parse(s.target.input), { UserPoolId: pool.id, Username: "kdg-user" });
    assert.equal(s.target.roleArn, `arn:aws:iam::${ACCOUNT}:role/clickstream-alpha-disable-kdg-user`);
    assert.equal(pool.state.arn, `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${pool.id}`);
    assert.deepEqual(
      [...grants(run, "clickstream-alpha-disable-kdg-user").entries()],
      [["cognito-idp:AdminDisableUser", [pool.state.arn]]],
    );
  });

  it("lets only Scheduler of this account assume either role", () => {
    for (const name of ["clickstream-alpha-stop-flink", "clickstream-alpha-disable-kdg-user"]) {
      const role = run.all("aws:iam/role:Role").find((r) => r.inputs.name === name)!;
      assert.deepEqual(statements(role.inputs.assumeRolePolicy), [
        {
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]);
    }
  });

  it("names only its own team's pool and application when two teams share an account", async () => {
    const account = new MockAccount();
    const a = await runTeam({ team: "alpha" }, account);
    const b = await runTeam({ team: "bravo", notificationEmail: "bravo@example.com" }, account);
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ] as const) {
      const team = mine === a ? "alpha" : "bravo";
      const pool = mine.one("aws:cognito/userPool:UserPool");
      const other = theirs.one("aws:cognito/userPool:UserPool");
      assert.notEqual(pool.id, other.id);
      assert.equal(
        (JSON.parse(schedule(mine, `clickstream-${team}-disable-kdg-user`).target.input) as { UserPoolId: string }).UserPoolId,
        pool.id,
      );
      assert.deepEqual(grants(mine, `clickstream-${team}-disable-kdg-user`).get("cognito-idp:AdminDisableUser"), [pool.state.arn]);
    }
  });

  it("keeps a deployed stack's stop schedule, role and policy: aliased to the URNs the former CostGuard gave them", async () => {
    // The URNs as the CostGuard of commit 8cfd325 registered them (checked by running it under the same mocks).
    const former = "urn:pulumi:clickstream-alpha::clickstream-lab::clickstream:lab:CostGuard";
    const account = new MockAccount();
    let ee: EventEnd | undefined;
    await account.run("clickstream-alpha", () => {
      ee = new EventEnd("event-end", {
        accountId: ACCOUNT,
        endsAt: new Date("2027-01-01T00:00:00Z"),
        stopFlink: {
          scheduleName: "t-stop-flink",
          roleName: "t-stop-flink",
          applicationName: "app",
          applicationArn: `arn:aws:kinesisanalytics:us-east-1:${ACCOUNT}:application/app`,
        },
        disableKdgUser: {
          scheduleName: "t-disable-kdg-user",
          roleName: "t-disable-kdg-user",
          userPoolId: "us-east-1_abc",
          userPoolArn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_abc`,
          username: "kdg-user",
        },
      });
    });
    // The SDK keeps a resource's aliases as URNs in `__aliases` (what it sends the engine), and a
    // component's children in `__childResources`.
    type Internal = { __name: string; __aliases: unknown[]; __childResources?: Set<Internal> };
    const aliasesOf = async (r: Internal) => Promise.all(r.__aliases.map((a) => valueOf(a)));
    const component = ee as unknown as Internal;
    const byChild: Record<string, unknown[]> = {};
    for (const c of component.__childResources ?? []) byChild[c.__name] = await aliasesOf(c);
    // The CostGuard, and the component's own token before the phase left the tokens.
    assert.deepEqual(await aliasesOf(component), [
      `${former}::cost-guard`,
      "urn:pulumi:clickstream-alpha::clickstream-lab::clickstream:lab:EventEnd::event-end",
    ]);
    assert.deepEqual(byChild, {
      "event-end-stop-flink-role": [`${former}$aws:iam/role:Role::cost-guard-role`],
      "event-end-stop-flink-role-policy": [`${former}$aws:iam/rolePolicy:RolePolicy::cost-guard-role-policy`],
      "event-end-stop-flink-schedule": [`${former}$aws:scheduler/schedule:Schedule::cost-guard-schedule`],
      // New with this component: nothing to keep.
      "event-end-disable-kdg-user-role": [],
      "event-end-disable-kdg-user-role-policy": [],
      "event-end-disable-kdg-user-schedule": [],
    });
  });

  it("writes Scheduler's one-time form without milliseconds or zone", () => {
    assert.equal(atExpression(new Date("2027-01-02T03:04:05.678Z")), "at(2027-01-02T03:04:05)");
  });
});
