// The hand-out's facts (workshop/handout.ts) without a browser: the end in the event's time zone,
// the sign-in note for an event longer than a KDG sign-in, a stack that lacks an output, and a
// password that would break the page's code spans. The rendered pages are checked in a real
// browser by handout.integration.test.ts.

import { strict as assert } from "node:assert";
import { KDG_SIGN_IN_HOURS } from "../../components/kdgAccess";
import { labWindowSeconds } from "../../components/analytics";
import { TOPIC_DISPLAY_NAME } from "../../components/notifications";
import {
  formatEnd,
  handoutOf,
  kdgConfiguration,
  lookAlikes,
  outlastsSignIn,
  renderHtml,
  renderMarkdown,
  timeline,
  type Handout,
} from "../../workshop/handout";
import type { OutputValue } from "../../workshop/workspace";

const NOW = new Date("2026-11-28T12:00:00Z");
const base: Handout = {
  team: "t1",
  code: "ev-t1",
  region: "us-east-1",
  kdgUrl:
    "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html?upid=us-east-1_3m6Q5Z40Z&ipid=us-east-1:6654400d-768a-49d3-af69-dca541d70bb3&cid=c8fdx7hbgize9xzif9h30sf7oo&r=us-east-1",
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

// What an attendee holding only the page met when doing the lab with it (notes/attendee-trial.md):
// each test is one place where they would have been stuck, checked against the KDG's own page
// (awslabs/amazon-kinesis-data-generator, web/producer.html and web/js/producer.js).
describe("the hand-out, as an attendee uses it", () => {
  const md = (h: Handout = base) => renderMarkdown(h, options);

  it("names the confirmation e-mail's sender as the inbox shows it: the topic's display name, not AWS Notifications", () => {
    assert.ok(md().includes(`from **${TOPIC_DISPLAY_NAME}**`), "the From name SNS uses is the topic's display name");
    assert.ok(!md().includes("AWS Notifications"), "a topic with a display name never sends as AWS Notifications");
    assert.match(md(), /spam/, "where else to look");
  });

  it("spells out the characters of a password that look alike in print, with their positions", () => {
    assert.deepEqual(lookAlikes("Ab3+xyz"), []);
    assert.deepEqual(lookAlikes("O0lx1I|o"), [
      "O = capital o at 1",
      "0 = zero at 2",
      "l = lower-case L at 3",
      "1 = one at 5",
      "I = capital i at 6",
      "| = vertical bar at 7",
      "o = lower-case o at 8",
    ]);
    assert.deepEqual(lookAlikes("l0l0"), ["l = lower-case L at 1, 3", "0 = zero at 2, 4"]);
    const page = md({
      ...base,
      kdgPassword: "AB58cdtnfrcuyzdrwpwl",
      viewer: { signInUrl: "https://1.signin.aws.amazon.com/console", username: "ev-t1-viewer", password: "Ab1+RFkEBUoSE55qBs8P" },
    });
    assert.ok(page.includes("`AB58cdtnfrcuyzdrwpwl` (look-alikes: l = lower-case L at 20)"), "the KDG password's look-alike");
    assert.ok(page.includes("`Ab1+RFkEBUoSE55qBs8P` (look-alikes: 1 = one at 3; o = lower-case o at 11)"), "the console password's");
    assert.ok(!md({ ...base, kdgPassword: "Pw2345678xyzab" }).includes("look-alikes"), "no note for a password without look-alikes");
  });

  it("gives an attendee without a camera the KDG's Configure values, read from the team's link", () => {
    assert.deepEqual(kdgConfiguration(base.kdgUrl), {
      page: "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html",
      userPoolId: "us-east-1_3m6Q5Z40Z",
      clientId: "c8fdx7hbgize9xzif9h30sf7oo",
      identityPoolId: "us-east-1:6654400d-768a-49d3-af69-dca541d70bb3",
      region: "us-east-1",
    });
    assert.equal(kdgConfiguration("https://example.com/kdg"), undefined, "a link without the four values");
    const page = md();
    for (const s of [
      "**Configure**",
      "Cognito User Pool ID `us-east-1_3m6Q5Z40Z`",
      "Cognito Client ID `c8fdx7hbgize9xzif9h30sf7oo`",
      "Cognito Identity Pool ID `us-east-1:6654400d-768a-49d3-af69-dca541d70bb3`",
      "User Pool Region `us-east-1`",
      "**Save Changes**, reload the page",
      "the link of team code **ev-t1**",
    ])
      assert.ok(page.includes(s), s);
  });

  it("sets up the KDG with the page's own labels: Records per second (default 100), Constant, Record template tabs, Send data, Stop", () => {
    const page = md();
    assert.match(page, /\*\*Records per second\*\* 1 \(the page starts at 100\)/);
    assert.match(page, /the impression template in \*\*Template 1\*\* and the click template in \*\*Template 2\*\*/);
    assert.match(page, /\*\*Send data\*\*/);
    assert.match(page, /\*\*Stop Sending Data to Kinesis\*\*/);
    assert.match(page, /under \*\*Kinesis Streams\*\*/, "the stream's group in the list");
    assert.match(page, /\*\*Kinesis Firehose\*\* group/, "the delivery streams the list also shows");
  });

  it("has the three burst windows ready before the burst and started together: one after another is no burst", () => {
    const page = md();
    assert.match(page, /\*\*Before minute 10:\*\* open 3 more windows \(C, D, E\)[^\n]*do not send yet/);
    assert.match(page, /\*\*Minute 10:\*\* press \*\*Send data\*\* in C, D and E within a few seconds/);
    assert.match(page, /after about \*\*20 seconds\*\*/);
  });

  it("says when the lab is done, and what to check, in order, when no e-mail arrives", () => {
    const page = md();
    assert.match(page, /\*\*You are done\*\* when/);
    assert.match(page, /\*\*No e-mail \d+ minutes after the burst\?\*\* Check in this order: .*step 1.*step 3.*Records in.*red line/);
    assert.ok(page.includes("tell your instructor your team code **ev-t1**"), "who to ask, with what");
  });

  // lambda/alert.ts publishes once per anomalous window (its ledger is keyed by window), and the
  // job scores every window on its own: a burst longer than a window can alert twice or more.
  it("warns that the burst may send a second e-mail: one per anomalous window, and the burst outlasts a window", () => {
    const t = timeline();
    assert.ok(t.burstSeconds > labWindowSeconds(), "the burst fills more than one window");
    assert.ok(
      md().includes(
        `A second may follow: each anomalous ${labWindowSeconds()}-second window sends one, and the burst fills more than one.`,
      ),
    );
  });

  it("says the alert also goes by text to the roster's phone, masked, and what the SMS sandbox means for it", () => {
    assert.ok(!md().includes("by text"), "no phone, no word of texts");
    const page = md({ ...base, notificationPhone: "+15555550123" });
    assert.ok(page.includes("also goes by text to your phone ending **0123**"), "the number, masked");
    assert.ok(!page.includes("5555550123"), "never the whole number on paper");
    assert.match(
      page,
      /unless the event's AWS account is in the SMS sandbox and that number was not verified beforehand[^\n]*: then, the e-mail only/,
    );
    const outputs = Object.fromEntries(
      ["region", "kdgUrl", "kdgUsername", "kdgPassword", "ingestStreamName", "anomaliesStreamName", "dashboardUrl"].map((k) => [
        k,
        { value: "x", secret: false },
      ]),
    );
    const config = { "p:endsAt": { value: base.endsAt }, "p:notificationPhone": { value: "+15555550123" } };
    assert.equal(handoutOf("t1", "ev-t1", outputs, config, "p").notificationPhone, "+15555550123", "read from the stack's config");
  });
});
