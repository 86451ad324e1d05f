import { strict as assert } from "node:assert";
import { estimate } from "../../policy/cost/model";
import { PRICES } from "../../policy/cost/prices";
import { eventCost, main, runningHours, STANDING_TYPES } from "../../cli/cost";
import { flinkApp } from "../policy/harness";
import { runInProcess, runTool } from "../support/cli";

/** `npm run cost` in-process (test/support/cli.ts); the refused --teams below in a process of its own. */
const cost = (args: string[]) => runInProcess("cli/cost.ts", main, args);

describe("npm run cost", () => {
  it("prices the workshop stack per resource type, under the default budget per team-hour", async () => {
    const c = await eventCost("workshop", 30, 6);
    const stream = c.rows.find((r) => r.type === "aws:kinesis/stream:Stream")!;
    assert.equal(stream.count, 2, "clicks and anomalies");
    assert.ok(stream.usdPerTeamHour >= PRICES.kinesisShardHour.usd);
    assert.ok(Math.abs(c.usdPerEvent - c.usdPerTeamHour * 30 * 6) < 1e-9);
    assert.ok(Math.abs(c.rows.reduce((s, r) => s + r.usdPerTeamHour, 0) - c.usdPerTeamHour) < 1e-9);
    assert.ok(c.usdPerTeamHour < 0.5, `${c.usdPerTeamHour}`);
  });

  it("counts the real hours of a day-before provisioning: 6 lab hours and 24 idle ones, the idle ones at the standing types' rate", async () => {
    // The checklist provisions the day before: from 14:00 to the event's end at 20:00 the next day.
    const running = runningHours(new Date("2026-12-01T14:00:00Z"), new Date("2026-12-02T20:00:00Z"));
    assert.equal(running, 30);
    const lab = await eventCost("workshop", 40, 6);
    const real = await eventCost("workshop", 40, { lab: 6, running });
    assert.equal(real.labHours, 6);
    assert.equal(real.idleHours, 24);
    const idleRate = real.rows.filter((r) => STANDING_TYPES.includes(r.type)).reduce((s, r) => s + r.usdPerTeamHour, 0);
    assert.ok(idleRate > 0 && idleRate < real.usdPerTeamHour, `${idleRate} of ${real.usdPerTeamHour}`);
    assert.ok(Math.abs(real.usdPerIdleTeamHour - idleRate) < 1e-9);
    assert.ok(Math.abs(real.usdPerEvent - 40 * (6 * real.usdPerTeamHour + 24 * idleRate)) < 1e-9);
    assert.ok(real.usdPerEvent > 4 * lab.usdPerEvent, `${real.usdPerEvent} vs the 6-hour quote ${lab.usdPerEvent}`);
    assert.ok(Math.abs(real.rows.reduce((s, r) => s + r.usdPerEvent, 0) - real.usdPerEvent) < 1e-9, "rows add up to the event");
  });

  it("refuses an end that is not after the start", () => {
    assert.throws(
      () => runningHours(new Date("2026-12-02T00:00:00Z"), new Date("2026-12-01T00:00:00Z")),
      /--ends-at .* is not after --from/,
    );
    assert.equal(runningHours(new Date(), undefined), undefined);
  });

  it("charges a 1-KPU Flink application two KPU-hours an hour plus storage", () => {
    const { usdPerHour } = estimate([flinkApp()]);
    assert.ok(Math.abs(usdPerHour - (2 * 0.11 + (50 * 0.1) / 730)) < 1e-9, String(usdPerHour));
  });

  it("cites a source and a date for every price", () => {
    for (const [key, p] of Object.entries(PRICES)) {
      assert.match(p.source, /^https:\/\/aws\.amazon\.com\//, key);
      assert.match(p.checked, /^\d{4}-\d{2}-\d{2}/, key);
    }
  });

  it("prints the table from the command line, and refuses a bad --teams", async () => {
    const table = await cost(["--stack", "workshop", "--teams", "30", "--hours", "6"]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Per team-hour: \$0\.\d+ +\(budget \$0\.5000: within\)/);
    assert.match(table.stdout, /aws:kinesis:Stream +2 +\$/);
    const zero = await runTool("cli/cost.ts", ["--stack", "workshop", "--teams", "zero"]);
    assert.notEqual(zero.code, 0);
    assert.match(zero.stderr, /--teams must be a number above 0/);
    const real = await cost([
      "--stack",
      "workshop",
      "--teams",
      "40",
      "--hours",
      "6",
      "--from",
      "2026-12-01T14:00:00Z",
      "--ends-at",
      "2026-12-02T20:00:00Z",
    ]);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /30\.0 hour\(s\) running, 6 of them lab and 24\.0 idle/);
    assert.match(real.stdout, /extend --until/);
    const endsAt = await cost(["--stack", "workshop", "--ends-at", "2026-12-02 20:00"]);
    assert.notEqual(endsAt.code, 0);
    assert.match(endsAt.stderr, /--ends-at "2026-12-02 20:00" is not an ISO 8601 date and time with a time zone/);
    const help = await cost(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--teams <n>[\s\S]*--hours <h>[\s\S]*--from <time>[\s\S]*--ends-at <time>/);
  });
});
