// The attendees' hand-out in a real browser (Debian's chromium, headless, puppeteer-core): the
// instructor command writes it from two teams' stacks (the real program's outputs under the fake
// account), and each team's page, as the browser renders and prints it, holds that team's region,
// stream, templates, end time and passwords, and no other team's password; printed, it is one
// page per team, and each page's QR code reads back as that team's KDG link. The per-team files
// are owner-only.

import { strict as assert } from "node:assert";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { program } from "../../cli/workshop";
import type { Deps } from "../../cli/workshop/common";
import { MAX_EVENT_LENGTH, MAX_TEAM_LENGTH } from "../../infra/config";
import { teamNames } from "../../infra/naming";
import { ROOT } from "../../paths";
import { renderHtml, type Handout } from "../../workshop/handout";
import { launchChromium } from "../support/browser";
import { ENDS_AT, handoutTeams, type HandoutTeams } from "./handoutTeams";

const NOW = new Date("2026-11-28T12:00:00Z");

async function handout(t: HandoutTeams, args: string[]): Promise<{ out: string; err: string }> {
  let out = "";
  let err = "";
  const deps: Deps = {
    workspace: () => t.ws,
    now: () => NOW,
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    fail: () => undefined,
  };
  await program(deps)
    .exitOverride()
    .parseAsync(["node", "workshop", "--state", t.state, "--project", ROOT, "handout", ...args]);
  return { out, err };
}

/** The little of the DOM the checks read (this project compiles without the DOM library). */
interface El {
  getAttribute(name: string): string | null;
  readonly innerText: string;
}

/** For each element matching `selector`: its `attribute` (or its rendered text, with "text"). */
function read(page: Page, selector: string, attribute: string): Promise<(string | null)[]> {
  return page.evaluate(
    (sel, attr) => {
      const document = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
      return [...document.querySelectorAll(sel)].map((e) => (attr === "text" ? e.innerText : e.getAttribute(attr)));
    },
    selector,
    attribute,
  );
}

/**
 * Runs in the page (plain JavaScript: this project compiles without the DOM library): what jsQR
 * read from each `section.team .qr svg`, in page order ("" where it read nothing). Each SVG is drawn
 * at 640 px square on white, about 10 pixels a module, as a camera sees a printed code.
 */
const DECODE_QR_CODES = `Promise.all([...document.querySelectorAll("section.team .qr svg")].map((svg) =>
  new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const size = 640;
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = size;
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, size, size);
      context.drawImage(image, 0, 0, size, size);
      resolve(jsQR(context.getImageData(0, 0, size, size).data, size, size)?.data ?? "");
    };
    image.onerror = () => reject(new Error("the QR code's SVG did not load as an image"));
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  })))`;

/** Every password of `team` the hand-out could print. */
const passwords = (t: HandoutTeams, team: string) => [t.outputs[team]!.kdgPassword!, t.outputs[team]!.viewerPassword!];

describe("the attendees' hand-out in a real browser", function () {
  this.timeout(300_000);
  let browser: Browser;
  let t: HandoutTeams;

  before(async () => {
    t = await handoutTeams(["alpha", "beta"]);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it("renders one page per team holding that team's region, stream, templates, end and passwords, and no other team's", async () => {
    const file = join(t.dir, "handout.html");
    await handout(t, ["--out", file, "--time-zone", "Europe/Berlin"]);
    assert.equal(statSync(file).mode & 0o777, 0o600, "the printable document is owner-only");
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    const teams = await read(page, "section.team", "data-team");
    const texts = (await read(page, "section.team", "text")).map((text, i) => ({ team: teams[i] ?? "", text: text ?? "" }));
    assert.deepEqual(
      texts.map((x) => x.team),
      ["alpha", "beta"],
    );
    for (const { team, text } of texts) {
      const other = team === "alpha" ? "beta" : "alpha";
      assert.match(text, /Region us-east-1/);
      assert.ok(text.includes(`choose exactly clickstream-${team}-clicks`), `${team}: its stream`);
      assert.ok(text.includes(`clickstream-${team}-anomalies is yours but is where alerts come out`), `${team}: the entry not to pick`);
      assert.ok(text.includes('{"browseraction":"Impression","site":"yourwebsiteurl.domain.com"}'), `${team}: impression template`);
      assert.ok(text.includes('{"browseraction":"Click","site":"yourwebsiteurl.domain.com"}'), `${team}: click template`);
      assert.match(text, /Records per second 1 \(the page starts at 100\)/);
      assert.match(text, /Before minute 10: open 3 more windows \(C, D, E\)/);
      assert.match(text, /Minute 10: press Send data in C, D and E within a few seconds/);
      assert.match(text, /Open the e-mail from Clickstream anomaly lab/);
      // 19:00 at UTC+01:00, written in the event's zone (Berlin is UTC+1 in November).
      assert.match(text, /The event ends Saturday,? 28 November 2026, 19:00 GMT\+1 \(Europe\/Berlin\)/);
      assert.match(text, /AWS Notification - Subscription Confirmation/);
      assert.ok(text.includes(`${team}@example.com`));
      for (const p of passwords(t, team)) assert.ok(text.includes(p), `${team}: its own password`);
      for (const p of passwords(t, other)) assert.ok(!text.includes(p), `${team}'s page holds a password of ${other}`);
      assert.ok(text.includes(t.outputs[team]!.dashboardUrl!), `${team}: its dashboard`);
      assert.ok(text.includes(`clickstream-${team}-viewer`), `${team}: its console viewer`);
      assert.match(text, /"Records sent" on the KDG page proves nothing/);
    }
    // The QR code is drawn (an SVG path per page), and the KDG link sits under it.
    assert.equal((await read(page, "section.team .qr svg path", "d")).length >= 2, true);
    const links = await read(page, "section.team .link a", "href");
    assert.deepEqual(links, [t.outputs.alpha!.kdgUrl, t.outputs.beta!.kdgUrl]);

    // Printed on A4: exactly one page per team.
    const pdf = Buffer.from(await page.pdf({ format: "A4", printBackground: false })).toString("latin1");
    const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 2, "two teams print on two pages");
    await page.close();
  });

  it("draws each team's QR code as that team's KDG link, read back by a QR decoder (jsQR) in the page", async () => {
    const file = join(t.dir, "handout.html");
    await handout(t, ["--out", file]);
    const page = await browser.newPage();
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.addScriptTag({ path: require.resolve("jsqr") });
    const decoded = (await page.evaluate(DECODE_QR_CODES)) as string[];
    assert.deepEqual(decoded, [t.outputs.alpha!.kdgUrl, t.outputs.beta!.kdgUrl]);
    assert.notEqual(t.outputs.alpha!.kdgUrl, t.outputs.beta!.kdgUrl);
    await page.close();
  });

  it("writes one owner-only file per team (HTML, Markdown, QR), each with that team's facts only", async () => {
    const { err } = await handout(t, ["--out-dir", t.dir]);
    assert.match(err, /WARNING: each page holds its team's passwords/);
    for (const team of ["alpha", "beta"]) {
      const other = team === "alpha" ? "beta" : "alpha";
      for (const f of [`${team}.html`, `${team}.md`, `${team}-kdg.svg`])
        assert.equal(statSync(join(t.dir, f)).mode & 0o777, 0o600, `${f} is owner-only`);
      const md = readFileSync(join(t.dir, `${team}.md`), "utf8");
      assert.ok(md.includes(`![QR code of the KDG link](${team}-kdg.svg)`));
      assert.ok(md.includes(`\`clickstream-${team}-clicks\``));
      assert.match(md, /The event ends Saturday,? 28 November 2026, 19:00 \(UTC\+01:00\)/, "endsAt in the offset it was written with");
      for (const p of passwords(t, team)) assert.ok(md.includes(p));
      for (const p of passwords(t, other)) assert.ok(!md.includes(p));
      const page = await browser.newPage();
      await page.goto(`file://${join(t.dir, `${team}.html`)}`);
      const shown = await read(page, "section.team", "data-team");
      assert.deepEqual(shown, [team]);
      await page.close();
    }
    assert.ok(ENDS_AT.endsWith("+01:00"));
  });

  it("resolves a team code to its KDG link, and refuses a team that is not up, naming the teams that are", async () => {
    assert.equal((await handout(t, ["--link", "clickstream-beta"])).out, `${t.outputs.beta!.kdgUrl}\n`);
    assert.equal((await handout(t, ["--link", "alpha"])).out, `${t.outputs.alpha!.kdgUrl}\n`);
    await assert.rejects(handout(t, ["--link", "gamma"]), /no team that is up is called gamma \(teams up: alpha, beta\)/);
  });

  it("prints the longest page on one A4 sheet: the longest names, passwords full of look-alikes, an event longer than a sign-in, a phone", async () => {
    const event = "e".repeat(MAX_EVENT_LENGTH);
    const team = "t".repeat(MAX_TEAM_LENGTH);
    const n = teamNames(event, team);
    // Six kinds of look-alike: more than a random password of letters and digits holds.
    const alike = "O0lI1oAbCdEfGhJkMnPq";
    const h: Handout = {
      team,
      code: n.prefix,
      region: "us-east-1",
      kdgUrl: `${t.outputs.alpha!.kdgUrl}`,
      kdgUsername: t.outputs.alpha!.kdgUsername!,
      kdgPassword: alike,
      ingestStreamName: n.ingestStream,
      anomaliesStreamName: n.anomaliesStream,
      dashboardUrl: t.outputs.alpha!.dashboardUrl!.replace(/clickstream-alpha/, n.prefix),
      viewer: { signInUrl: t.outputs.alpha!.viewerSignInUrl!, username: `${n.prefix}-viewer`, password: alike },
      notificationEmail: `${"a".repeat(40)}@${"b".repeat(30)}.example.com`,
      // A phone adds the SMS line (and the second-e-mail warning is always there).
      notificationPhone: "+15555550123",
      anomalyThreshold: 2.8,
      endsAt: "2026-12-12T19:00:00+01:00",
    };
    const page = await browser.newPage();
    await page.setContent(await renderHtml([h], { now: NOW, guide: "https://example.com/" + "g".repeat(80) + "/docs/lab-guide.md" }));
    const pdf = Buffer.from(await page.pdf({ format: "A4", printBackground: false })).toString("latin1");
    assert.equal((pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "one team, one sheet");
    await page.close();
  });
});
