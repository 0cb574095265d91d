// The public chat in Debian's Chromium against `npm start`: a visitor's message gets a reply that
// streams into the page, another visitor cannot see that conversation, and the eleventh message
// in a minute shows the rate limit with its retry time.
import fs from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collectPageErrors, launchBrowser, newDesktopContext } from "./support/browser.ts";
import { ARTIFACTS_DIR, startPlatform, type Platform } from "./support/platform.ts";

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

const assistant = (page: Page) => page.locator('[data-testid=chat-message][data-role=assistant]');
const userMessages = (page: Page) => page.locator('[data-testid=chat-message][data-role=user]');

/** Types a message and sends it with Enter, then waits until the composer is ready again. */
async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId("composer-input");
  await input.fill(text);
  await input.press("Enter");
  await page.waitForFunction(() => {
    const button = document.querySelector<HTMLButtonElement>("[data-testid=composer-send]");
    return button !== null && button.textContent?.trim() === "Send";
  });
}

async function openChat(): Promise<{ page: Page; errors: string[] }> {
  const context = await newDesktopContext(browser!);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${platform!.uiUrl}/chat`);
  await page.getByTestId("composer-input").waitFor({ state: "visible" });
  return { page, errors };
}

describe("the public chat", () => {
  it("a visitor sends a message and sees the reply stream in", async () => {
    const { page, errors } = await openChat();
    await page.getByTestId("offline-demo-badge").waitFor({ state: "visible" });
    await send(page, "Hello! What can you do?");
    await userMessages(page).filter({ hasText: "Hello! What can you do?" }).waitFor();
    // Streaming: the reply is seen unfinished, growing, before it is complete.
    await page.locator('[data-testid=chat-message][data-role=assistant][data-status=streaming]').waitFor({ timeout: 20_000 });
    const partial = (await assistant(page).last().getByTestId("chat-message-text").innerText()).length;
    await page.locator('[data-testid=chat-message][data-role=assistant][data-status=success]').waitFor({ timeout: 30_000 });
    const reply = await assistant(page).last().getByTestId("chat-message-text").innerText();
    expect(reply.length).toBeGreaterThan(partial);
    expect(reply).toMatch(/offline demo/i);
    expect(page.url()).toMatch(/\/chat\/[a-z0-9]+$/);
    await page.getByTestId("typing-indicator").waitFor({ state: "detached" });
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "chat-conversation.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a second visitor cannot see the first visitor's conversation", async () => {
    const first = await openChat();
    await send(first.page, "A question only I should see");
    await first.page.locator('[data-testid=chat-message][data-role=assistant][data-status=success]').waitFor({ timeout: 30_000 });
    const threadUrl = first.page.url();
    expect(threadUrl).toMatch(/\/chat\/[a-z0-9]+$/);

    const second = await openChat();
    await second.page.goto(threadUrl);
    await second.page.getByTestId("composer-input").waitFor({ state: "visible" });
    // The thread list answers (empty), and the conversation shows nothing of the first visitor's.
    await second.page.waitForFunction(() => document.querySelectorAll("[data-testid=thread-list-item]").length === 0);
    expect(await second.page.getByText("A question only I should see").count()).toBe(0);
    expect(await second.page.locator("[data-testid=chat-message]").count()).toBe(0);
    // Writing into it is refused like writing into a conversation that does not exist.
    await second.page.getByTestId("composer-input").fill("Let me in");
    await second.page.getByTestId("composer-input").press("Enter");
    await second.page.locator("[data-testid=composer-error][data-kind=ThreadNotFound]").waitFor();
    expect(await second.page.getByTestId("composer-input").inputValue()).toBe("Let me in");

    await first.page.reload();
    await userMessages(first.page).first().waitFor();
    expect(await first.page.getByText("Let me in").count()).toBe(0);
    expect(await userMessages(first.page).count()).toBe(1);
    await first.page.context().close();
    await second.page.context().close();
  });

  it("shows the rate limit with its retry time on the eleventh message in a minute", async () => {
    const { page } = await openChat();
    for (let i = 1; i <= 10; i++) await send(page, `Message number ${i}`);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=chat-message][data-role=user]").length === 10);
    await page.getByTestId("composer-input").fill("Message number 11");
    await page.getByTestId("composer-input").press("Enter");
    const notice = page.locator("[data-testid=composer-error][data-kind=RateLimited]");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/try again in \d+/i);
    // The refused message is kept in the box and was not stored.
    expect(await page.getByTestId("composer-input").inputValue()).toBe("Message number 11");
    expect(await userMessages(page).filter({ hasText: "Message number 11" }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, "chat-rate-limited.png"), fullPage: true });
    await page.context().close();
  });
});
