import { strict as assert } from "node:assert";
import { iamNoManagedPoliciesPolicy } from "../../policy/rules/iamNoManagedPolicies";
import { check } from "./harness";
import { role, serviceTrust } from "./iam.fixtures";

describe("iam-no-managed-policies", () => {
  it("passes a role with its inline policy only", async () =>
    assert.deepEqual(await check(iamNoManagedPoliciesPolicy, [role(serviceTrust("lambda.amazonaws.com"), { managedPolicyArns: [] })]), []));
  // Issue 14, input 4.
  it("refuses managedPolicyArns: [AdministratorAccess]", async () => {
    const found = await check(iamNoManagedPoliciesPolicy, [
      role(serviceTrust("lambda.amazonaws.com"), { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
    ]);
    assert.match(found.join(), /managedPolicyArns attaches arn:aws:iam::aws:policy\/AdministratorAccess/);
  });
});
