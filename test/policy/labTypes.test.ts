import { strict as assert } from "node:assert";
import { LAB_TYPES, labTypesPolicy } from "../../policy/rules/labTypes";
import { unpricedLabTypes } from "../../policy/cost/model";
import { check } from "./harness";

describe("lab-resource-types-only", () => {
  it("passes every lab type, the project's components and the stack", async () => {
    const types = [...Object.keys(LAB_TYPES), "clickstream:lab:CostGuard", "clickstream:storage:SecureBucket"];
    assert.deepEqual(
      await check(
        labTypesPolicy,
        types.map((type) => ({ type, props: {} })),
      ),
      [],
    );
  });

  it("allows exactly two providers: aws and random", () => {
    assert.deepEqual(
      Object.keys(LAB_TYPES)
        .filter((t) => t.startsWith("pulumi:providers:"))
        .sort(),
      ["pulumi:providers:aws", "pulumi:providers:random"],
    );
  });

  it("prices every type it allows (the cost model denies by default too)", () => assert.deepEqual(unpricedLabTypes(), []));

  // Issue 14, input 1: every type outside the `aws:` package passed before.
  for (const type of [
    "pulumi:providers:aws-native",
    "aws-native:ec2:Instance",
    "aws-native:sagemaker:Endpoint",
    "pulumi-nodejs:dynamic:Resource",
    "pulumi:providers:pulumi-nodejs",
    "command:local:Command",
    "pulumi:providers:command",
    "pulumi:providers:gcp",
    "pulumi:pulumi:StackReference",
    "aws:ec2/instance:Instance",
    "aws:ec2/natGateway:NatGateway",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/policy:Policy",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:kinesis/streamConsumer:StreamConsumer",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
  ]) {
    it(`refuses ${type}`, async () => {
      const found = await check(labTypesPolicy, [{ type, props: {} }]);
      assert.equal(found.length, 1);
      assert.match(found[0]!, new RegExp(`^${type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not part of the lab`));
    });
  }
});
