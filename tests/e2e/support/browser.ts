// Launches Debian's Chromium (apt package `chromium`) through playwright-core. Playwright never
// downloads a browser here: the executable is the system one, /usr/bin/chromium unless
// CHROMIUM_PATH says otherwise.
import fs from "node:fs";

import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Flags for a headless Chromium on a closed network, as root in CI: no sandbox (root), no GPU, no
 * /dev/shm reliance, and none of Chromium's own background connections (updates, sync, QUIC
 * probes), which this machine's network refuses.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATH}. Run .ci/run or apt-get install chromium ` +
        "(or set CHROMIUM_PATH to a Chromium binary). Playwright's own browser download is not used.",
    );
  }
  return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (no cookies, no storage) at the desktop size the screenshots use. */
export async function newDesktopContext(browser: Browser): Promise<BrowserContext> {
  return await browser.newContext({ viewport: { width: 1280, height: 800 } });
}

/**
 * Collects what would show up red in the page's DevTools: console errors (CSP violations among
 * them: Chromium reports each as a console error) and uncaught exceptions.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error: Error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  return errors;
}

/**
 * Records every `securitypolicyviolation` event in the context's pages (init scripts run through
 * DevTools, outside the page's CSP), so a test can also check the DOM's own view of violations.
 */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const store: string[] = [];
    (window as unknown as { __cspViolations?: string[] }).__cspViolations = store;
    document.addEventListener("securitypolicyviolation", (event) => {
      store.push(`${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} in ${event.sourceFile}:${event.lineNumber}`);
    });
  });
}

/** The violations recorded by `recordCspViolations` in this page so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}
