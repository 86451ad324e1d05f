// The hand-out's facts (workshop/handout.ts) without a browser: the end in the event's time zone,
// the sign-in note for an event longer than a KDG sign-in, a stack that lacks an output, and a
// password that would break the page's code spans. The rendered pages are checked in a real
// browser by handout.integration.test.ts.

import { strict as assert } from "node:assert";
import { KDG_SIGN_IN_HOURS } from "../../components/kdgAccess";
import { formatEnd, handoutOf, outlastsSignIn, renderHtml, renderMarkdown, timeline, type Handout } from "../../workshop/handout";
import type { OutputValue } from "../../workshop/workspace";

const NOW = new Date("2026-11-28T12:00:00Z");
const base: Handout = {
  team: "t1",
  code: "ev-t1",
  region: "us-east-1",
  kdgUrl: "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html?upid=a&ipid=b&cid=c&r=us-east-1",
  kdgUsername: "kdg-user",
  kdgPassword: "Pw1234567890ab",
  ingestStreamName: "ev-t1-clicks",
  anomaliesStreamName: "ev-t1-anomalies",
  dashboardUrl: "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/ev-t1-clickstream",
  notificationEmail: "t1@example.com",
  anomalyThreshold: 2.8,
  endsAt: "2026-11-28T17:00:00-05:00",
};
const options = { now: NOW, guide: "https://example.com/lab-guide.md" };

describe("hand-out facts", () => {
  it("states the end in the offset endsAt was written with, or in a named time zone", () => {
    assert.match(formatEnd("2026-11-28T17:00:00-05:00"), /^Saturday,? 28 November 2026, 17:00 \(UTC-05:00\)$/);
    assert.match(formatEnd("2026-11-28T22:00:00Z"), /22:00 \(UTC\+00:00\)$/);
    assert.match(formatEnd("2026-11-28T22:00:00Z", "America/New_York"), /17:00 GMT-5 \(America\/New_York\)$/);
    assert.throws(() => formatEnd("2026-11-28T22:00:00Z", "Mars/Olympus"), RangeError);
  });

  it("tells attendees to sign in again only when the event outlasts one KDG sign-in", () => {
    const longEnd = new Date(NOW.getTime() + (KDG_SIGN_IN_HOURS + 1) * 3_600_000).toISOString();
    assert.equal(outlastsSignIn(base.endsAt, NOW), false);
    assert.equal(outlastsSignIn(longEnd, NOW), true);
    assert.match(
      renderMarkdown({ ...base, endsAt: longEnd }, options),
      /the event is longer: when the page stops counting up or shows an error, reload it and sign in again/,
    );
    assert.match(renderMarkdown(base, options), /longer than the event/);
  });

  it("takes the lab's script from the traffic profile: 10 steady minutes, 3 click windows for 20 s, 1 record/s", () => {
    assert.deepEqual(
      { ...timeline() },
      {
        steadyMinutes: 10,
        burstWindows: 3,
        burstSeconds: 20,
        afterBurstSeconds: 60,
        rate: 1,
        clickTemplate: '{"browseraction":"Click","site":"yourwebsiteurl.domain.com"}',
        impressionTemplate: '{"browseraction":"Impression","site":"yourwebsiteurl.domain.com"}',
      },
    );
  });

  it("names the team, the missing output and the fix when a stack lacks what the page needs", () => {
    const outputs: Record<string, OutputValue> = { region: { value: "us-east-1", secret: false } };
    assert.throws(
      () => handoutOf("t1", "ev-t1", outputs, { "p:endsAt": { value: "2026-11-28T17:00:00Z" } }, "p"),
      /team t1: the stack has no kdgUrl output; run provision again/,
    );
    assert.throws(() => handoutOf("t1", "ev-t1", outputs, {}, "p"), /team t1: the stack's config has no endsAt/);
  });

  it("keeps a password with Markdown or HTML characters whole, as code, escaped", async () => {
    const h = {
      ...base,
      viewer: { signInUrl: "https://1.signin.aws.amazon.com/console", username: "ev-t1-viewer", password: "a`b*c<d>&|e**" },
    };
    assert.ok(renderMarkdown(h, options).includes("`` a`b*c<d>&|e** ``"));
    const html = await renderHtml([h], options);
    assert.ok(html.includes("<code>a`b*c&lt;d&gt;&amp;|e**</code>"), "escaped inside one code element");
    assert.ok(!html.includes("<d>"));
  });
});
