import { strict as assert } from "node:assert";
import { logRetentionPolicy } from "../../policy/rules/logRetention";
import { check } from "./harness";

const group = (retentionInDays?: number) => ({
  type: "aws:cloudwatch/logGroup:LogGroup",
  props: retentionInDays === undefined ? {} : { retentionInDays },
});

describe("log-retention", () => {
  it("passes 7 and 30 days", async () => assert.deepEqual(await check(logRetentionPolicy, [group(7), group(30)]), []));
  it("refuses a group kept forever", async () => assert.match((await check(logRetentionPolicy, [group()])).join(), /never expires/));
  // Issue 14, input 6: the value config used to accept.
  it("refuses 3653 days", async () =>
    assert.deepEqual(await check(logRetentionPolicy, [group(3653)]), ["retentionInDays 3653 is over 30."]));
});
