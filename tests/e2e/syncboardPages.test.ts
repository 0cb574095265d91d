// SyncBoard in Debian's Chromium against `npm start`, as an owner uses it: every page opens with a
// screenshot kept (desktop and phone), a calculator skill created and approved in SyncBoard is then
// used by the agent in the public chat, and a per-session chat limit changed in Config is what the
// next visitor meets.
import fs from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collectPageErrors, launchBrowser, newDesktopContext } from "./support/browser.ts";
import { ARTIFACTS_DIR, startPlatform, type Platform } from "./support/platform.ts";

let platform: Platform | undefined;
let browser: Browser | undefined;
let owner: BrowserContext | undefined;

const PAGES = [
  { path: "", title: "Overview" },
  { path: "soul", title: "Soul" },
  { path: "models", title: "Models" },
  { path: "skills", title: "Skills" },
  { path: "mcp-servers", title: "MCP servers" },
  { path: "channels", title: "Channels" },
  { path: "threads", title: "Threads" },
  { path: "activity", title: "Activity" },
  { path: "config", title: "Config" },
  { path: "owners", title: "Owners" },
];

beforeAll(async () => {
  platform = await startPlatform();
  browser = await launchBrowser();
  // The owner signs in (and claims the deployment) once; every test uses this browser context.
  owner = await newDesktopContext(browser);
  const page = await owner.newPage();
  await page.goto(platform.signInLink);
  await page.waitForURL(`${platform.uiUrl}/syncboard`);
  await page.getByTestId("owner-name").waitFor({ state: "visible" });
  await page.close();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
});

afterAll(async () => {
  await owner?.close();
  await browser?.close();
  await platform?.stop();
});

/** Opens a SyncBoard page and waits until its title shows and nothing on it is still loading. */
async function openPage(page: Page, sectionPath: string, title: string): Promise<void> {
  await page.goto(`${platform!.uiUrl}/syncboard${sectionPath ? `/${sectionPath}` : ""}`);
  await page.locator("#syncboard-page-title", { hasText: title }).waitFor({ state: "visible" });
  await page.waitForFunction(() => document.querySelectorAll(".spinner").length === 0);
}

async function sendChat(page: Page, text: string): Promise<void> {
  const input = page.getByTestId("composer-input");
  await input.fill(text);
  await input.press("Enter");
}

describe("SyncBoard", () => {
  it("opens every page for the owner, on a laptop and on a phone, without errors", async () => {
    const page = await owner!.newPage();
    const errors = collectPageErrors(page);
    for (const { path: sectionPath, title } of PAGES) {
      await openPage(page, sectionPath, title);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `syncboard-${sectionPath || "overview"}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const { path: sectionPath, title } of PAGES) {
      await openPage(page, sectionPath, title);
      // A phone shows the page without sideways scrolling of the page itself.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `/syncboard/${sectionPath} overflows a phone's width`).toBeLessThanOrEqual(1);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `syncboard-${sectionPath || "overview"}-phone.png`), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("approves a pending skill, and the chat then uses it", async () => {
    const page = await owner!.newPage();
    await page.goto(`${platform!.uiUrl}/syncboard/skills?new=template`);
    await page.locator("label.skills-template", { hasText: "Calculator" }).click();
    await page.getByLabel("Display name").fill("Calculator");
    await page.getByLabel("Tool name").fill("calculator");
    await page.getByLabel("Description").fill("Evaluates arithmetic exactly.");
    await page.getByRole("button", { name: "Create skill" }).click();
    // A new skill waits for review; the list shows it pending with its approve button.
    await page.goto(`${platform!.uiUrl}/syncboard/skills`);
    const row = page.getByTestId("skill-row-calculator");
    await row.waitFor({ state: "visible" });
    expect(await row.innerText()).toMatch(/waiting for review/i);
    await row.getByTestId("skill-approve").click();
    await row.getByText("Approved").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "syncboard-skill-approved.png"), fullPage: true });

    const visitor = await newDesktopContext(browser!);
    const chat = await visitor.newPage();
    await chat.goto(`${platform!.uiUrl}/chat`);
    await chat.getByTestId("composer-input").waitFor({ state: "visible" });
    await sendChat(chat, 'Please use calculator {"expression": "6 * 7"}');
    const reply = chat.locator("[data-testid=chat-message][data-role=assistant][data-status=success]").last();
    await reply.waitFor({ timeout: 30_000 });
    expect(await reply.innerText()).toContain("42");
    await chat.screenshot({ path: path.join(ARTIFACTS_DIR, "chat-used-approved-skill.png"), fullPage: true });
    await visitor.close();
    await page.close();
  });

  it("changes the per-session chat limit, and the next visitor meets the new limit", async () => {
    const page = await owner!.newPage();
    await openPage(page, "config", "Config");
    await page.getByTestId("config-rate-limit-edit-chatPerSession").click();
    await page.getByTestId("config-rate-limit-rate-chatPerSession").fill("2");
    // A token bucket also holds a burst: the capacity goes down with the rate.
    await page.getByTestId("config-rate-limit-capacity-chatPerSession").fill("2");
    await page.getByTestId("config-rate-limit-save-chatPerSession").click();
    await page.getByTestId("config-rate-limit-chatPerSession").getByText(/changed from/i).waitFor();
    await page.close();

    const visitor = await newDesktopContext(browser!);
    const chat = await visitor.newPage();
    await chat.goto(`${platform!.uiUrl}/chat`);
    await chat.getByTestId("composer-input").waitFor({ state: "visible" });
    for (const text of ["One", "Two"]) {
      await sendChat(chat, text);
      await chat.locator("[data-testid=chat-message][data-role=user]", { hasText: text }).waitFor();
    }
    await sendChat(chat, "Three");
    await chat.locator("[data-testid=composer-error][data-kind=RateLimited]").waitFor();
    expect(await chat.locator("[data-testid=chat-message][data-role=user]", { hasText: "Three" }).count()).toBe(0);
    await chat.screenshot({ path: path.join(ARTIFACTS_DIR, "chat-owner-limit-applied.png"), fullPage: true });
    await visitor.close();
  });
});
