// End to end, as `npm start` runs it: local Kinesis on 127.0.0.1, the real Flink JAR in local
// mode, the lab's traffic (compressed 10x, 5 lab minutes of warm-up), the alert handler. It must
// print the lab's alert for the burst, exit 0, and leave no process behind.

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { runTool } from "../support/cli";

function jobProcesses(): string {
  try {
    return execFileSync("pgrep", ["-f", "lab.clickstream.ClickstreamJob"], { encoding: "utf8" }).trim();
  } catch {
    return ""; // pgrep exits 1 when nothing matches
  }
}

describe("npm start (the lab on this machine)", function () {
  this.timeout(300_000);

  it("documents its options", async () => {
    const r = await runTool("cli/start.ts", ["--help"]);
    assert.equal(r.code, 0);
    for (const f of ["--follow", "--compression", "--threshold", "--steady-seconds"]) assert.ok(r.stdout.includes(f), f);
  });

  it("detects the lab's burst end to end, prints the alert as e-mailed, and exits 0 leaving nothing running", async () => {
    const r = await runTool("cli/start.ts", ["--steady-seconds", "300", "--compression", "10"]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Subject: Anomaly Detected/);
    assert.match(r.stdout, /Anomaly detected with a click through rate of \d+(\.\d+)?% and an anomaly score of \d+\.\d+/);
    assert.match(r.stdout, /stored s3:\/\/local-processed\/weblogs\/processed\/\d{4}\/\d{2}\/\d{2}\/\d+\.csv/);
    assert.match(r.stdout, /WINDOW \(lab time\) +CLICKS +IMPRESSIONS +CTR % +SCORE/);
    assert.equal(jobProcesses(), "", "the Flink job was stopped");
  });
});
