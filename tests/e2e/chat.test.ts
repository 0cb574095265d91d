// A visitor opens /chat from `npm start` in Debian's Chromium and sees the public activity feed
// update live when an entry is published, without reloading the page.
import fs from "node:fs";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collectPageErrors, cspViolations, launchBrowser, newDesktopContext, recordCspViolations } from "./support/browser.ts";
import { adminClient, publishActivity } from "./support/convex.ts";
import { ARTIFACTS_DIR, startPlatform, type Platform } from "./support/platform.ts";

describe("chat", () => {
  let platform: Platform | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("a visitor loads /chat and sees a live update", async () => {
    const { uiUrl, apiUrl, adminKey } = platform!;
    const context = await newDesktopContext(browser!);
    await recordCspViolations(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    const response = await page.goto(`${uiUrl}/chat`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"];
    expect(csp, "the page must be served with a Content-Security-Policy").toBeTruthy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");

    // The feed's test id appears once the subscription has answered; the data folder is fresh.
    const feed = page.locator("[data-testid=public-activity]");
    await feed.waitFor({ state: "visible" });
    const items = page.locator("[data-testid=public-activity-item]");
    expect(await items.count()).toBe(0);

    // A marker in this document proves below that the update arrived without a reload.
    await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));

    // Another client (an admin, as the agent would be) records and publishes an entry.
    const summary = `Live update ${Date.now().toString(36)}`;
    await publishActivity(adminClient(apiUrl, adminKey), "test", summary);

    // The open page gets it over its websocket subscription; nothing reloads.
    const item = items.filter({ hasText: summary });
    await item.waitFor({ state: "visible" });
    expect(await items.count()).toBe(1);
    expect(page.url()).toBe(`${uiUrl}/chat`);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "chat.png"), fullPage: true });

    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
