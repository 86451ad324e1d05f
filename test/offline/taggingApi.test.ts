// The fake account's DescribeApplication (offline/fakeAws/taggingApi.ts) answers a Managed Flink
// application's status as it is now: a transition something outside the stack started (the stop
// schedule, an earlier update in flight) has ended once its time has come, as the provider plugin
// already reads it. What `update`'s canary check and `status` read in the real-engine tests.

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeApplicationCommand, KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import { FLINK_APPLICATION } from "../../offline/fakeAws/core";
import { startTaggingApi } from "../../offline/fakeAws/taggingApi";
import { runTeam } from "../support";

describe("the fake account's DescribeApplication", () => {
  it("answers the status as it is now: an UPDATING whose time has come is RUNNING", async () => {
    const { account } = await runTeam({ team: "alpha" });
    const name = String(account.resources.find((r) => r.type === FLINK_APPLICATION)!.state.name);
    account.setApplicationStatus(name, "UPDATING", { status: "RUNNING", afterMs: 0 });
    const file = join(mkdtempSync(join(tmpdir(), "fake-describe-")), "account.json");
    writeFileSync(file, JSON.stringify(account.toJSON()));
    const api = await startTaggingApi(file);
    const flink = new KinesisAnalyticsV2Client({
      region: "us-east-1",
      endpoint: api.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    try {
      const d = await flink.send(new DescribeApplicationCommand({ ApplicationName: name }));
      assert.equal(d.ApplicationDetail?.ApplicationStatus, "RUNNING");
    } finally {
      flink.destroy();
      await api.close();
    }
  });
});
