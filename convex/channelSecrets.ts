// Channel secrets (webhook signing secrets, bot tokens): stored only as AES-256-GCM envelopes bound
// to their row (channel and name), shown only as their last 4 characters, and read only server-side
// by the channel's own webhook handler. Names are fixed per platform (CHANNEL_SECRET_NAMES), each
// the same as the Convex env var a deployment may use instead.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { internalAction, internalMutation, internalQuery } from "./lib/functions";
import { decryptRows, encryptForRow } from "./lib/secretStore";
import { CHANNEL_SECRET_NAMES, vChannelSecretName, vSecretEnvelope, type ChannelSecretName, type SecretEnvelope } from "./lib/validators";

/** Encrypts and stores one secret of a channel, replacing any previous value under that name. */
export const set = internalAction({
  args: { channelId: v.id("channelConfig"), name: vChannelSecretName, value: v.string(), ownerId: v.optional(v.id("owners")) },
  returns: v.object({ name: v.string(), last4: v.string() }),
  handler: async (ctx, { channelId, name, value, ownerId }) => {
    const { envelope, last4 } = await encryptForRow("channelSecrets", channelId, name, value);
    await ctx.runMutation(internal.channelSecrets.store, { channelId, name, envelope, last4, ...(ownerId ? { ownerId } : {}) });
    return { name, last4 };
  },
});

export const store = internalMutation({
  args: { channelId: v.id("channelConfig"), name: vChannelSecretName, envelope: vSecretEnvelope, last4: v.string(), ownerId: v.optional(v.id("owners")) },
  returns: v.null(),
  handler: async (ctx, { channelId, name, envelope, last4, ownerId }) => {
    const channel = await ctx.db.get("channelConfig", channelId);
    if (channel === null) throw new Error("No such channel");
    // A Slack channel holds Slack's secrets only, and so on for each platform.
    if (!(CHANNEL_SECRET_NAMES[channel.platform] as readonly string[]).includes(name)) throw new Error(`${name} is not a secret of a ${channel.platform} channel.`);
    const existing = await ctx.db
      .query("channelSecrets")
      .withIndex("by_channel_and_name", (q) => q.eq("channelId", channelId).eq("name", name))
      .unique();
    const row = { channelId, name, ...envelope, last4, updatedAt: Date.now(), ...(ownerId ? { updatedBy: ownerId } : {}) };
    if (existing === null) await ctx.db.insert("channelSecrets", row);
    else await ctx.db.replace("channelSecrets", existing._id, row);
    return null;
  },
});

/** A channel's secrets as SyncBoard shows them: names and last 4 characters, never values. */
export const listMasked = internalQuery({
  args: { channelId: v.id("channelConfig") },
  returns: v.array(v.object({ name: v.string(), last4: v.string(), updatedAt: v.number() })),
  handler: async (ctx, { channelId }) => {
    const rows = await ctx.db
      .query("channelSecrets")
      .withIndex("by_channel_and_name", (q) => q.eq("channelId", channelId))
      .take(8);
    return rows.map(({ name, last4, updatedAt }) => ({ name, last4, updatedAt }));
  },
});

/** One stored secret of a channel, still encrypted; null when it is not set. */
export async function channelSecretEnvelope(ctx: QueryCtx, channelId: Id<"channelConfig">, name: ChannelSecretName): Promise<SecretEnvelope | null> {
  const row = await ctx.db
    .query("channelSecrets")
    .withIndex("by_channel_and_name", (q) => q.eq("channelId", channelId).eq("name", name))
    .unique();
  return row === null ? null : { alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext };
}

export const envelopeFor = internalQuery({
  args: { channelId: v.id("channelConfig"), name: vChannelSecretName },
  returns: v.union(v.null(), vSecretEnvelope),
  handler: async (ctx, { channelId, name }) => await channelSecretEnvelope(ctx, channelId, name),
});

/** Decrypts one channel secret in an action; undefined when it is not set or does not decrypt. */
export async function readChannelSecret(channelId: Id<"channelConfig">, name: ChannelSecretName, envelope: { alg: "AES-256-GCM"; keyId: string; iv: string; ciphertext: string } | null): Promise<string | undefined> {
  if (envelope === null) return undefined;
  return (await decryptRows("channelSecrets", channelId, [{ name, envelope }])).get(name);
}
