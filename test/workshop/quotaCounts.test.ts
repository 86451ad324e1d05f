// The quota counts per team (workshop/quotas.ts, perTeam) are what one team's stack really
// creates: the committed stacks are planned offline (offline/plan.ts, the real program against the
// fake account) and each quota's resources counted. A component that gains a role, a bucket or a
// shard fails here until quotas.ts says so, and a quota added there fails until it is counted here.

import { strict as assert } from "node:assert";
import { MockAccount, type RecordedResource } from "../../offline/fakeAws/account";
import { planStack } from "../../offline/plan";
import { QUOTAS } from "../../workshop/quotas";

const count = (type: string) => (rs: readonly RecordedResource[]) => rs.filter((r) => r.type === type).length;

/** How to count each quota's use in one stack's resources, by quota id. */
const COUNTERS: Readonly<Record<string, (rs: readonly RecordedResource[]) => number>> = {
  "flink-applications": count("aws:kinesisanalyticsv2/application:Application"),
  // Shards of provisioned streams; an on-demand stream's shards are AWS's choice and cannot be counted ahead.
  "kinesis-shards": (rs) =>
    rs
      .filter((r) => r.type === "aws:kinesis/stream:Stream")
      .reduce((sum, r) => {
        const mode = (r.inputs.streamModeDetails as { streamMode?: string } | undefined)?.streamMode ?? "PROVISIONED";
        assert.equal(mode, "PROVISIONED", `stream ${r.name} is ${mode}: its shards cannot be counted per team`);
        return sum + Number(r.inputs.shardCount);
      }, 0),
  "cognito-user-pools": count("aws:cognito/userPool:UserPool"),
  "iam-roles": count("aws:iam/role:Role"),
  "s3-buckets": count("aws:s3/bucket:Bucket"),
};

describe("quota counts per team, from the program's own resources", () => {
  for (const stack of ["dev", "workshop"]) {
    it(`match what the ${stack} stack creates`, async () => {
      const account = new MockAccount();
      await planStack(stack, { account });
      const resources = account.ofStack(stack);
      const used = Object.fromEntries(QUOTAS.map((q) => [q.id, COUNTERS[q.id]?.(resources)]));
      const declared = Object.fromEntries(QUOTAS.map((q) => [q.id, q.perTeam]));
      assert.deepEqual(
        used,
        declared,
        "workshop/quotas.ts perTeam (expected) against the plan's count (actual); a quota without a counter shows undefined",
      );
    });
  }

  it("count a raised shard or an extra role, so the tie can fail", async () => {
    const account = new MockAccount();
    await planStack("dev", { account });
    const resources = account.ofStack("dev");
    const stream = resources.find((r) => r.type === "aws:kinesis/stream:Stream")!;
    const more = [
      ...resources,
      { ...stream, inputs: { ...stream.inputs, shardCount: 3 } },
      resources.find((r) => r.type === "aws:iam/role:Role")!,
    ];
    assert.equal(COUNTERS["kinesis-shards"]!(more), COUNTERS["kinesis-shards"]!(resources) + 3);
    assert.equal(COUNTERS["iam-roles"]!(more), COUNTERS["iam-roles"]!(resources) + 1);
    assert.throws(
      () => COUNTERS["kinesis-shards"]!([{ ...stream, inputs: { streamModeDetails: { streamMode: "ON_DEMAND" } } }]),
      /ON_DEMAND: its shards cannot be counted/,
    );
  });
});
