import { strict as assert } from "node:assert";
import { iamTrustPoliciesPolicy } from "../../policy/rules/iamTrustPolicies";
import { check } from "./harness";
import { role, serviceTrust } from "./iam.fixtures";

const cognito = (condition?: object) => ({
  Effect: "Allow",
  Principal: { Federated: "cognito-identity.amazonaws.com" },
  Action: "sts:AssumeRoleWithWebIdentity",
  ...(condition ? { Condition: condition } : {}),
});

describe("iam-trust-policies", () => {
  it("passes the lab's services and the KDG's Cognito federation with its aud condition", async () => {
    const found = await check(iamTrustPoliciesPolicy, [
      ...["firehose", "kinesisanalytics", "lambda", "scheduler"].map((s) => role(serviceTrust(`${s}.amazonaws.com`))),
      role(
        cognito({
          StringEquals: { "cognito-identity.amazonaws.com:aud": "us-east-1:pool" },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
        }),
      ),
    ]);
    assert.deepEqual(found, []);
  });
  // Issue 14, input 5: a trust policy with Principal {AWS: "*"}.
  it('refuses {AWS: "*"} and a bare "*"', async () => {
    const found = await check(iamTrustPoliciesPolicy, [
      role({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
      role({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
    ]);
    assert.deepEqual(found, [
      'assumeRolePolicy, statement 0: a "*" AWS principal.',
      "assumeRolePolicy, statement 0: Principal * (anyone).",
    ]);
  });
  it("refuses another account and a service the lab does not use", async () => {
    const found = await check(iamTrustPoliciesPolicy, [
      role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }),
      role(serviceTrust("ec2.amazonaws.com")),
    ]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[1]!, /service ec2\.amazonaws\.com, not one of the lab's/);
  });
  it("refuses a Cognito federation without the aud condition", async () =>
    assert.match((await check(iamTrustPoliciesPolicy, [role(cognito())])).join(), /trusts every identity pool/));
});
