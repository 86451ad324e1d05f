// The QR code on each team's printed page is that team's KDG link: the hand-out is written by the
// instructor command from two teams' stacks, opened in headless Chromium, and each page's own SVG
// is drawn onto a canvas and read back by a QR decoder (jsQR) inside the page, as a phone's camera
// app would read it. The existing browser test checks the SVG is there and the link beside it;
// this one checks what the code says.

import { strict as assert } from "node:assert";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { ROOT } from "../../paths";
import { launchChromium } from "../support/browser";
import { workshopInProcess } from "../support/workshopCli";
import { handoutTeams, type HandoutTeams } from "./handoutTeams";

const NOW = new Date("2026-11-28T12:00:00Z");

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

describe("the hand-out's QR codes, read back by a QR decoder in a real browser", function () {
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

  it("each team's code reads as that team's KDG link, and nothing else", async () => {
    const file = join(t.dir, "handout.html");
    const run = await workshopInProcess(["--state", t.state, "--project", ROOT, "handout", "--out", file], {
      workspace: () => t.ws,
      now: () => NOW,
    });
    assert.equal(run.code, 0, run.err);
    const page = await browser.newPage();
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.addScriptTag({ path: require.resolve("jsqr") });
    const read = (await page.evaluate(DECODE_QR_CODES)) as string[];
    assert.deepEqual(read, [t.outputs.alpha!.kdgUrl, t.outputs.beta!.kdgUrl]);
    assert.notEqual(t.outputs.alpha!.kdgUrl, t.outputs.beta!.kdgUrl);
    await page.close();
  });
});
