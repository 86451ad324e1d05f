import { strict as assert } from "node:assert";
import { iamUserAccessEndsPolicy, statementEnd } from "../../policy/rules/iamUserAccessEnds";
import { awsProvider, check, daysFromNow } from "./harness";

const viewerPolicy = (condition: Record<string, unknown> | undefined, effect = "Allow") => ({
  type: "aws:iam/userPolicy:UserPolicy",
  props: {
    user: "e-t-viewer",
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TeamDashboard",
          Effect: effect,
          Action: "cloudwatch:GetDashboard",
          Resource: "arn:aws:cloudwatch::1:dashboard/d",
          Condition: condition,
        },
      ],
    }),
  },
  provider: awsProvider("us-east-1", { event: "e", team: "t", "expires-at": daysFromNow(1) }),
});
const until = (at: string) => ({ DateLessThan: { "aws:CurrentTime": at } });

describe("iam-user-access-ends", () => {
  it("passes a user's Allow that ends at the event's end or before it", async () => {
    assert.deepEqual(await check(iamUserAccessEndsPolicy, [viewerPolicy(until(daysFromNow(1)))]), []);
    assert.deepEqual(await check(iamUserAccessEndsPolicy, [viewerPolicy(until(daysFromNow(0.5)))]), []);
  });

  it("refuses an Allow without an end, naming the condition to add", async () => {
    assert.match((await check(iamUserAccessEndsPolicy, [viewerPolicy(undefined)])).join(), /has no end: add Condition .*DateLessThan/);
    // A condition on something else is not an end.
    assert.match(
      (await check(iamUserAccessEndsPolicy, [viewerPolicy({ Bool: { "aws:MultiFactorAuthPresent": "true" } })])).join(),
      /has no end/,
    );
  });

  it("refuses an end after the stack's expires-at, or further ahead than an event lasts", async () => {
    assert.match((await check(iamUserAccessEndsPolicy, [viewerPolicy(until(daysFromNow(2)))])).join(), /after the stack's expires-at/);
    assert.match((await check(iamUserAccessEndsPolicy, [viewerPolicy(until("2099-01-01T00:00:00Z"))])).join(), /more than 14 days ahead/);
    assert.match((await check(iamUserAccessEndsPolicy, [viewerPolicy(until("tomorrow"))])).join(), /not an ISO 8601 instant/);
  });

  it("leaves Deny statements and roles' policies to the other rules", async () => {
    assert.deepEqual(await check(iamUserAccessEndsPolicy, [viewerPolicy(undefined, "Deny")]), []);
    assert.deepEqual(await check(iamUserAccessEndsPolicy, [{ ...viewerPolicy(undefined), type: "aws:iam/rolePolicy:RolePolicy" }]), []);
  });

  it("reads the end from DateLessThan or DateLessThanEquals, a value or a list of one", () => {
    assert.equal(statementEnd(until("2026-01-01T00:00:00Z")), "2026-01-01T00:00:00Z");
    assert.equal(statementEnd({ DateLessThanEquals: { "aws:CurrentTime": ["2026-01-01T00:00:00Z"] } }), "2026-01-01T00:00:00Z");
    assert.equal(statementEnd({ DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }), undefined);
  });
});
