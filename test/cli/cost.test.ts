import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { estimate } from "../../policy/cost/model";
import { PRICES } from "../../policy/cost/prices";
import { eventCost } from "../../cli/cost";
import { ROOT } from "../../paths";
import { flinkApp } from "../policy/harness";

const run = promisify(execFile);
const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");

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
    const { stdout } = await run(tsx, ["cli/cost.ts", "--stack", "workshop", "--teams", "30", "--hours", "6"], { cwd: ROOT });
    assert.match(stdout, /Per team-hour: \$0\.\d+ +\(budget \$0\.5000: within\)/);
    assert.match(stdout, /aws:kinesis:Stream +2 +\$/);
    await assert.rejects(
      run(tsx, ["cli/cost.ts", "--stack", "workshop", "--teams", "zero"], { cwd: ROOT }),
      /--teams must be a number above 0/,
    );
    const help = await run(tsx, ["cli/cost.ts", "--help"], { cwd: ROOT });
    assert.match(help.stdout, /--teams <n>[\s\S]*--hours <h>/);
  });
});
