// SyncBoard's channels: each platform's switch, access policy and non-secret settings, its secrets
// (written here, encrypted by channelSecrets, shown back only as their last 4 characters), the
// webhook URL an owner pastes into the platform, and the platform's users with their standing. The
// webhook route reads all of it at delivery time, so a change applies to the next message.
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type QueryCtx } from "../_generated/server";
import { recordActivity } from "../activity";
import { internalMutation, ownerAction, ownerMutation, ownerQuery } from "../lib/functions";
import { SECRET_VALUE_MAX_CHARS } from "../lib/secretStore";
import {
  CHANNEL_PLATFORMS,
  CHANNEL_SECRET_NAMES,
  vChannelAccessPolicy,
  vChannelPlatform,
  vChannelSecretName,
  vChannelSettings,
  vChannelUserStatus,
  type ChannelPlatform,
  type ChannelSecretName,
  type ChannelSettings,
} from "../lib/validators";
import { loadKeyRing } from "../security/encryptionKeys";
import { VERIFICATION_SECRET } from "./verifyInbound";

/** Largest page of channel users one request returns, whatever the client asks for. */
const USERS_PAGE_MAX = 100;

/** Longest value of any non-secret setting (an email address is the longest kind, 254). */
const SETTING_MAX_CHARS = 254;

/** The shape each setting must have: what the platform itself issues, so a typo shows at once. */
const SETTING_RULES: Record<string, { pattern: RegExp; error: string }> = {
  botUsername: { pattern: /^[A-Za-z][A-Za-z0-9_]{1,28}bot$/i, error: "A Telegram bot username is 5 to 32 letters, digits and underscores, ending in “bot”." },
  teamId: { pattern: /^T[A-Z0-9]{2,20}$/, error: "A Slack team id starts with T, such as T0123ABCD." },
  botUserId: { pattern: /^[UWB][A-Z0-9]{2,20}$/, error: "A Slack bot user id starts with U, W or B, such as U0123ABCD." },
  applicationId: { pattern: /^\d{17,20}$/, error: "A Discord application id is 17 to 20 digits." },
  fromNumber: { pattern: /^(whatsapp:)?\+[1-9]\d{6,14}$/, error: "The sending number is in international form, such as +14155550100 or whatsapp:+14155550100." },
  fromAddress: { pattern: /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]+$/, error: "The sending address is an email address, such as agent@example.com." },
};

/** Settings with every value trimmed and empty ones left out (an empty field means "not set"). */
export function normaliseSettings(settings: ChannelSettings): ChannelSettings {
  const entries = Object.entries(settings).flatMap(([field, value]) => {
    if (field === "platform" || typeof value !== "string") return [[field, value]];
    const trimmed = field === "botUsername" ? value.trim().replace(/^@/, "") : value.trim();
    return trimmed === "" ? [] : [[field, trimmed]];
  });
  // Only fields of the caller's own (validated) settings object are kept, so the shape is unchanged.
  return Object.fromEntries(entries) as ChannelSettings;
}

/** Why settings cannot be saved for `platform`, or null: the platform matches and each value fits. */
export function channelSettingsProblem(platform: ChannelPlatform, settings: ChannelSettings): string | null {
  if (settings.platform !== platform) return "These settings belong to another platform.";
  for (const [field, value] of Object.entries(settings)) {
    if (field === "platform" || typeof value !== "string") continue;
    if (value.length > SETTING_MAX_CHARS) return `A setting is at most ${SETTING_MAX_CHARS} characters.`;
    const rule = SETTING_RULES[field];
    if (rule && !rule.pattern.test(value)) return rule.error;
  }
  return null;
}

/** Where the platform must send its webhooks: the deployment's HTTP-actions origin. */
export function webhookUrl(siteUrl: string | undefined, platform: ChannelPlatform): string | null {
  if (siteUrl === undefined || siteUrl.trim() === "") return null;
  return `${siteUrl.trim().replace(/\/+$/, "")}/api/webhook/${platform}`;
}

const vSecretListing = v.object({
  name: vChannelSecretName,
  // Whether the signature of every delivery is checked with this one.
  verifiesWebhooks: v.boolean(),
  // "••••abcd" in the page; null when no value is stored in SyncBoard.
  last4: v.union(v.string(), v.null()),
  updatedAt: v.union(v.number(), v.null()),
  // The deployment has an env var of this name, used only when no value is stored here.
  inEnvironment: v.boolean(),
});

const vChannelListing = v.object({
  platform: vChannelPlatform,
  configured: v.boolean(),
  enabled: v.boolean(),
  accessPolicy: vChannelAccessPolicy,
  settings: vChannelSettings,
  secrets: v.array(vSecretListing),
  webhookUrl: v.union(v.string(), v.null()),
  updatedAt: v.union(v.number(), v.null()),
});

async function channelRow(ctx: Pick<QueryCtx, "db">, platform: ChannelPlatform): Promise<Doc<"channelConfig"> | null> {
  return await ctx.db
    .query("channelConfig")
    .withIndex("by_platform", (q) => q.eq("platform", platform))
    .unique();
}

/** A channel nobody has set up yet: off, and open only to users an owner allows. */
const unconfigured = (platform: ChannelPlatform) => ({ enabled: false, accessPolicy: "allowlist" as const, settings: { platform } as ChannelSettings });

/** Every platform, set up or not, with its masked secrets and webhook URL. */
export const list = ownerQuery({
  args: {},
  returns: v.array(vChannelListing),
  handler: async (ctx): Promise<Infer<typeof vChannelListing>[]> => {
    const listings = [];
    for (const platform of CHANNEL_PLATFORMS) {
      const row = await channelRow(ctx, platform);
      const stored: { name: string; last4: string; updatedAt: number }[] = row === null ? [] : await ctx.runQuery(internal.channelSecrets.listMasked, { channelId: row._id });
      const secrets = CHANNEL_SECRET_NAMES[platform].map((name: ChannelSecretName) => {
        const found = stored.find((secret) => secret.name === name);
        return {
          name,
          verifiesWebhooks: VERIFICATION_SECRET[platform] === name,
          last4: found?.last4 ?? null,
          updatedAt: found?.updatedAt ?? null,
          inEnvironment: (env[name] ?? "") !== "",
        };
      });
      const { enabled, accessPolicy, settings } = row ?? unconfigured(platform);
      listings.push({ platform, configured: row !== null, enabled, accessPolicy, settings, secrets, webhookUrl: webhookUrl(env.CONVEX_SITE_URL, platform), updatedAt: row?.updatedAt ?? null });
    }
    return listings;
  },
});

/** Creates or replaces the platform's switch, access policy and non-secret settings. */
export const configure = ownerMutation({
  args: { platform: vChannelPlatform, enabled: v.boolean(), accessPolicy: vChannelAccessPolicy, settings: vChannelSettings },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { platform, enabled, accessPolicy, settings }) => {
    const normalised = normaliseSettings(settings);
    const problem = channelSettingsProblem(platform, normalised);
    if (problem) return { ok: false as const, error: problem };
    const row = { platform, enabled, accessPolicy, settings: normalised, updatedAt: Date.now(), updatedBy: ctx.owner.ownerId };
    const existing = await channelRow(ctx, platform);
    if (existing === null) await ctx.db.insert("channelConfig", row);
    else await ctx.db.replace("channelConfig", existing._id, row);
    await recordActivity(ctx, {
      kind: "channel.configured",
      summary: `Channel ${platform} ${enabled ? "enabled" : "disabled"}, ${accessPolicy === "open" ? "open to every user" : "allowed users only"}`,
      actorKind: "owner",
      channel: platform,
    });
    return { ok: true as const };
  },
});

/** The platform's channel row, created switched off when a secret is set before anything else. */
export const channelFor = internalMutation({
  args: { platform: vChannelPlatform, ownerId: v.id("owners") },
  returns: v.id("channelConfig"),
  handler: async (ctx, { platform, ownerId }) => {
    const existing = await channelRow(ctx, platform);
    if (existing !== null) return existing._id;
    return await ctx.db.insert("channelConfig", { platform, ...unconfigured(platform), updatedAt: Date.now(), updatedBy: ownerId });
  },
});

export const recordSecretSet = internalMutation({
  args: { platform: vChannelPlatform, name: vChannelSecretName },
  returns: v.null(),
  handler: async (ctx, { platform, name }) => {
    await recordActivity(ctx, { kind: "channel.secretSet", summary: `Channel ${platform} secret ${name} set`, actorKind: "owner", channel: platform });
    return null;
  },
});

/**
 * Stores one of the platform's own secrets, encrypted. Write-only: the answer carries the last 4
 * characters and nothing else. A name of another platform is refused here (and again by the store).
 */
export const setSecret = ownerAction({
  args: { platform: vChannelPlatform, name: vChannelSecretName, value: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), last4: v.string() }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { platform, name, value }): Promise<{ ok: true; last4: string } | { ok: false; error: string }> => {
    if (!(CHANNEL_SECRET_NAMES[platform] as readonly string[]).includes(name)) return { ok: false, error: `${name} is not a secret of the ${platform} channel.` };
    // Pasted tokens often carry a stray space or newline, which no platform's secret contains.
    const secret = value.trim();
    if (secret === "" || secret.length > SECRET_VALUE_MAX_CHARS) return { ok: false, error: `A secret is 1 to ${SECRET_VALUE_MAX_CHARS} characters.` };
    // A deployment without a usable key stores no secret; the message names the variable, never a key.
    const keys = loadKeyRing(env);
    if (!keys.ok) return { ok: false, error: keys.message };
    const channelId: Id<"channelConfig"> = await ctx.runMutation(internal.channels.admin.channelFor, { platform, ownerId: ctx.owner.ownerId });
    const stored = await ctx.runAction(internal.channelSecrets.set, { channelId, name, value: secret, ownerId: ctx.owner.ownerId });
    await ctx.runMutation(internal.channels.admin.recordSecretSet, { platform, name });
    return { ok: true, last4: stored.last4 };
  },
});

const vChannelUser = v.object({
  _id: v.id("channelUsers"),
  // The platform's id for the sender (a phone number or address on WhatsApp and email): owners only.
  platformUserId: v.string(),
  displayName: v.union(v.string(), v.null()),
  status: vChannelUserStatus,
  lastSeenAt: v.number(),
  lastRateLimitedAt: v.union(v.number(), v.null()),
});

/** One platform's users, a page at a time. */
export const users = ownerQuery({
  args: { platform: vChannelPlatform, paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vChannelUser),
  handler: async (ctx, { platform, paginationOpts }) => {
    const result = await ctx.db
      .query("channelUsers")
      .withIndex("by_platform_and_platformUserId", (q) => q.eq("platform", platform))
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, USERS_PAGE_MAX)) });
    return {
      ...result,
      page: result.page.map((user) => ({
        _id: user._id,
        platformUserId: user.platformUserId,
        displayName: user.displayName ?? null,
        status: user.status,
        lastSeenAt: user.lastSeenAt,
        lastRateLimitedAt: user.lastRateLimitedAt ?? null,
      })),
    };
  },
});

/** Allows or blocks a user; the webhook gate reads the status on their next message. */
export const setUserStatus = ownerMutation({
  args: { channelUserId: v.id("channelUsers"), status: literals("allowed", "blocked") },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { channelUserId, status }) => {
    const user = await ctx.db.get("channelUsers", channelUserId);
    if (user === null) return { ok: false as const, error: "That user no longer exists." };
    await ctx.db.patch("channelUsers", channelUserId, { status });
    // The user's id and name are personal data: the activity log says only which platform.
    await recordActivity(ctx, { kind: "channel.userStatus", summary: `A ${user.platform} user was ${status === "allowed" ? "allowed" : "blocked"} by an owner`, actorKind: "owner", channel: user.platform });
    return { ok: true as const };
  },
});
