import { strict as assert } from "node:assert";
import { runTeam } from "../support";

describe("notifications", () => {
  it("is an encrypted topic with the team's e-mail and no SMS when no phone is set", async () => {
    const run = await runTeam();
    const topic = run.one("aws:sns/topic:Topic");
    assert.equal(topic.inputs.name, "clickstream-alpha-alerts");
    assert.equal(topic.inputs.kmsMasterKeyId, "alias/aws/sns");
    const subs = run.all("aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(
      subs.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]),
      [["email", "alpha@example.com", topic.id]],
    );
  });

  it("adds an SMS subscription when a phone is set", async () => {
    const run = await runTeam({ notificationPhone: "+15555550123" });
    const subs = run
      .all("aws:sns/topicSubscription:TopicSubscription")
      .map((s) => `${String(s.inputs.protocol)}:${String(s.inputs.endpoint)}`);
    assert.deepEqual(subs.sort(), ["email:alpha@example.com", "sms:+15555550123"]);
  });
});
