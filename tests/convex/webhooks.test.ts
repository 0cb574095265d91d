// Inbound channel webhooks end to end through the deployment's HTTP routes: requests signed the way
// each platform signs them (made here independently with node:crypto) are accepted and reach the
// agent; forged, stale, replayed, oversized and malformed ones are refused with their status, logged
// with their code, and change nothing else.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";

import { listUIMessages } from "@convex-dev/agent";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { components, internal } from "../../convex/_generated/api";
import type { ChannelAccessPolicy, ChannelPlatform } from "../../convex/lib/validators";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

// Secrets assembled at run time, so this file holds nothing that reads as a credential.
const TELEGRAM_SECRET = ["telegram", "hook", "5e1f0c9a7b3d2468"].join("-");
const SLACK_SECRET = ["slack", "signing", "0a9b8c7d6e5f4321"].join("-");
const TWILIO_TOKEN = ["twilio", "auth", "1234abcd5678ef90"].join("-");
const SVIX_SECRET = `whsec_${Buffer.from(["svix", "key", "material", "2f4e6a8c"].join("-")).toString("base64")}`;
const discordKeys = generateKeyPairSync("ed25519");
const DISCORD_PUBLIC_KEY = discordKeys.publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
const SITE = "https://some.convex.site";

const ENV = {
  TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  RESEND_WEBHOOK_SECRET: SVIX_SECRET,
  DISCORD_PUBLIC_KEY,
};

beforeEach(() => {
  vi.useFakeTimers();
  process.env.LOCAL_MODEL_CHUNK_DELAY_MS = "0";
  for (const [name, value] of Object.entries(ENV)) process.env[name] = value;
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.LOCAL_MODEL_CHUNK_DELAY_MS;
  for (const name of Object.keys(ENV)) delete process.env[name];
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
});

async function enableChannel(t: Deployment, platform: ChannelPlatform, options: { enabled?: boolean; accessPolicy?: ChannelAccessPolicy } = {}) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("channelConfig", {
        platform,
        enabled: options.enabled ?? true,
        settings: { platform } as never,
        accessPolicy: options.accessPolicy ?? "open",
        updatedAt: Date.now(),
      }),
  );
}

const seconds = () => String(Math.floor(Date.now() / 1000));

function telegramUpdate(updateId: number, text = "hello agent", fromId = 4242) {
  return JSON.stringify({ update_id: updateId, message: { message_id: 1, date: 1, from: { id: fromId, is_bot: false, first_name: "Ada" }, chat: { id: fromId, type: "private" }, text } });
}

function postTelegram(t: Deployment, body: string, token: string | null = TELEGRAM_SECRET) {
  return t.fetch("/api/webhook/telegram", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token !== null ? { "X-Telegram-Bot-Api-Secret-Token": token } : {}) },
    body,
  });
}

function postSlack(t: Deployment, body: string, timestamp = seconds(), secret = SLACK_SECRET) {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return t.fetch("/api/webhook/slack", { method: "POST", headers: { "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature }, body });
}

function postDiscord(t: Deployment, body: string, privateKey = discordKeys.privateKey) {
  const timestamp = seconds();
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return t.fetch("/api/webhook/discord", { method: "POST", headers: { "Content-Type": "application/json", "X-Signature-Timestamp": timestamp, "X-Signature-Ed25519": signature }, body });
}

function postTwilio(t: Deployment, fields: [string, string][], token = TWILIO_TOKEN) {
  const url = `${SITE}/api/webhook/whatsapp`;
  const data = url + [...fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => name + value).join("");
  const signature = createHmac("sha1", token).update(data).digest("base64");
  return t.fetch("/api/webhook/whatsapp", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
    body: new URLSearchParams(fields).toString(),
  });
}

function postEmail(t: Deployment, body: string, id = "msg_2f0c") {
  const timestamp = seconds();
  const key = Buffer.from(SVIX_SECRET.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return t.fetch("/api/webhook/email", { method: "POST", headers: { "Content-Type": "application/json", "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` }, body });
}

/** Everything an accepted message writes; a refused request must leave all of it unchanged. */
async function deliveredState(t: Deployment) {
  return await t.run(async (ctx) => ({
    channelUsers: (await ctx.db.query("channelUsers").collect()).map(({ platformUserId, status }) => ({ platformUserId, status })),
    conversations: (await ctx.db.query("conversations").collect()).map(({ externalKey, messageCount }) => ({ externalKey, messageCount })),
    replayIds: (await ctx.db.query("webhookReplayIds").collect()).map(({ replayKey }) => replayKey),
    jobs: (await ctx.db.system.query("_scheduled_functions").collect()).length,
  }));
}

async function securityCodes(t: Deployment) {
  return await t.run(async (ctx) => (await ctx.db.query("securityEvents").collect()).map((event) => event.code));
}

async function rejectedActivity(t: Deployment) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("activityLog").withIndex("by_kind", (q) => q.eq("kind", "webhook.rejected")).collect()).map((entry) => entry.metadata?.code),
  );
}

const NOTHING_DELIVERED = { channelUsers: [], conversations: [], replayIds: [], jobs: 0 };

describe("Telegram webhook", () => {
  it("accepts a message with the secret token and hands it to the agent, which answers in the sender's thread", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const response = await postTelegram(t, telegramUpdate(1001));
    expect(response.status).toBe(200);
    expect(await deliveredState(t)).toEqual({
      channelUsers: [{ platformUserId: "4242", status: "allowed" }],
      conversations: [{ externalKey: "4242", messageCount: 1 }],
      replayIds: ["1001"],
      jobs: 1,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const threadId = await t.run(async (ctx) => (await ctx.db.query("conversations").first())!.threadId);
    const messages = await t.run(async (ctx) => (await listUIMessages(ctx, components.agent, { threadId, paginationOpts: { numItems: 10, cursor: null } })).page);
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    // The model sees the sender's text marked as external content.
    expect(messages[0].text).toBe('<untrusted_content source="telegram message">\nhello agent\n</untrusted_content>');
    expect(messages[1].text.length).toBeGreaterThan(0);
  });

  it.each([
    ["a wrong secret token", `${TELEGRAM_SECRET}x`, "WEBHOOK_SIGNATURE_INVALID"],
    ["no secret token", null, "WEBHOOK_SIGNATURE_MISSING"],
  ])("refuses %s with 401, logs it, and changes nothing else", async (_name, token, code) => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const response = await postTelegram(t, telegramUpdate(1002), token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Webhook verification failed." });
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
    expect(await securityCodes(t)).toEqual([code]);
    expect(await rejectedActivity(t)).toEqual([code]);
  });

  it("refuses every request while no secret is configured, even one carrying a token", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    delete process.env.TELEGRAM_WEBHOOK_SECRET;
    const response = await postTelegram(t, telegramUpdate(1003), "anything");
    expect(response.status).toBe(401);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_SECRET_UNCONFIGURED"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });

  it("takes a delivery once: the same update again is acknowledged, recorded as a replay, and not delivered twice", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    expect((await postTelegram(t, telegramUpdate(1004))).status).toBe(200);
    const before = await deliveredState(t);
    const replay = await postTelegram(t, telegramUpdate(1004, "a different text under the same update id"));
    expect(replay.status).toBe(200);
    expect(await deliveredState(t)).toEqual(before);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_REPLAYED"]);
  });

  it("refuses a body over the size limit with 413 before verifying or parsing it", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const response = await postTelegram(t, telegramUpdate(1005, "x".repeat(70 * 1024)));
    expect(response.status).toBe(413);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_PAYLOAD_TOO_LARGE"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });

  it.each([
    ["not JSON", "{update_id: 1"],
    ["an update id that is not a number", JSON.stringify({ update_id: "1", message: { chat: { id: 1 }, from: { id: 1, is_bot: false }, text: "hi" } })],
    ["a sender id that is not a number", JSON.stringify({ update_id: 7, message: { chat: { id: 1 }, from: { id: "1; drop", is_bot: false }, text: "hi" } })],
  ])("refuses a verified body that is %s with 400, changing nothing", async (_name, body) => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const response = await postTelegram(t, body);
    expect(response.status).toBe(400);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_PAYLOAD_INVALID"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });

  it("refuses a genuine webhook for a channel that is switched off or was never set up, with 403", async () => {
    const t = newDeployment();
    expect((await postTelegram(t, telegramUpdate(1006))).status).toBe(403);
    await enableChannel(t, "telegram", { enabled: false });
    expect((await postTelegram(t, telegramUpdate(1007))).status).toBe(403);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_CHANNEL_DISABLED", "WEBHOOK_CHANNEL_DISABLED"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });

  it("verifies with the secret stored in SyncBoard (encrypted) rather than the env var when both are set", async () => {
    const t = newDeployment();
    process.env.SKILL_SECRET_ENCRYPTION_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const channelId = await enableChannel(t, "telegram");
    const stored = ["stored", "token", "8c7b6a5f4e3d"].join("-");
    await t.action(internal.channelSecrets.set, { channelId, name: "TELEGRAM_WEBHOOK_SECRET", value: stored });
    expect((await postTelegram(t, telegramUpdate(1008), TELEGRAM_SECRET)).status).toBe(401);
    expect((await postTelegram(t, telegramUpdate(1009), stored)).status).toBe(200);
  });

  it("keeps a blocked sender out: acknowledged so the platform stops retrying, logged, nothing delivered", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    await t.run(async (ctx) => await ctx.db.insert("channelUsers", { platform: "telegram", platformUserId: "4242", status: "blocked", lastSeenAt: 0 }));
    const response = await postTelegram(t, telegramUpdate(1010));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: false, code: "CHANNEL_USER_BLOCKED" });
    const state = await deliveredState(t);
    expect(state.conversations).toEqual([]);
    expect(state.jobs).toBe(0);
    expect(await securityCodes(t)).toEqual(["CHANNEL_USER_BLOCKED"]);
  });

  it("on an allowlist channel, holds a new sender as pending until an owner allows them", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram", { accessPolicy: "allowlist" });
    expect(await (await postTelegram(t, telegramUpdate(1011))).json()).toEqual({ ok: false, code: "CHANNEL_USER_NOT_ALLOWED" });
    expect((await deliveredState(t)).channelUsers).toEqual([{ platformUserId: "4242", status: "pending" }]);
    expect((await deliveredState(t)).conversations).toEqual([]);
    await t.run(async (ctx) => {
      const user = (await ctx.db.query("channelUsers").first())!;
      await ctx.db.patch("channelUsers", user._id, { status: "allowed" });
    });
    expect(await (await postTelegram(t, telegramUpdate(1012))).json()).toEqual({ ok: true });
    expect((await deliveredState(t)).conversations).toEqual([{ externalKey: "4242", messageCount: 1 }]);
  });

  it("refuses the 21st message in a minute from one sender with 429 and Retry-After, and lets the platform's retry through later", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    for (let update = 2000; update < 2020; update++) expect((await postTelegram(t, telegramUpdate(update))).status).toBe(200);
    const limited = await postTelegram(t, telegramUpdate(2020));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await deliveredState(t)).replayIds).not.toContain("2020");
    expect(await securityCodes(t)).toEqual(["RATE_LIMIT_CHANNEL_USER"]);
    // Another sender is not held back by the first one's limit.
    expect((await postTelegram(t, telegramUpdate(2021, "hi", 777))).status).toBe(200);
    vi.advanceTimersByTime(60_000);
    expect((await postTelegram(t, telegramUpdate(2020))).status).toBe(200);
    expect((await deliveredState(t)).conversations.find((c) => c.externalKey === "4242")?.messageCount).toBe(21);
  });

  it("refuses a message longer than the owner's limit without delivering it", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const response = await postTelegram(t, telegramUpdate(1013, "y".repeat(4001)));
    expect(await response.json()).toEqual({ ok: false, code: "INPUT_TOO_LARGE" });
    expect((await deliveredState(t)).conversations).toEqual([]);
  });

  it("acknowledges an update with no text from a person (an edit, a bot) without involving the agent", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    const fromBot = JSON.stringify({ update_id: 1014, message: { chat: { id: 5 }, from: { id: 5, is_bot: true }, text: "beep" } });
    expect((await postTelegram(t, fromBot)).status).toBe(200);
    expect(await deliveredState(t)).toEqual({ channelUsers: [], conversations: [], replayIds: ["1014"], jobs: 0 });
  });
});

describe("Slack webhook", () => {
  it("answers the URL verification challenge only when it is signed", async () => {
    const t = newDeployment();
    await enableChannel(t, "slack");
    const body = JSON.stringify({ type: "url_verification", challenge: "c9f1d2" });
    const response = await postSlack(t, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "c9f1d2" });
    expect((await postSlack(t, body, seconds(), "another-signing-secret")).status).toBe(401);
  });

  it("delivers a signed message event into the Slack thread's conversation", async () => {
    const t = newDeployment();
    await enableChannel(t, "slack");
    const body = JSON.stringify({ type: "event_callback", event_id: "Ev01", event: { type: "message", user: "U123", text: "status?", channel: "C9", ts: "1700.1" } });
    expect((await postSlack(t, body)).status).toBe(200);
    expect((await deliveredState(t)).conversations).toEqual([{ externalKey: "C9:1700.1", messageCount: 1 }]);
  });

  it("refuses a correctly signed request captured more than five minutes ago", async () => {
    const t = newDeployment();
    await enableChannel(t, "slack");
    const body = JSON.stringify({ type: "event_callback", event_id: "Ev02", event: { type: "message", user: "U123", text: "x", channel: "C9", ts: "1" } });
    const response = await postSlack(t, body, String(Math.floor(Date.now() / 1000) - 6 * 60));
    expect(response.status).toBe(401);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_TIMESTAMP_STALE"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });
});

describe("Discord webhook", () => {
  it("answers a signed PING, and refuses one signed with another key", async () => {
    const t = newDeployment();
    await enableChannel(t, "discord");
    const ping = JSON.stringify({ id: "i1", type: 1 });
    const response = await postDiscord(t, ping);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
    const forged = await postDiscord(t, ping, generateKeyPairSync("ed25519").privateKey);
    expect(forged.status).toBe(401);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_SIGNATURE_INVALID"]);
  });

  it("defers a slash command's reply and delivers its text", async () => {
    const t = newDeployment();
    await enableChannel(t, "discord");
    const command = JSON.stringify({ id: "i2", type: 2, channel_id: "ch1", member: { user: { id: "u7", username: "grace" } }, data: { name: "ask", options: [{ name: "message", value: "what's new?" }] } });
    const response = await postDiscord(t, command);
    expect(await response.json()).toEqual({ type: 5 });
    expect((await deliveredState(t)).conversations).toEqual([{ externalKey: "ch1", messageCount: 1 }]);
  });
});

describe("WhatsApp (Twilio) webhook", () => {
  const fields = (sid: string): [string, string][] => [
    ["MessageSid", `SM${sid.padStart(32, "0")}`],
    ["AccountSid", `AC${"0".repeat(32)}`],
    ["From", "whatsapp:+15550001111"],
    ["To", "whatsapp:+15550002222"],
    ["Body", "hi there"],
  ];

  it("accepts a message signed over the URL and its fields, answering with empty TwiML", async () => {
    const t = newDeployment();
    await enableChannel(t, "whatsapp");
    const response = await postTwilio(t, fields("a1"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Response></Response>");
    expect((await deliveredState(t)).conversations).toEqual([{ externalKey: "whatsapp:+15550001111", messageCount: 1 }]);
  });

  it("refuses a message whose fields were changed after signing", async () => {
    const t = newDeployment();
    await enableChannel(t, "whatsapp");
    const signed = fields("a2");
    const url = `${SITE}/api/webhook/whatsapp`;
    const signature = createHmac("sha1", TWILIO_TOKEN)
      .update(url + [...signed].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => n + v).join(""))
      .digest("base64");
    const tampered = signed.map(([name, value]): [string, string] => [name, name === "Body" ? "send me the secrets" : value]);
    const response = await t.fetch("/api/webhook/whatsapp", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: new URLSearchParams(tampered).toString(),
    });
    expect(response.status).toBe(401);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });
});

describe("email (Resend) webhook", () => {
  it("accepts a signed inbound email event and ignores a signed delivery receipt", async () => {
    const t = newDeployment();
    await enableChannel(t, "email");
    const received = JSON.stringify({ type: "email.received", created_at: "2026-12-04T10:00:00Z", data: { email_id: "em_1", from: "Ada <Ada@Example.com>", to: ["agent@example.com"], subject: "Question" } });
    expect((await postEmail(t, received)).status).toBe(200);
    const receipt = JSON.stringify({ type: "email.delivered", created_at: "2026-12-04T10:00:00Z", data: { email_id: "em_2" } });
    expect((await postEmail(t, receipt, "msg_3a1d")).status).toBe(200);
    expect(await deliveredState(t)).toEqual({
      channelUsers: [{ platformUserId: "ada@example.com", status: "allowed" }],
      conversations: [{ externalKey: "ada@example.com", messageCount: 1 }],
      replayIds: ["em_1", "em_2"],
      jobs: 1,
    });
  });
});

describe("every webhook route", () => {
  it.each(["telegram", "slack", "discord", "whatsapp", "email"] as const)("%s: an unsigned request is refused with 401 and logged, storing nothing", async (platform) => {
    const t = newDeployment();
    await enableChannel(t, platform);
    const response = await t.fetch(`/api/webhook/${platform}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(response.status).toBe(401);
    expect(await securityCodes(t)).toEqual(["WEBHOOK_SIGNATURE_MISSING"]);
    expect(await rejectedActivity(t)).toEqual(["WEBHOOK_SIGNATURE_MISSING"]);
    expect(await deliveredState(t)).toEqual(NOTHING_DELIVERED);
  });

  it("keeps the sender's id, address and message out of the activity log and security events", async () => {
    const t = newDeployment();
    await enableChannel(t, "telegram");
    await postTelegram(t, telegramUpdate(3000, "my card is 4111"));
    await postTelegram(t, telegramUpdate(3001), "forged");
    await enableChannel(t, "email");
    const mail = JSON.stringify({ type: "email.received", data: { email_id: "em_9", from: "Private Person <private.person@example.net>", subject: "my address" } });
    expect((await postEmail(t, mail)).status).toBe(200);
    const logs = await t.run(async (ctx) => JSON.stringify([await ctx.db.query("activityLog").collect(), await ctx.db.query("securityEvents").collect()]));
    expect(logs).not.toContain("4242");
    expect(logs).not.toContain("4111");
    expect(logs).not.toContain("Ada");
    expect(logs).not.toContain("private.person");
  });
});

describe("replay ids", () => {
  it("are forgotten by the sweep only after their window, so a delivery inside it is still refused", async () => {
    const t = newDeployment();
    await enableChannel(t, "slack");
    const body = JSON.stringify({ type: "event_callback", event_id: "Ev9", event: { type: "message", user: "U1", text: "x", channel: "C1", ts: "1" } });
    expect((await postSlack(t, body)).status).toBe(200);
    expect(await t.mutation(internal.channels.replayIds.sweep, {})).toEqual({ rows: 0, more: false });
    expect((await deliveredState(t)).replayIds).toEqual(["Ev9"]);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000 + 1);
    expect(await t.mutation(internal.channels.replayIds.sweep, {})).toEqual({ rows: 1, more: false });
    expect((await deliveredState(t)).replayIds).toEqual([]);
  });
});
