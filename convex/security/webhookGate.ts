// The security checker's half for inbound channel webhooks. Every request to `/api/webhook/<platform>`
// ends here exactly once, whether the route already refused it (size, signature, body format) or
// verified it: this mutation applies the remaining checks in order (channel enabled, replay, the
// sender's standing, the sender's and the global rate limits, message length), logs the result
// with its code, and only then hands an accepted message to the agent, all in one transaction.
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordActivity } from "../activity";
import { readAgentSettings } from "../agentSettings";
import { deliverInbound } from "../channels/inbound";
import { internalMutation } from "../lib/functions";
import { takeRateLimit } from "../lib/rateLimits";
import { CHECK_FAILURE_CODES, vChannelPlatform, type ChannelPlatform, type CheckFailureCode, type Severity } from "../lib/validators";
import { channelUserFailure, checkMessage, WEBHOOK_REPLAY_TTL_MS } from "./checks";

/** Refusals the route makes before a body is trusted. */
export const vEarlyRefusal = literals(
  "WEBHOOK_PAYLOAD_TOO_LARGE",
  "WEBHOOK_SIGNATURE_MISSING",
  "WEBHOOK_SIGNATURE_INVALID",
  "WEBHOOK_TIMESTAMP_STALE",
  "WEBHOOK_SECRET_UNCONFIGURED",
  "WEBHOOK_PAYLOAD_INVALID",
);

const vInboundEvent = v.union(
  v.object({
    kind: v.literal("message"),
    deliveryId: v.string(),
    platformUserId: v.string(),
    displayName: v.optional(v.string()),
    conversationKey: v.string(),
    text: v.string(),
  }),
  v.object({ kind: v.literal("handshake"), deliveryId: v.string(), reply: v.union(v.object({ challenge: v.string() }), v.object({ type: v.literal(1) })) }),
  v.object({ kind: v.literal("ignored"), deliveryId: v.string() }),
);

/** What the route found: a verified, parsed event, or the refusal it already made. */
export const vWebhookVerdict = v.union(v.object({ verified: v.literal(true), event: vInboundEvent }), v.object({ verified: v.literal(false), code: vEarlyRefusal }));

export const vWebhookDecision = v.union(
  v.object({ accepted: v.literal(true), kind: literals("message", "handshake", "ignored", "duplicate") }),
  v.object({ accepted: v.literal(false), code: literals(...CHECK_FAILURE_CODES), message: v.string(), retryAfterMs: v.optional(v.number()) }),
);
export type WebhookDecision = Infer<typeof vWebhookDecision>;

const SEVERITY: Partial<Record<CheckFailureCode, Severity>> = {
  WEBHOOK_SIGNATURE_INVALID: "high",
  WEBHOOK_TIMESTAMP_STALE: "medium",
  WEBHOOK_SIGNATURE_MISSING: "medium",
  WEBHOOK_SECRET_UNCONFIGURED: "medium",
  WEBHOOK_REPLAYED: "medium",
  WEBHOOK_PAYLOAD_TOO_LARGE: "low",
  WEBHOOK_PAYLOAD_INVALID: "low",
  WEBHOOK_CHANNEL_DISABLED: "low",
  CHANNEL_USER_BLOCKED: "low",
  CHANNEL_USER_NOT_ALLOWED: "info",
  INPUT_TOO_LARGE: "low",
};

/** lastSeenAt is refreshed at most this often, so a chatty user does not rewrite their row each message. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

const PLATFORM_NAMES: Record<ChannelPlatform, string> = { telegram: "Telegram", slack: "Slack", discord: "Discord", whatsapp: "WhatsApp", email: "email" };

export const admitWebhook = internalMutation({
  args: { platform: vChannelPlatform, verdict: vWebhookVerdict },
  returns: vWebhookDecision,
  handler: async (ctx, { platform, verdict }): Promise<WebhookDecision> => {
    const now = Date.now();
    const refuse = async (code: CheckFailureCode, user?: Doc<"channelUsers">, retryAfterMs?: number) => {
      await logRefusal(ctx, platform, code, user);
      return { accepted: false as const, code, message: checkMessage(code), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    };
    if (!verdict.verified) return await refuse(verdict.code);
    const { event } = verdict;

    const channel = await ctx.db
      .query("channelConfig")
      .withIndex("by_platform", (q) => q.eq("platform", platform))
      .unique();
    if (channel === null || !channel.enabled) return await refuse("WEBHOOK_CHANNEL_DISABLED");
    if (event.kind === "handshake") return await accept(ctx, platform, "handshake");

    const seen = await ctx.db
      .query("webhookReplayIds")
      .withIndex("by_platform_and_replayKey", (q) => q.eq("platform", platform).eq("replayKey", event.deliveryId))
      .unique();
    if (seen !== null && seen.expiresAt > now) {
      // A platform's own retry of a delivery already taken is answered as done, and recorded.
      await logRefusal(ctx, platform, "WEBHOOK_REPLAYED");
      return { accepted: true, kind: "duplicate" };
    }
    // Remembered only once accepted: a delivery refused for a limit may be retried by the platform.
    const remember = async () => {
      const expiresAt = now + WEBHOOK_REPLAY_TTL_MS[platform];
      if (seen === null) await ctx.db.insert("webhookReplayIds", { platform, replayKey: event.deliveryId, expiresAt });
      else await ctx.db.patch("webhookReplayIds", seen._id, { expiresAt });
    };
    if (event.kind === "ignored") {
      await remember();
      return await accept(ctx, platform, "ignored");
    }

    const user = await channelUser(ctx, platform, event, channel.accessPolicy, now);
    const standing = channelUserFailure(user.status, channel.accessPolicy);
    if (standing) return await refuse(standing, user);
    const caller = { kind: "channelUser" as const, channelUserId: user._id };
    const perUser = await takeRateLimit(ctx, "channelPerUser", { key: user._id, caller, channel: platform, ...(user.rateLimit ? { config: user.rateLimit } : {}) });
    if (!perUser.ok) {
      await ctx.db.patch("channelUsers", user._id, { lastRateLimitedAt: now });
      return await refuse("RATE_LIMIT_CHANNEL_USER", user, perUser.retryAfterMs);
    }
    const global = await takeRateLimit(ctx, "global", { caller, channel: platform });
    if (!global.ok) return await refuse("RATE_LIMIT_GLOBAL", user, global.retryAfterMs);
    const { maxMessageChars } = await readAgentSettings(ctx);
    if (event.text.length > maxMessageChars) return await refuse("INPUT_TOO_LARGE", user);

    await remember();
    if (event.text.trim() === "") return await accept(ctx, platform, "ignored");
    const threadId = await deliverInbound(ctx, { platform, channelUserId: user._id, conversationKey: event.conversationKey, text: event.text.trim() });
    await recordActivity(ctx, { kind: "channel.message", summary: `A ${PLATFORM_NAMES[platform]} user sent a message`, actorKind: "channelUser", threadId, channel: platform });
    return { accepted: true, kind: "message" };
  },
});

async function accept(ctx: MutationCtx, platform: ChannelPlatform, kind: "handshake" | "ignored"): Promise<WebhookDecision> {
  await recordActivity(ctx, { kind: "webhook.accepted", summary: `A ${PLATFORM_NAMES[platform]} webhook was verified (${kind})`, actorKind: "system", channel: platform, metadata: { code: "OK", kind } });
  return { accepted: true, kind };
}

/** Every refusal is an activity entry and a security event; neither holds the body or who sent it. */
async function logRefusal(ctx: MutationCtx, platform: ChannelPlatform, code: CheckFailureCode, user?: Doc<"channelUsers">): Promise<void> {
  await recordActivity(ctx, {
    kind: "webhook.rejected",
    summary: `A ${PLATFORM_NAMES[platform]} webhook was refused: ${checkMessage(code)}`,
    actorKind: user ? "channelUser" : "system",
    channel: platform,
    metadata: { code },
  });
  // Rate-limit refusals were recorded by the limiter with their own code.
  if (code.startsWith("RATE_LIMIT_")) return;
  await ctx.db.insert("securityEvents", {
    code,
    severity: SEVERITY[code] ?? "low",
    message: `Webhook refused: ${checkMessage(code)}`,
    channel: platform,
    ...(user ? { caller: { kind: "channelUser" as const, channelUserId: user._id } } : {}),
    metadata: { platform },
  });
}

/** The sender's row, created on first contact: allowed on an open channel, pending on an allowlist one. */
async function channelUser(
  ctx: MutationCtx,
  platform: ChannelPlatform,
  event: { platformUserId: string; displayName?: string },
  policy: Doc<"channelConfig">["accessPolicy"],
  now: number,
): Promise<Doc<"channelUsers">> {
  const existing = await ctx.db
    .query("channelUsers")
    .withIndex("by_platform_and_platformUserId", (q) => q.eq("platform", platform).eq("platformUserId", event.platformUserId))
    .unique();
  if (existing !== null) {
    if (now - existing.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) await ctx.db.patch("channelUsers", existing._id, { lastSeenAt: now });
    return existing;
  }
  const row = {
    platform,
    platformUserId: event.platformUserId,
    ...(event.displayName ? { displayName: event.displayName } : {}),
    status: policy === "open" ? ("allowed" as const) : ("pending" as const),
    lastSeenAt: now,
  };
  const inserted = await ctx.db.get("channelUsers", await ctx.db.insert("channelUsers", row));
  return inserted!;
}
