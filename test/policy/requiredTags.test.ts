import { strict as assert } from "node:assert";
import { requiredTagsPolicy } from "../../policy/rules/requiredTags";
import { awsProvider, check } from "./harness";

describe("required-tags", () => {
  it("passes a taggable resource through its provider's defaultTags, and a non-taggable one without", async () => {
    assert.deepEqual(
      await check(requiredTagsPolicy, [
        { type: "aws:sns/topic:Topic", props: {}, provider: awsProvider() },
        { type: "aws:iam/rolePolicy:RolePolicy", props: {} },
      ]),
      [],
    );
  });
  it("refuses a taggable resource missing team and expires-at", async () => {
    const found = await check(requiredTagsPolicy, [
      { type: "aws:sns/topic:Topic", props: { tags: { event: "e" } }, provider: awsProvider("us-east-1", {}) },
    ]);
    assert.deepEqual(found, ["Missing tags: team, expires-at. Set them in the provider's defaultTags."]);
  });
});
