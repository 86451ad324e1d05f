import { strict as assert } from "node:assert";
import { DISABLE_USER_TARGET, oneTimeAt, schedulerTargetsPolicy } from "../../policy/rules/schedulerTargets";
import { atExpression, awsProvider, check, daysFromNow, stopSchedule } from "./harness";

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);

describe("scheduler-one-time-lab-targets", () => {
  it("passes the stop schedule and the disable-user schedule, enabled and due before expires-at", async () => {
    const disable = stopSchedule("app", {
      target: {
        arn: DISABLE_USER_TARGET,
        roleArn: "arn:aws:iam::123456789012:role/d",
        input: JSON.stringify({ UserPoolId: "us-east-1_x", Username: "kdg-user" }),
      },
      state: "ENABLED",
    });
    assert.deepEqual(await check(schedulerTargetsPolicy, [stopSchedule("app"), disable]), []);
  });
  // Issue 14, input 2.
  it('refuses state "DISABLED"', async () =>
    assert.match((await check(schedulerTargetsPolicy, [stopSchedule("app", { state: "DISABLED" })])).join(), /state is DISABLED/));
  it("refuses at(2099-12-31T23:59:59): after the stack's expires-at", async () => {
    const found = await check(schedulerTargetsPolicy, [stopSchedule("app", { scheduleExpression: "at(2099-12-31T23:59:59)" })]);
    assert.match(found.join(), /due at 2099-12-31T23:59:59\.000Z, after the stack's expires-at/);
  });
  it("refuses an endDate in the past", async () =>
    assert.match(
      (await check(schedulerTargetsPolicy, [stopSchedule("app", { endDate: "2020-01-01T00:00:00Z" })])).join(),
      /endDate 2020-01-01T00:00:00Z is in the past/,
    ));
  it("refuses a recurring schedule and a time that is already past", async () => {
    assert.match(
      (await check(schedulerTargetsPolicy, [stopSchedule("app", { scheduleExpression: "rate(1 minute)" })])).join(),
      /not a one-time at/,
    );
    assert.match(
      (await check(schedulerTargetsPolicy, [stopSchedule("app", { scheduleExpression: atExpression(inHours(-1)) })])).join(),
      /in the past: it would never run/,
    );
  });
  it("counts a flexible window against expires-at", async () => {
    const provider = awsProvider("us-east-1", { event: "e", team: "t", "expires-at": new Date(Date.now() + 2 * 3_600_000).toISOString() });
    const late = stopSchedule("app", { flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 240 } });
    assert.match((await check(schedulerTargetsPolicy, [{ ...late, provider }])).join(), /after the stack's expires-at/);
  });
  it("refuses another time zone", async () =>
    assert.match(
      (await check(schedulerTargetsPolicy, [stopSchedule("app", { scheduleExpressionTimezone: "Pacific/Kiritimati" })])).join(),
      /written in UTC/,
    ));
  // Issue 14, input 4: a universal target that calls another API every minute.
  it("refuses aws-sdk:ec2:runInstances every minute", async () => {
    const found = await check(schedulerTargetsPolicy, [
      stopSchedule("app", {
        scheduleExpression: "rate(1 minute)",
        target: { arn: "arn:aws:scheduler:::aws-sdk:ec2:runInstances", roleArn: "arn:aws:iam::123456789012:role/x", input: "{}" },
      }),
    ]);
    assert.match(found[0]!, /calls arn:aws:scheduler:::aws-sdk:ec2:runInstances; a lab schedule may call only/);
    assert.match(found.join(), /not a one-time at/);
  });
  it("reads at() only on real calendar times", () => {
    assert.equal(oneTimeAt("at(2027-02-30T10:00:00)"), undefined);
    assert.equal(oneTimeAt(`at(${daysFromNow(1).slice(0, 19)})`)?.toISOString(), `${daysFromNow(1).slice(0, 19)}.000Z`.slice(0, 24));
  });
});
