import { strict as assert } from "node:assert";
import { regionPolicy } from "../../policy/rules/region";
import { awsProvider, check } from "./harness";

describe("us-east-1-only", () => {
  it("passes a provider and a resource in us-east-1, and a provider without regions (random)", async () => {
    const found = await check(regionPolicy, [
      { type: "pulumi:providers:aws", props: { region: "us-east-1" } },
      { type: "pulumi:providers:random", props: {} },
      { type: "aws:sns/topic:Topic", props: {}, provider: awsProvider() },
      { type: "random:index/randomPassword:RandomPassword", props: { length: 20 } },
    ]);
    assert.deepEqual(found, []);
  });
  it("refuses an AWS provider in eu-west-1", async () => {
    assert.match(
      (await check(regionPolicy, [{ type: "pulumi:providers:aws", props: { region: "eu-west-1" } }])).join(),
      /points at eu-west-1/,
    );
  });
  it("refuses an AWS provider without a region (the shell's would be used)", async () => {
    assert.match((await check(regionPolicy, [{ type: "pulumi:providers:aws", props: {} }])).join(), /names no region/);
  });
  it("refuses an AWS provider that redirects endpoints", async () => {
    assert.match(
      (
        await check(regionPolicy, [
          {
            type: "pulumi:providers:aws",
            props: { region: "us-east-1", endpoints: JSON.stringify([{ s3: "https://s3.eu-west-1.amazonaws.com" }]) },
          },
        ])
      ).join(),
      /overrides service endpoints/,
    );
  });
  // Issue 14, input 1: an aws-native provider in eu-west-1, and what it creates.
  it("refuses an aws-native provider in eu-west-1 and the instance it creates", async () => {
    const native = { type: "pulumi:providers:aws-native", name: "native", urn: "urn:native", props: { region: "eu-west-1" } };
    const found = await check(regionPolicy, [
      { type: "pulumi:providers:aws-native", props: { region: "eu-west-1" } },
      { type: "aws-native:ec2:Instance", props: { instanceType: "p5.48xlarge" }, provider: native },
    ]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[0]!, /aws-native points at eu-west-1/);
    assert.match(found[1]!, /provider native points at eu-west-1/);
  });
  it("refuses a resource of any package that overrides its own region", async () => {
    assert.match(
      (await check(regionPolicy, [{ type: "aws:sns/topic:Topic", props: { region: "eu-west-1" }, provider: awsProvider() }])).join(),
      /overrides its region to eu-west-1/,
    );
    assert.match(
      (await check(regionPolicy, [{ type: "aws-native:sagemaker:Endpoint", props: { region: "ap-south-1" } }])).join(),
      /overrides its region to ap-south-1/,
    );
  });
  it("refuses a resource registered with a provider elsewhere", async () => {
    assert.match(
      (await check(regionPolicy, [{ type: "aws:sns/topic:Topic", props: {}, provider: awsProvider("ap-south-1") }])).join(),
      /provider aws points at ap-south-1/,
    );
  });
  it("refuses an AWS resource whose region nobody names", async () => {
    assert.match(
      (await check(regionPolicy, [{ type: "aws:sns/topic:Topic", props: {} }])).join(),
      /Neither this resource nor its provider names a region/,
    );
  });
});
