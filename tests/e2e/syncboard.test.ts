// An owner signs in to SyncBoard with the one-time link `npm start` prints, which also claims the
// deployment for them; the link works once, and a stranger's direct call to an owner function is refused.
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
    // The deployment has no owner yet, so the link also carries the claim code that makes one.
    expect(signInLink).toMatch(new RegExp(`^${uiUrl}/syncboard/sign-in#code=[A-Za-z0-9_-]+&claim=[A-Za-z0-9_-]{43}$`));

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

    // A full page load of another SyncBoard address keeps the owner signed in.
    await page.goto(`${uiUrl}/syncboard/activity`);
    await page.locator("[data-testid=owner-name]").waitFor({ state: "visible" });
    await page.reload();
    await page.locator("[data-testid=owner-name]").waitFor({ state: "visible" });

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
    // Calling an owner function directly from that page is refused by the server.
    const direct = await second.evaluate(async (apiUrl) => {
      const response = await fetch(`${apiUrl}/api/query`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ path: "owners:list", args: {}, format: "json" }) });
      return { status: response.status, body: (await response.json()) as { status: string; errorData?: { kind?: string } } };
    }, platform!.apiUrl);
    expect(direct.body.status).toBe("error");
    expect(direct.body.errorData?.kind).toBe("NotSignedIn");

    await stranger.close();
    await owner.close();
  });
});
