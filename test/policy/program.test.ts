// The real program, offline, against the whole pack; then the same program with one thing
// changed at a time, each of which the pack must catch.

import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { MockAccount } from "../../offline/fakeAws/account";
import { planStack } from "../../offline/plan";
import { checkPack, fromAccount, type FakeResource } from "./harness";

async function programResources(stack: "dev" | "workshop"): Promise<FakeResource[]> {
  const account = new MockAccount();
  await planStack(stack, { account });
  return fromAccount(account, stack);
}

describe("policy pack on the real program", () => {
  for (const stack of ["dev", "workshop"] as const) {
    it(`passes every mandatory rule for the ${stack} stack, and every advisory one`, async () => {
      const resources = await programResources(stack);
      assert.ok(resources.length > 20);
      assert.deepEqual(await checkPack(resources, "all"), {});
    });
  }

  describe("catches a mutated program", () => {
    let base: FakeResource[];
    before(async () => {
      base = await programResources("workshop");
    });
    const mutate = (change: (rs: FakeResource[]) => FakeResource[]) => change(structuredClone(base));

    it("with one resource in eu-west-1", async () => {
      const found = await checkPack(mutate((rs) => rs.map((r) => (r.type === "aws:sns/topic:Topic" ? { ...r, props: { ...r.props, region: "eu-west-1" } } : r))));
      assert.deepEqual(Object.keys(found), ["us-east-1-only"]);
    });

    it("with an on-demand stream", async () => {
      const found = await checkPack(
        mutate((rs) => rs.map((r) => (r.type === "aws:kinesis/stream:Stream" ? { ...r, props: { ...r.props, shardCount: undefined, streamModeDetails: { streamMode: "ON_DEMAND" } } } : r))),
      );
      assert.deepEqual(Object.keys(found), ["kinesis-provisioned-small"]);
    });

    it("with a 2-KPU Flink application", async () => {
      // The program's own application, asking for parallelism 2 at 1 per KPU.
      const found = await checkPack(
        mutate((rs) =>
          rs.map((r) =>
            r.type === "aws:kinesisanalyticsv2/application:Application"
              ? { ...r, props: { ...r.props, applicationConfiguration: { ...r.props.applicationConfiguration, flinkApplicationConfiguration: { parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 2, parallelismPerKpu: 1, autoScalingEnabled: false } } } } }
              : r,
          ),
        ),
      );
      assert.deepEqual(Object.keys(found), ["flink-one-kpu"]);
    });

    it("with a Flink application and no stop schedule", async () => {
      const found = await checkPack(mutate((rs) => rs.filter((r) => r.type !== "aws:scheduler/schedule:Schedule")));
      assert.deepEqual(Object.keys(found), ["flink-stop-schedule"]);
    });

    it("with a 1 GB Lambda", async () => {
      const found = await checkPack(mutate((rs) => [...rs, { type: "aws:lambda/function:Function", props: { memorySize: 1024, timeout: 30 }, provider: rs[0]!.provider ?? rs.find((r) => r.provider)?.provider }]));
      assert.deepEqual(Object.keys(found), ["lambda-small"]);
    });

    it("with an extra EC2 instance", async () => {
      const found = await checkPack(mutate((rs) => [...rs, { type: "aws:ec2/instance:Instance", props: {}, provider: rs.find((r) => r.provider)?.provider }]));
      assert.deepEqual(Object.keys(found), ["lab-resource-types-only"]);
    });
  });

  it("sees a resource's own region override as registered through the SDK", async () => {
    const account = new MockAccount();
    await account.run("stray", () => {
      const provider = new aws.Provider("aws", { region: "us-east-1" });
      new aws.sns.Topic("stray", { name: "stray", region: "eu-west-1" }, { provider });
    });
    const found = await checkPack(fromAccount(account, "stray"));
    assert.match((found["us-east-1-only"] ?? []).join(), /overrides its region to eu-west-1/);
  });
});
