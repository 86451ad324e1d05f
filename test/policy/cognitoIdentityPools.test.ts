import { strict as assert } from "node:assert";
import { cognitoIdentityPoolsPolicy } from "../../policy/rules/cognitoIdentityPools";
import { check } from "./harness";

const pool = (props: Record<string, unknown>) => ({
  type: "aws:cognito/identityPool:IdentityPool",
  props: { identityPoolName: "p", ...props },
});

describe("cognito-no-guest-access", () => {
  it("passes a pool without guests or classic flow", async () =>
    assert.deepEqual(
      await check(cognitoIdentityPoolsPolicy, [pool({ allowUnauthenticatedIdentities: false, allowClassicFlow: false })]),
      [],
    ));
  it("refuses guest access", async () =>
    assert.match(
      (await check(cognitoIdentityPoolsPolicy, [pool({ allowUnauthenticatedIdentities: true })])).join(),
      /allowUnauthenticatedIdentities/,
    ));
  it("refuses the classic flow", async () =>
    assert.match(
      (await check(cognitoIdentityPoolsPolicy, [pool({ allowUnauthenticatedIdentities: false, allowClassicFlow: true })])).join(),
      /allowClassicFlow/,
    ));
});
