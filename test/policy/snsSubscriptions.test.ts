import { strict as assert } from "node:assert";
import { snsSubscriptionsPolicy } from "../../policy/rules/snsSubscriptions";
import { check } from "./harness";

const sub = (protocol: string, endpoint: string) => ({
  type: "aws:sns/topicSubscription:TopicSubscription",
  props: { topic: "arn:aws:sns:us-east-1:123456789012:t", protocol, endpoint },
});

describe("sns-email-or-local-sms", () => {
  it("passes e-mail and SMS to a US number", async () =>
    assert.deepEqual(await check(snsSubscriptionsPolicy, [sub("email", "a@example.com"), sub("sms", "+15555550123")]), []));
  // Issue 14, input 5: SMS to premium numbers.
  it("refuses SMS to a premium-rate number and to another country", async () => {
    const found = await check(snsSubscriptionsPolicy, [sub("sms", "+19005550123"), sub("sms", "+447700900123")]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[0]!, /\+19005550123 is outside the allowed SMS countries/);
  });
  it("refuses an HTTPS endpoint", async () =>
    assert.match(
      (await check(snsSubscriptionsPolicy, [sub("https", "https://example.com/hook")])).join(),
      /Protocol https is not part of the lab/,
    ));
});
