import { strict as assert } from "node:assert";
import { ALLOWED_ACTIONS, iamAllowedActionsPolicy } from "../../policy/rules/iamAllowedActions";
import { check, UNKNOWN } from "./harness";
import { doc, role, rolePolicy, serviceTrust } from "./iam.fixtures";

describe("iam-allowed-actions-only", () => {
  it("passes the lab's statements, in any letter case", async () => {
    const found = await check(iamAllowedActionsPolicy, [
      rolePolicy({
        Effect: "Allow",
        Action: ["kinesis:GetRecords", "kinesis:getsharditerator"],
        Resource: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
      }),
      rolePolicy({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/weblogs/processed/*" }),
      rolePolicy({
        Effect: "Allow",
        Action: "cognito-idp:AdminDisableUser",
        Resource: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x",
      }),
      role(serviceTrust("scheduler.amazonaws.com")),
    ]);
    assert.deepEqual(found, []);
  });
  it("gives every allowed action a reason", () => assert.ok(Object.values(ALLOWED_ACTIONS).every((why) => why.length > 20)));
  it("refuses wildcard actions", async () => {
    const found = await check(iamAllowedActionsPolicy, [
      rolePolicy({ Effect: "Allow", Action: ["s3:*", "*", "kinesis:Get*"], Resource: "arn:aws:s3:::b" }),
    ]);
    assert.match(found.join(), /s3:\*, \*, kinesis:Get\* are not on the lab's list/);
  });
  // Issue 14, input 4.
  it("refuses NotAction and NotResource", async () => {
    const found = await check(iamAllowedActionsPolicy, [
      rolePolicy({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::b" }),
    ]);
    assert.match(found.join("\n"), /NotAction is refused/);
    assert.match(found.join("\n"), /NotResource is refused/);
  });
  it("refuses ec2:RunInstances on arn:aws:ec2:*:*:*", async () => {
    assert.match(
      (
        await check(iamAllowedActionsPolicy, [rolePolicy({ Effect: "Allow", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:*" })])
      ).join(),
      /ec2:RunInstances is not on the lab's list/,
    );
  });
  it("refuses sts:AssumeRole in an identity policy, and PutObject in a trust policy", async () => {
    const found = await check(iamAllowedActionsPolicy, [
      rolePolicy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/admin" }),
      role({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: ["sts:AssumeRole", "s3:PutObject"] }),
    ]);
    assert.equal(found.length, 2, found.join("\n"));
  });
  it("refuses inline policies on the role itself the same way", async () => {
    const found = await check(iamAllowedActionsPolicy, [
      role(serviceTrust("lambda.amazonaws.com"), {
        inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }],
      }),
    ]);
    assert.match(found.join(), /inlinePolicies\[0\]\.policy, statement 0: iam:PassRole/);
  });
  it("refuses any Allow in a bucket policy, and keeps the TLS-only Deny", async () => {
    const bucketPolicy = (s: object) => ({ type: "aws:s3/bucketPolicy:BucketPolicy", props: { bucket: "b", policy: doc(s) } });
    assert.deepEqual(
      await check(iamAllowedActionsPolicy, [
        bucketPolicy({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "arn:aws:s3:::b/*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ]),
      [],
    );
    assert.match(
      (
        await check(iamAllowedActionsPolicy, [
          bucketPolicy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
        ])
      ).join(),
      /a resource policy allows s3:GetObject/,
    );
  });
  it("reads a document given as an object while its ARNs are unknown, and refuses one that is unknown as a whole", async () => {
    const objectDoc = {
      type: "aws:iam/rolePolicy:RolePolicy",
      props: { role: "r", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sns:Publish"], Resource: UNKNOWN }] } },
    };
    assert.deepEqual(await check(iamAllowedActionsPolicy, [objectDoc]), []);
    const found = await check(iamAllowedActionsPolicy, [{ type: "aws:iam/rolePolicy:RolePolicy", props: { role: "r", policy: UNKNOWN } }]);
    assert.match(found.join(), /^Cannot be decided during preview: string value at \.policy/);
  });
});
