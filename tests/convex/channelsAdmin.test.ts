// SyncBoard's channels: an owner switches a platform on, chooses who may talk, saves its settings,
// sets its secrets (write-only, shown back as the last 4 characters) and allows or blocks its users,
// and the webhook route obeys all of it on the next delivery. The attacks: callers who are not
// owners, a secret name of another platform, settings of another platform or of the wrong shape,
// a user an owner blocked.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { channelSettingsProblem, webhookUrl } from "../../convex/channels/admin";
import type { ChannelSettings } from "../../convex/lib/validators";
import { ownerSession, refusalKind, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

/** A random 32-byte key as base64, made at run time (no key is written in this file). */
const newKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

// Assembled at run time, so this file holds nothing that reads as a credential.
const HOOK_SECRET = ["telegram", "hook", "c0ffee", "9a8b7c6d"].join("-");
const BOT_TOKEN = ["7310042", ["AAH", "x".repeat(32)].join("")].join(":");

beforeEach(() => {
  vi.useFakeTimers();
  process.env.SKILL_SECRET_ENCRYPTION_KEY = newKey();
  process.env.CONVEX_SITE_URL = "https://some.convex.site/";
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
  delete process.env.CONVEX_SITE_URL;
});

type Owner = Awaited<ReturnType<typeof ownerSession>>;

async function enableTelegram(owner: Owner, accessPolicy: "open" | "allowlist" = "open") {
  expect(await owner.mutation(api.channels.admin.configure, { platform: "telegram", enabled: true, accessPolicy, settings: { platform: "telegram" } })).toEqual({ ok: true });
}

/** Every row the channel functions write, so a refusal can be shown to have changed nothing. */
async function channelState(t: Deployment) {
  return await t.run(async (ctx) => ({
    channels: await ctx.db.query("channelConfig").collect(),
    secrets: await ctx.db.query("channelSecrets").collect(),
    users: await ctx.db.query("channelUsers").collect(),
    activity: await ctx.db.query("activityLog").collect(),
  }));
}

function telegramMessage(updateId: number, fromId = 4242) {
  return JSON.stringify({ update_id: updateId, message: { message_id: updateId, date: 1, from: { id: fromId, is_bot: false, first_name: "Ada" }, chat: { id: fromId, type: "private" }, text: "hello agent" } });
}

async function postTelegram(t: Deployment, body: string, token: string) {
  const response = await t.fetch("/api/webhook/telegram", { method: "POST", headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": token }, body });
  return { status: response.status, body: await response.json() };
}

async function firstUserId(t: Deployment): Promise<Id<"channelUsers">> {
  return await t.run(async (ctx) => (await ctx.db.query("channelUsers").first())!._id);
}

describe("who may manage channels", () => {
  type Caller = Pick<Deployment, "query" | "mutation" | "action">;
  const calls: [string, (caller: Caller, userId: Id<"channelUsers">) => Promise<unknown>][] = [
    ["list", (caller) => caller.query(api.channels.admin.list, {})],
    ["users", (caller) => caller.query(api.channels.admin.users, { platform: "telegram", paginationOpts: { numItems: 10, cursor: null } })],
    ["configure", (caller) => caller.mutation(api.channels.admin.configure, { platform: "telegram", enabled: false, accessPolicy: "open", settings: { platform: "telegram" } })],
    ["setSecret", (caller) => caller.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_WEBHOOK_SECRET", value: HOOK_SECRET })],
    ["setUserStatus", (caller, userId) => caller.mutation(api.channels.admin.setUserStatus, { channelUserId: userId, status: "allowed" })],
  ];

  it.each(calls)("refuses %s to an anonymous caller and to a signed-in identity that owns nothing, changing nothing", async (_name, call) => {
    const t = newDeployment();
    await enableTelegram(await ownerSession(t), "allowlist");
    const userId = await t.run(async (ctx) => await ctx.db.insert("channelUsers", { platform: "telegram", platformUserId: "4242", status: "blocked", lastSeenAt: 0 }));
    const before = await channelState(t);
    expect(await refusalKind(call(t, userId))).toBe("NotSignedIn");
    expect(await refusalKind(call(signedInAs(t, "mallory"), userId))).toBe("NotOwner");
    expect(await channelState(t)).toEqual(before);
  });
});

describe("configuring a channel", () => {
  it("lists every platform, set up or not: off and allowed users only until configured, each with its webhook URL", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const channels = await owner.query(api.channels.admin.list, {});
    expect(channels.map((channel) => channel.platform)).toEqual(["telegram", "slack", "discord", "whatsapp", "email"]);
    expect(channels[0]).toEqual({
      platform: "telegram",
      configured: false,
      enabled: false,
      accessPolicy: "allowlist",
      settings: { platform: "telegram" },
      secrets: [
        { name: "TELEGRAM_WEBHOOK_SECRET", verifiesWebhooks: true, last4: null, updatedAt: null, inEnvironment: false },
        { name: "TELEGRAM_BOT_TOKEN", verifiesWebhooks: false, last4: null, updatedAt: null, inEnvironment: false },
      ],
      webhookUrl: "https://some.convex.site/api/webhook/telegram",
      updatedAt: null,
    });
    expect(channels.map((channel) => channel.webhookUrl)).toEqual(["telegram", "slack", "discord", "whatsapp", "email"].map((platform) => `https://some.convex.site/api/webhook/${platform}`));
  });

  it("shows no webhook URL when the deployment's site URL is not known", () => {
    expect(webhookUrl(undefined, "slack")).toBeNull();
    expect(webhookUrl("  ", "slack")).toBeNull();
    expect(webhookUrl("https://example.convex.site", "slack")).toBe("https://example.convex.site/api/webhook/slack");
  });

  it("saves the switch, access policy and settings, trimmed, and records the change", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const result = await owner.mutation(api.channels.admin.configure, { platform: "slack", enabled: true, accessPolicy: "open", settings: { platform: "slack", teamId: " T0123ABCD ", botUserId: "" } });
    expect(result).toEqual({ ok: true });
    const slack = (await owner.query(api.channels.admin.list, {})).find((channel) => channel.platform === "slack");
    expect(slack).toMatchObject({ configured: true, enabled: true, accessPolicy: "open", settings: { platform: "slack", teamId: "T0123ABCD" } });
    expect(slack?.settings).not.toHaveProperty("botUserId");
    expect((await channelState(t)).activity).toMatchObject([{ kind: "channel.configured", channel: "slack" }]);
    // Saving again replaces the one row.
    await owner.mutation(api.channels.admin.configure, { platform: "slack", enabled: false, accessPolicy: "allowlist", settings: { platform: "slack" } });
    expect((await channelState(t)).channels).toMatchObject([{ platform: "slack", enabled: false, accessPolicy: "allowlist", settings: { platform: "slack" } }]);
  });

  it.each<[string, "telegram" | "slack" | "discord" | "whatsapp" | "email", ChannelSettings]>([
    ["settings of another platform", "telegram", { platform: "slack", teamId: "T0123ABCD" }],
    ["a Telegram username that is not a bot's", "telegram", { platform: "telegram", botUsername: "ada" }],
    ["a Slack team id of the wrong shape", "slack", { platform: "slack", teamId: "my team" }],
    ["a Discord application id that is not a number", "discord", { platform: "discord", applicationId: "app-1" }],
    ["a sending number not in international form", "whatsapp", { platform: "whatsapp", fromNumber: "0800 123" }],
    ["a sending address that is not an address", "email", { platform: "email", fromAddress: "agent at example" }],
    ["an oversized setting", "email", { platform: "email", fromAddress: `${"a".repeat(300)}@example.com` }],
  ])("refuses %s, changing nothing", async (_name, platform, settings) => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const before = await channelState(t);
    expect(await owner.mutation(api.channels.admin.configure, { platform, enabled: true, accessPolicy: "open", settings })).toEqual({ ok: false, error: expect.any(String) });
    expect(await channelState(t)).toEqual(before);
    expect(channelSettingsProblem(platform, settings)).not.toBeNull();
  });
});

describe("channel secrets", () => {
  it("are stored encrypted and returned only as their last 4 characters", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const result = await owner.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_BOT_TOKEN", value: ` ${BOT_TOKEN}\n` });
    expect(result).toEqual({ ok: true, last4: BOT_TOKEN.slice(-4) });
    const listed = await owner.query(api.channels.admin.list, {});
    expect(listed[0].secrets).toMatchObject([{ name: "TELEGRAM_WEBHOOK_SECRET", last4: null }, { name: "TELEGRAM_BOT_TOKEN", last4: BOT_TOKEN.slice(-4), updatedAt: expect.any(Number) }]);
    // A secret set first creates the channel switched off.
    expect(listed[0]).toMatchObject({ configured: true, enabled: false });
    const state = await channelState(t);
    for (const text of [JSON.stringify(result), JSON.stringify(listed), JSON.stringify(state)]) {
      expect(text).not.toContain(BOT_TOKEN);
      expect(text).not.toContain(BOT_TOKEN.slice(0, 20));
    }
    expect(state.secrets).toMatchObject([{ name: "TELEGRAM_BOT_TOKEN", alg: "AES-256-GCM" }]);
    expect(state.activity).toMatchObject([{ kind: "channel.secretSet", channel: "telegram" }]);
  });

  it.each([
    ["a secret name of another platform", { platform: "telegram" as const, name: "SLACK_SIGNING_SECRET" as const, value: HOOK_SECRET }],
    ["an empty secret", { platform: "telegram" as const, name: "TELEGRAM_WEBHOOK_SECRET" as const, value: "  " }],
    ["an oversized secret", { platform: "telegram" as const, name: "TELEGRAM_WEBHOOK_SECRET" as const, value: "s".repeat(9000) }],
  ])("refuse %s, storing nothing", async (_name, args) => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const before = await channelState(t);
    expect(await owner.action(api.channels.admin.setSecret, args)).toEqual({ ok: false, error: expect.any(String) });
    expect(await channelState(t)).toEqual(before);
  });

  it("are refused while the deployment has no encryption key, naming the variable and storing nothing", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
    const result = await owner.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_WEBHOOK_SECRET", value: HOOK_SECRET });
    expect(result).toEqual({ ok: false, error: expect.stringContaining("SKILL_SECRET_ENCRYPTION_KEY") });
    expect((await channelState(t)).channels).toEqual([]);
    expect((await channelState(t)).secrets).toEqual([]);
  });
});

describe("the webhook of a channel set up in SyncBoard", () => {
  it("accepts a correctly signed Telegram message once the channel is enabled, with the secret set in SyncBoard", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    expect(await owner.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_WEBHOOK_SECRET", value: HOOK_SECRET })).toMatchObject({ ok: true });
    // Set up but still switched off: refused.
    expect((await postTelegram(t, telegramMessage(1), HOOK_SECRET)).status).toBe(403);
    await enableTelegram(owner);
    expect(await postTelegram(t, telegramMessage(2), `${HOOK_SECRET}x`)).toMatchObject({ status: 401 });
    expect(await postTelegram(t, telegramMessage(3), HOOK_SECRET)).toEqual({ status: 200, body: { ok: true } });
    const { page } = await owner.query(api.channels.admin.users, { platform: "telegram", paginationOpts: { numItems: 10, cursor: null } });
    expect(page).toMatchObject([{ platformUserId: "4242", status: "allowed", displayName: "Ada" }]);
  });

  it("keeps out a user an owner blocked, and lets them back in once allowed", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    await owner.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_WEBHOOK_SECRET", value: HOOK_SECRET });
    await enableTelegram(owner);
    expect((await postTelegram(t, telegramMessage(10), HOOK_SECRET)).body).toEqual({ ok: true });
    const userId = await firstUserId(t);

    expect(await owner.mutation(api.channels.admin.setUserStatus, { channelUserId: userId, status: "blocked" })).toEqual({ ok: true });
    expect(await postTelegram(t, telegramMessage(11), HOOK_SECRET)).toEqual({ status: 200, body: { ok: false, code: "CHANNEL_USER_BLOCKED" } });
    const conversations = await t.run(async (ctx) => await ctx.db.query("conversations").collect());
    expect(conversations).toMatchObject([{ messageCount: 1 }]);

    await owner.mutation(api.channels.admin.setUserStatus, { channelUserId: userId, status: "allowed" });
    expect((await postTelegram(t, telegramMessage(12), HOOK_SECRET)).body).toEqual({ ok: true });
    // The activity log names the platform, never the user.
    const activity = JSON.stringify((await channelState(t)).activity);
    expect(activity).toContain("channel.userStatus");
    expect(activity).not.toContain("4242");
  });

  it("holds a new sender on an allowlist channel until an owner allows them", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    await owner.action(api.channels.admin.setSecret, { platform: "telegram", name: "TELEGRAM_WEBHOOK_SECRET", value: HOOK_SECRET });
    await enableTelegram(owner, "allowlist");
    expect((await postTelegram(t, telegramMessage(20), HOOK_SECRET)).body).toEqual({ ok: false, code: "CHANNEL_USER_NOT_ALLOWED" });
    await owner.mutation(api.channels.admin.setUserStatus, { channelUserId: await firstUserId(t), status: "allowed" });
    expect((await postTelegram(t, telegramMessage(21), HOOK_SECRET)).body).toEqual({ ok: true });
  });
});

describe("channel users", () => {
  it("are listed one platform at a time, in pages of at most 100", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    await t.run(async (ctx) => {
      for (let i = 0; i < 120; i++) await ctx.db.insert("channelUsers", { platform: "slack", platformUserId: `U${1000 + i}`, status: "allowed", lastSeenAt: 0 });
      await ctx.db.insert("channelUsers", { platform: "discord", platformUserId: "99", status: "allowed", lastSeenAt: 0 });
    });
    const first = await owner.query(api.channels.admin.users, { platform: "slack", paginationOpts: { numItems: 1000, cursor: null } });
    expect(first.page.length).toBe(100);
    expect(first.isDone).toBe(false);
    const second = await owner.query(api.channels.admin.users, { platform: "slack", paginationOpts: { numItems: 1000, cursor: first.continueCursor } });
    expect(second.page.length).toBe(20);
    expect([...first.page, ...second.page].every((user) => user.platformUserId.startsWith("U"))).toBe(true);
  });

  it("refuses to change a user that no longer exists", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const userId = await t.run(async (ctx) => {
      const id = await ctx.db.insert("channelUsers", { platform: "slack", platformUserId: "U1", status: "allowed", lastSeenAt: 0 });
      await ctx.db.delete("channelUsers", id);
      return id;
    });
    expect(await owner.mutation(api.channels.admin.setUserStatus, { channelUserId: userId, status: "blocked" })).toEqual({ ok: false, error: "That user no longer exists." });
  });
});
