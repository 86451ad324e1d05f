import { strict as assert } from "node:assert";
import { expiresAtPolicy, expiresAtProblem } from "../../policy/rules/expiresAt";
import { awsProvider, check, daysFromNow } from "./harness";

const provider = (expiresAt: string) => ({
  type: "pulumi:providers:aws",
  props: awsProvider("us-east-1", { event: "e", team: "t", "expires-at": expiresAt }).props,
});

describe("expires-at-real-date", () => {
  it("passes tomorrow, on the provider and on a resource's own tags", async () => {
    assert.deepEqual(
      await check(expiresAtPolicy, [
        provider(daysFromNow(1)),
        { type: "aws:sns/topic:Topic", props: { tags: { "expires-at": daysFromNow(2) } } },
      ]),
      [],
    );
  });
  // Issue 14, input 5: expires-at "never".
  it('refuses "never"', async () =>
    assert.match((await check(expiresAtPolicy, [provider("never")])).join(), /"never" is not an ISO 8601 date/));
  it("refuses a day the calendar does not have", () =>
    assert.match(String(expiresAtProblem("2027-02-30T10:00:00Z", new Date("2027-02-01T00:00:00Z"))), /real calendar day/));
  it("refuses an end more than 14 days ahead, and one in the past", async () => {
    assert.match((await check(expiresAtPolicy, [provider("2099-12-31T23:59:59Z")])).join(), /more than 14 days ahead/);
    assert.match((await check(expiresAtPolicy, [provider("2020-01-01T00:00:00Z")])).join(), /in the past/);
  });
});
