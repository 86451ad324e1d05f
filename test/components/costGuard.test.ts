import { strict as assert } from "node:assert";
import { atExpression } from "../../components/costGuard";
import { grants, runTeam } from "../support";

describe("cost guard (stop schedule)", () => {
  it("stops this team's Flink application once, at endsAt, in UTC", async () => {
    const run = await runTeam({ endsAt: "2026-11-28T18:30:00+01:00" });
    const s = run.one("aws:scheduler/schedule:Schedule").inputs as Record<string, any>;
    assert.equal(s.name, "clickstream-alpha-stop-flink");
    assert.equal(s.scheduleExpression, "at(2026-11-28T17:30:00)");
    assert.equal(s.scheduleExpressionTimezone, "UTC");
    assert.deepEqual(s.flexibleTimeWindow, { mode: "OFF" });
    assert.equal(s.target.arn, "arn:aws:scheduler:::aws-sdk:kinesisanalyticsv2:stopApplication");
    assert.deepEqual(JSON.parse(String(s.target.input)), { ApplicationName: "clickstream-alpha-anomaly-detection" });
    const g = grants(run, "clickstream-alpha-stop-flink");
    assert.deepEqual([...g.entries()], [["kinesisanalytics:StopApplication", ["arn:aws:kinesisanalytics:us-east-1:123456789012:application/clickstream-alpha-anomaly-detection"]]]);
  });

  it("writes Scheduler's one-time form without milliseconds or zone", () => {
    assert.equal(atExpression(new Date("2027-01-02T03:04:05.678Z")), "at(2027-01-02T03:04:05)");
  });
});
