import { strict as assert } from "node:assert";
import { arnTooWide, iamResourceScopePolicy } from "../../policy/rules/iamResourceScope";
import { check } from "./harness";
import { rolePolicy } from "./iam.fixtures";

describe("iam-resource-scope", () => {
  it("passes team ARNs, object and log-stream wildcards, and the KDG's list calls on *", async () => {
    const found = await check(iamResourceScopePolicy, [
      rolePolicy({ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/weblogs/processed/*" }),
      rolePolicy({
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:*",
      }),
      rolePolicy({
        Effect: "Allow",
        Action: ["kinesis:ListStreams", "firehose:ListDeliveryStreams", "ec2:DescribeRegions"],
        Resource: "*",
      }),
    ]);
    assert.deepEqual(found, []);
  });
  it("refuses Resource * for a call that supports a narrower one", async () =>
    assert.match(
      (await check(iamResourceScopePolicy, [rolePolicy({ Effect: "Allow", Action: "sns:Publish", Resource: "*" })])).join(),
      /Resource \* is every resource, for sns:Publish/,
    ));
  // Issue 14, input 4: ec2:RunInstances on arn:aws:ec2:*:*:*.
  it("refuses a wildcard region or account", async () => {
    assert.match(
      (
        await check(iamResourceScopePolicy, [rolePolicy({ Effect: "Allow", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:*" })])
      ).join(),
      /has a wildcard partition, service, region or account/,
    );
    assert.equal(arnTooWide("arn:aws:kinesis:us-east-1:*:stream/x"), "has a wildcard partition, service, region or account");
  });
});
