import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../infra/config";
import { MockAccount } from "../../offline/fakeAws/account";
import { formatPlan, main } from "../../cli/plan";
import { planStack } from "../../offline/plan";
import { runInProcess, runTool } from "../support/cli";

/** `npm run plan` in-process (test/support/cli.ts); the unknown stack below in a process of its own. */
const plan = (args: string[]) => runInProcess("cli/plan.ts", main, args);

describe("npm run plan", () => {
  for (const [stack, prefix] of [
    ["dev", "dev-solo"],
    ["workshop", "immersion-day-rehearsal"],
  ] as const) {
    it(`plans the committed ${stack} stack with every pre-lab resource and its physical name`, async () => {
      const plan = await planStack(stack);
      const byType = (t: string) => plan.resources.filter((r) => r.type === t).map((r) => r.physicalName);
      assert.deepEqual(byType("aws:kinesis/stream:Stream"), [`${prefix}-clicks`, `${prefix}-anomalies`]);
      assert.deepEqual(byType("aws:kinesisanalyticsv2/application:Application"), [`${prefix}-anomaly-detection`]);
      assert.deepEqual(byType("aws:lambda/function:Function"), [`${prefix}-alert`]);
      assert.deepEqual(byType("aws:sqs/queue:Queue"), [`${prefix}-alert-failed`]);
      assert.deepEqual(byType("aws:scheduler/schedule:Schedule"), [`${prefix}-disable-kdg-user`, `${prefix}-stop-flink`]);
      assert.deepEqual(byType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"), [`${prefix}-archive`]);
      assert.deepEqual(byType("aws:s3/bucket:Bucket").sort(), [
        `${prefix}-code-123456789012`,
        `${prefix}-processed-123456789012`,
        `${prefix}-raw-123456789012`,
      ]);
      assert.deepEqual(byType("aws:cognito/userPool:UserPool"), [`${prefix}-kdg`]);
      assert.deepEqual(byType("aws:iam/role:Role").sort(), [
        `${prefix}-alert`,
        `${prefix}-disable-kdg-user`,
        `${prefix}-firehose`,
        `${prefix}-flink`,
        `${prefix}-kdg-producer`,
        `${prefix}-stop-flink`,
      ]);
      assert.deepEqual(byType("aws:sns/topic:Topic"), [`${prefix}-alerts`]);
      assert.equal(plan.outputs.kdgPassword, "[secret]");
      assert.match(String(plan.outputs.kdgUrl), /upid=us-east-1_/);
      // Read in data-path order: the provider, then traffic (KDG), then ingest, then archive.
      const firsts = ["aws", "kdg", "ingest", "archive"].map((p) =>
        plan.resources.findIndex((r) => r.name === p || r.name.startsWith(`${p}-`)),
      );
      assert.deepEqual(
        [...firsts].sort((x, y) => x - y),
        firsts,
      );
      const text = formatPlan(plan);
      assert.match(
        text,
        new RegExp(`aws:kinesis:Stream +ingest-stream +${prefix}-clicks +mode=PROVISIONED shards=1 retentionHours=24 encryption=KMS`),
      );
    });
  }

  it("refuses a stack with region eu-west-1, an invalid e-mail and an upper-case team, creating nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.bad.yaml"),
      [
        "config:",
        "  clickstream-lab:team: TeamA",
        "  clickstream-lab:region: eu-west-1",
        "  clickstream-lab:notificationEmail: not-an-email",
      ].join("\n"),
    );
    const account = new MockAccount();
    await assert.rejects(planStack("bad", { account, stackDir: dir }), (e: unknown) => {
      // The plan loads a fresh copy of the program, so the class is a twin, not ours: check by name.
      assert.equal((e as Error).name, "ConfigError", String(e));
      assert.deepEqual((e as ConfigError).problems.map((p) => p.key).sort(), ["notificationEmail", "region", "team"]);
      return true;
    });
    assert.equal(account.resources.length, 0, "no resource registered");
  });

  it("prints help and fails clearly on an unknown stack from the command line", async () => {
    const help = await plan(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--stack <name>/);
    assert.match(help.stdout, /--json/);
    const nope = await runTool("cli/plan.ts", ["--stack", "nope"]);
    assert.equal(nope.code, 1);
    assert.match(nope.stderr, /No stack file Pulumi\.nope\.yaml\. Known stacks: .*dev/);
    // A mistyped option is named, with a suggestion, before the missing --stack is.
    const typo = await plan(["--stak", "dev"]);
    assert.notEqual(typo.code, 0);
    assert.match(typo.stderr, /unknown option '--stak'\s+\(Did you mean --stack\?\)/);
    const none = await plan([]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /required option '-s, --stack <name>' not specified/);
  });

  it("prints JSON that names every resource", async () => {
    const { code, stdout, stderr } = await plan(["--stack", "dev", "--json"]);
    assert.equal(code, 0, stderr);
    const parsed = JSON.parse(stdout) as { stack: string; resources: { type: string }[] };
    assert.equal(parsed.stack, "dev");
    assert.ok(parsed.resources.some((r) => r.type === "aws:cognito/identityPool:IdentityPool"));
  });
});
