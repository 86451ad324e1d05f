import { strict as assert } from "node:assert";
import { iamUnknownsFromThisStackPolicy } from "../../policy/rules/iamUnknownsFromThisStack";
import { check, UNKNOWN, type FakeResource } from "./harness";

const stream: FakeResource = { type: "aws:kinesis/stream:Stream", name: "stream", props: { name: "s" } };
const policy = (deps?: string[]): FakeResource => ({
  type: "aws:iam/rolePolicy:RolePolicy",
  name: "policy",
  props: {
    role: "r",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kinesis:GetRecords"], Resource: [UNKNOWN] }] },
  },
  ...(deps ? { propertyDependencies: { policy: deps } } : {}),
});

describe("iam-unknowns-from-this-stack", () => {
  it("passes an ARN unknown at preview that was built from this stack's stream", async () =>
    assert.deepEqual(await check(iamUnknownsFromThisStackPolicy, [stream, policy(["stream"])]), []));
  it("passes a document with nothing unknown", async () => {
    const known = {
      ...policy(),
      props: {
        role: "r",
        policy: { Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:123456789012:t" }] },
      },
    };
    assert.deepEqual(await check(iamUnknownsFromThisStackPolicy, [known]), []);
  });
  it("refuses unknown parts that come from no resource of this stack", async () => {
    assert.match((await check(iamUnknownsFromThisStackPolicy, [stream, policy()])).join(), /come from no resource of this stack/);
  });
  it("refuses unknown parts built from a type the lab does not have", async () => {
    const native: FakeResource = { type: "aws-native:s3:Bucket", name: "native", props: {} };
    assert.match(
      (await check(iamUnknownsFromThisStackPolicy, [native, policy(["native"])])).join(),
      /built from aws-native:s3:Bucket, not this stack's lab resources/,
    );
  });
});
