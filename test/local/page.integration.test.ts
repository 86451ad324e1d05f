// npm start's live page in a real browser: Debian's chromium, headless, driven over the DevTools
// protocol (puppeteer-core). The page's server is fed windows shaped as the lab's (steady traffic,
// one false alarm, then the burst) and the test reads the drawing itself: the burst's score point
// must stand above the threshold line, the steady ones below it, and the alerts must be marked.
// The screenshot is kept under test-artifacts/ (git-ignored).

import { strict as assert } from "node:assert";
import { mkdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { startLiveView, type LiveView, type LiveWindow } from "../../local/liveView";
import { ROOT } from "../../paths";
import { launchChromium } from "../support/browser";

const ARTIFACTS = join(ROOT, "test-artifacts");

/**
 * The lab at 10x, lab time in 10-s windows: 1-s windows of about 10 clicks and 10 impressions, a
 * false alarm at lab minute 6, the burst's three extra click windows at minute 10, steady after.
 */
function labWindows(): { steady: LiveWindow[]; falseAlarm: LiveWindow; burst: LiveWindow[] } {
  const t0 = Date.parse("2026-11-30T10:00:00Z");
  // `anomaly`: the job's verdict, which the page marks (it does not judge scores itself).
  const at = (i: number, clicks: number, impressions: number, score: number, anomaly = false): LiveWindow => ({
    windowStart: new Date(t0 + i * 1000).toISOString(),
    windowEnd: new Date(t0 + (i + 1) * 1000).toISOString(),
    labSeconds: i * 10,
    clicks,
    impressions,
    ctrPercent: (clicks / impressions) * 100,
    anomalyScore: score,
    beforeBurst: i < 60,
    anomaly,
  });
  // Scores of a warm 12-sample forest on steady traffic: 0.6 to 1.6 (docs/detection.md).
  const calm = (i: number) => at(i, 9 + (i % 3), 10 + ((i + 1) % 2), 0.6 + ((i * 7) % 11) / 10);
  const steady = [...Array.from({ length: 60 }, (_, i) => i).filter((i) => i !== 36), ...Array.from({ length: 10 }, (_, i) => 62 + i)].map(
    calm,
  );
  return { steady, falseAlarm: at(36, 12, 9, 2.3, true), burst: [at(60, 40, 10, 3.35, true), at(61, 19, 10, 1.9)] };
}

/** The little of the DOM the checks read (this project compiles without the DOM library). */
interface DomElement {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number; height: number };
  readonly classList: { contains(name: string): boolean };
  readonly textContent: string | null;
}
interface Dom {
  getElementById(id: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}

interface Drawn {
  threshold: number;
  thresholdY: number;
  points: { start: string; score: number; cy: number }[];
  alerts: { start: string; falseAlarm: boolean }[];
  status: string;
  alertList: string[];
}

/** What the page drew, read from its SVG: coordinates as the browser laid them out. */
function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const document = (globalThis as unknown as { document: Dom }).document;
    const line = document.getElementById("threshold-line")!;
    return {
      threshold: Number(line.getAttribute("data-threshold")),
      thresholdY: line.getBoundingClientRect().top + line.getBoundingClientRect().height / 2,
      points: [...document.querySelectorAll(".score-point")].map((c) => ({
        start: c.getAttribute("data-window-start")!,
        score: Number(c.getAttribute("data-score")),
        cy: c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2,
      })),
      alerts: [...document.querySelectorAll(".alert-mark")].map((c) => ({
        start: c.getAttribute("data-window-start")!,
        falseAlarm: c.classList.contains("false-alarm"),
      })),
      status: document.getElementById("status")!.textContent!,
      alertList: [...document.querySelectorAll("#alerts li")].map((li) => li.textContent!),
    };
  });
}

function get(url: string, method = "GET"): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers["content-type"]) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("npm start's live page (headless chromium)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let view: LiveView;

  before(async () => {
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await view?.close();
  });

  it("draws the burst's score above the threshold line, the steady windows below it, and marks both alerts", async () => {
    view = await startLiveView({ threshold: 2, windowSeconds: 1, compression: 10 });
    const { steady, falseAlarm, burst } = labWindows();
    const ordered = [...steady, falseAlarm, ...burst].sort((a, b) => a.labSeconds - b.labSeconds);
    // Half the history before the page opens (it must be replayed), the rest live, alerts as they happen.
    ordered.slice(0, 18).forEach((w) => view.events.window(w));
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 720 });
    await page.goto(view.url);
    await page.waitForFunction(() => (globalThis as unknown as { document: Dom }).document.querySelectorAll(".score-point").length === 18);
    for (const w of ordered.slice(18)) {
      view.events.window(w);
      if (w === falseAlarm || w === burst[0])
        view.events.alert({
          windowStart: w.windowStart,
          ctrPercent: w.ctrPercent,
          anomalyScore: w.anomalyScore,
          falseAlarm: w === falseAlarm,
        });
      await new Promise((r) => setTimeout(r, 10));
    }
    await page.waitForSelector(".alert-mark:not(.false-alarm)", { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, "local-page.png") });

    const d = await drawn(page);
    assert.equal(d.threshold, 2);
    assert.equal(d.points.length, steady.length + 1 + burst.length);
    const y = new Map(d.points.map((p) => [p.start, p.cy]));
    // Screen y grows downwards: above the line is a smaller y.
    assert.ok(
      y.get(burst[0]!.windowStart)! < d.thresholdY - 20,
      `burst at y=${y.get(burst[0]!.windowStart)}, threshold at y=${d.thresholdY}`,
    );
    assert.ok(y.get(falseAlarm.windowStart)! < d.thresholdY, "the false alarm scored above the line too");
    for (const w of [...steady, burst[1]!])
      assert.ok(y.get(w.windowStart)! > d.thresholdY, `${w.windowStart} (score ${w.anomalyScore}) is below the line`);
    // One linear axis for the points and the line: from the line and the burst, the first steady point's height follows.
    const perScore = (d.thresholdY - y.get(burst[0]!.windowStart)!) / (3.35 - 2);
    const expected = d.thresholdY + perScore * (2 - steady[0]!.anomalyScore);
    assert.ok(
      Math.abs(expected - y.get(steady[0]!.windowStart)!) < 2,
      `steady point at y=${y.get(steady[0]!.windowStart)}, expected ${expected.toFixed(1)}`,
    );
    assert.deepEqual(d.alerts, [
      { start: falseAlarm.windowStart, falseAlarm: true },
      { start: burst[0]!.windowStart, falseAlarm: false },
    ]);
    assert.match(d.alertList[1]!, /^Alert e-mailed: "Anomaly detected with a click through rate of 400% and an anomaly score of 3\.35"$/);
    assert.match(d.alertList[0]!, /^False alarm \(before the burst\)/);
    assert.match(
      d.status,
      /^72 window\(s\), 2 alert\(s\)\. Last, at lab minute 11\.8: \d+ clicks \/ \d+ impressions, CTR \d+\.\d %, score \d\.\d\d\.$/,
    );
    await page.close();
  });

  it("replays the whole run to a page opened after it ended, and says the lab has stopped", async () => {
    view = await startLiveView({ threshold: 2.8, windowSeconds: 2, compression: 5 });
    const { steady, burst } = labWindows();
    [...steady, ...burst].forEach((w) => view.events.window(w));
    view.events.alert({ windowStart: burst[0]!.windowStart, ctrPercent: 400, anomalyScore: 3.35, falseAlarm: false });
    view.events.ended("the run ended; the alert above is the lab's.");
    const page = await browser.newPage();
    await page.goto(view.url);
    await page.waitForFunction(() =>
      (globalThis as unknown as { document: Dom }).document.getElementById("status")!.textContent!.startsWith("The lab has stopped"),
    );
    const d = await drawn(page);
    assert.equal(d.points.length, steady.length + burst.length);
    assert.equal(d.threshold, 2.8);
    assert.equal(d.alerts.length, 1);
    assert.match(d.status, /The lab has stopped: the run ended; the alert above is the lab's\./);
    await page.close();
  });

  it("tells the reader when npm start has gone away", async () => {
    view = await startLiveView({ threshold: 2, windowSeconds: 1, compression: 10 });
    view.events.window(labWindows().steady[0]!);
    const page = await browser.newPage();
    await page.goto(view.url);
    await page.waitForFunction(() => (globalThis as unknown as { document: Dom }).document.querySelectorAll(".score-point").length === 1);
    await view.close();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: Dom }).document
          .getElementById("status")!
          .textContent!.includes("Lost the connection to npm start"),
      { timeout: 15_000 },
    );
    await page.close();
  });

  it("serves only the page, its events and its state, on 127.0.0.1", async () => {
    view = await startLiveView({ threshold: 2, windowSeconds: 1, compression: 10 });
    assert.match(view.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const w = labWindows().steady[0]!;
    view.events.window(w);
    const state = await get(`${view.url}state`);
    assert.equal(state.status, 200);
    assert.deepEqual(JSON.parse(state.body), { config: { threshold: 2, windowSeconds: 1, compression: 10 }, windows: [w], alerts: [] });
    assert.equal((await get(view.url)).type, "text/html; charset=utf-8");
    assert.equal((await get(`${view.url}nope`)).status, 404);
    assert.equal((await get(view.url, "POST")).status, 405);
    await assert.rejects(startLiveView({ threshold: 0, windowSeconds: 1, compression: 10 }), /threshold must be above 0/);
    const port = Number(new URL(view.url).port);
    await assert.rejects(startLiveView({ threshold: 2, windowSeconds: 1, compression: 10, port }), /EADDRINUSE/);
  });
});
