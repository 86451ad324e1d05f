import { strict as assert } from "node:assert";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { kinesisClientConfig } from "../../traffic/targets";
import { startMoto, type LocalAws } from "../../offline/moto";
import { runTool } from "../support/cli";

const traffic = (args: string[], env: NodeJS.ProcessEnv = process.env) => runTool("cli/traffic.ts", args, env);

describe("npm run traffic", function () {
  this.timeout(120_000);

  it("documents every option in --help", async () => {
    const { code, stdout } = await traffic(["--help"]);
    assert.equal(code, 0);
    for (const flag of ["--stack", "--stream", "--firehose", "--profile", "--rate", "--steady-seconds", "--burst-producers", "--burst-seconds", "--after-burst-seconds", "--compression", "--seed", "--jitter-ms", "--region", "--endpoint", "--max-attempts", "--sequence", "--dry-run", "--failed-out"])
      assert.match(stdout, new RegExp(`${flag}\\b`), flag);
    assert.match(stdout, /discovery.*steady.*burst.*lab/s);
  });

  it("refuses two destinations, and bad numbers, naming the option", async () => {
    const both = await traffic(["--stream", "a", "--firehose", "b"]);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /exactly one of --stack, --stream or --firehose/);
    const rate = await traffic(["--stream", "a", "--rate", "0"]);
    assert.match(rate.stderr, /--rate must be a number above 0/);
    const profile = await traffic(["--stream", "a", "--profile", "storm"]);
    assert.match(profile.stderr, /storm.*Allowed choices are discovery, steady, burst, lab/s);
  });

  it("prints the lab's schedule with --dry-run", async () => {
    const { code, stdout } = await traffic(["--dry-run", "--profile", "lab", "--steady-seconds", "10", "--after-burst-seconds", "5", "--burst-seconds", "2"]);
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 15 + 15 + 3 * 2);
    assert.match(lines[0]!, /^\d+\t(clicks|impressions)\t\{"browseraction":"(Click|Impression)","site":"yourwebsiteurl.domain.com"\}$/);
  });

  describe("with a deployed stack (a stand-in `pulumi` on PATH) and a local endpoint", () => {
    let moto: LocalAws;
    before(async () => {
      moto = await startMoto();
    });
    after(async () => moto?.stop());

    it("reads the ingest stream from the stack's outputs and reports what it sent", async () => {
      const kinesis = new KinesisClient(kinesisClientConfig({ region: "us-east-1", endpoint: moto.endpoint }));
      await kinesis.send(new CreateStreamCommand({ StreamName: "immersion-day-t1-clicks", ShardCount: 1 }));
      const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      // Answers exactly the call the tool makes, and fails on any other.
      writeFileSync(
        join(bin, "pulumi"),
        `#!/bin/sh\n[ "$*" = "stack output --json --stack t1" ] || { echo "unexpected: $*" >&2; exit 2; }\necho '{"ingestStreamName":"immersion-day-t1-clicks","region":"us-east-1"}'\n`,
      );
      chmodSync(join(bin, "pulumi"), 0o755);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" };
      const { code, stdout, stderr } = await traffic(["--stack", "t1", "--endpoint", moto.endpoint, "--profile", "steady", "--steady-seconds", "3", "--compression", "10"], env);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /Done: Kinesis data stream immersion-day-t1-clicks/);
      assert.match(stdout, /sent +6 of 6/);
      assert.match(stdout, /failed +0/);
      // The records are in the stack's stream, not just counted by the tool.
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: "immersion-day-t1-clicks", ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }));
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
      assert.equal(got.Records?.length, 6);
      kinesis.destroy();
    });

    it("explains a stack that is not deployed", async () => {
      const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho "error: no stack named 'nope' found" >&2\nexit 255\n`);
      chmodSync(join(bin, "pulumi"), 0o755);
      const { code, stderr } = await traffic(["--stack", "nope"], { ...process.env, PATH: `${bin}:${process.env.PATH}` });
      assert.equal(code, 1);
      assert.match(stderr, /pulumi stack output --stack nope failed: error: no stack named 'nope' found/);
    });
  });
});
