import { strict as assert } from "node:assert";
import { valueOf } from "../../offline/fakeAws/account";
import { runTeam } from "../support";

describe("ingest", () => {
  it("is one provisioned shard, 24 h retention, encrypted with the AWS-managed key", async () => {
    const run = await runTeam();
    const s = run.one("aws:kinesis/stream:Stream", "ingest-stream");
    assert.equal(s.inputs.name, "clickstream-alpha-clicks");
    assert.deepEqual(s.inputs.streamModeDetails, { streamMode: "PROVISIONED" });
    assert.equal(s.inputs.shardCount, 1);
    assert.equal(s.inputs.retentionPeriod, 24);
    assert.equal(s.inputs.encryptionType, "KMS");
    assert.equal(s.inputs.kmsKeyId, "alias/aws/kinesis");
    assert.equal(await valueOf(run.outputs.ingestStreamArn), "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-alpha-clicks");
  });
});
