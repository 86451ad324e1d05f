// Debian's Chromium, headless, driven over the DevTools protocol (puppeteer-core), for the tests
// that read a page as a browser lays it out: the hand-out and npm start's live page.

import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

/** The browser `npm run setup` installs (Debian's package); CHROMIUM names another. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium; the caller closes it.
 * @throws Error naming `npm run setup` and CHROMIUM when there is no browser at CHROMIUM.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no chromium at ${CHROMIUM}: run \`npm run setup\` (it installs Debian's chromium), or set CHROMIUM`);
  // --no-sandbox: the tests run as root, which Chromium's sandbox refuses.
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}
