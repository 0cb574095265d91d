// An owner signs in to SyncBoard with the one-time link `npm start` prints; the link works once.
import fs from "node:fs";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { launchBrowser, newDesktopContext } from "./support/browser.ts";
import { ARTIFACTS_DIR, startPlatform, type Platform } from "./support/platform.ts";

describe("syncboard", () => {
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

  it("an owner signs in with the printed link", async () => {
    const { uiUrl, signInLink } = platform!;
    expect(signInLink).toMatch(new RegExp(`^${uiUrl}/syncboard/sign-in#code=[A-Za-z0-9_-]+$`));

    // Without a session, SyncBoard shows only how to sign in.
    const owner = await newDesktopContext(browser!);
    const page = await owner.newPage();
    await page.goto(`${uiUrl}/syncboard`);
    await page.locator("[data-testid=signin-required]").waitFor({ state: "visible" });
    expect(await page.locator("[data-testid=owner-name]").count()).toBe(0);

    // The printed link signs the owner in and lands on SyncBoard, with the code gone from the URL.
    await page.goto(signInLink);
    await page.waitForURL(`${uiUrl}/syncboard`);
    const ownerName = page.locator("[data-testid=owner-name]");
    await ownerName.waitFor({ state: "visible" });
    expect(await ownerName.textContent()).toBe("Local owner");
    expect(page.url()).toBe(`${uiUrl}/syncboard`);
    expect(page.url()).not.toContain("code=");
    expect(await page.evaluate(() => window.location.hash)).toBe("");
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "syncboard-signed-in.png"), fullPage: true });

    // The same link in another browser is refused: an error, and no owner session.
    const stranger = await newDesktopContext(browser!);
    const second = await stranger.newPage();
    await second.goto(signInLink);
    const refusal = second.getByRole("alert").filter({ hasText: "expired or was already used" });
    await refusal.waitFor({ state: "visible" });
    expect(second.url()).not.toContain("code=");
    expect(await second.locator("[data-testid=owner-name]").count()).toBe(0);
    // Going to SyncBoard from there still asks for sign-in.
    await second.goto(`${uiUrl}/syncboard`);
    await second.locator("[data-testid=signin-required]").waitFor({ state: "visible" });
    expect(await second.locator("[data-testid=owner-name]").count()).toBe(0);

    await stranger.close();
    await owner.close();
  });
});
