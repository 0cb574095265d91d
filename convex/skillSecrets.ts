// Skill secrets: stored only as AES-256-GCM envelopes bound to their row (skill and name), shown
// only as their last 4 characters, and read only by the skill runner, for the skill that owns them
// and only under a name that skill declares. Encryption runs in actions: Convex seeds randomness
// in queries and mutations, and an IV must be truly random. The key comes from the
// SKILL_SECRET_ENCRYPTION_KEY env var; without a valid key nothing is stored and nothing is read.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalAction, internalMutation, internalQuery } from "./lib/functions";
import { decryptRows, encryptForRow } from "./lib/secretStore";
import { LIMITS, vSecretEnvelope, type SecretEnvelope } from "./lib/validators";

/** Secret names: upper snake case, as env vars are named. */
const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Encrypts and stores one secret of a skill, replacing any previous value under that name. */
export const set = internalAction({
  args: { skillId: v.id("skills"), name: v.string(), value: v.string(), ownerId: v.optional(v.id("owners")) },
  returns: v.object({ name: v.string(), last4: v.string() }),
  handler: async (ctx, { skillId, name, value, ownerId }) => {
    if (!SECRET_NAME.test(name)) throw new Error("A secret name is upper case letters, digits and underscores, starting with a letter.");
    const { envelope, last4 } = await encryptForRow("skillSecrets", skillId, name, value);
    await ctx.runMutation(internal.skillSecrets.store, { skillId, name, envelope, last4, ...(ownerId ? { ownerId } : {}) });
    return { name, last4 };
  },
});

export const store = internalMutation({
  args: { skillId: v.id("skills"), name: v.string(), envelope: vSecretEnvelope, last4: v.string(), ownerId: v.optional(v.id("owners")) },
  returns: v.null(),
  handler: async (ctx, { skillId, name, envelope, last4, ownerId }) => {
    if ((await ctx.db.get("skills", skillId)) === null) throw new Error("No such skill");
    const existing = await ctx.db
      .query("skillSecrets")
      .withIndex("by_skill_and_name", (q) => q.eq("skillId", skillId).eq("name", name))
      .unique();
    const fields = { ...envelope, last4, updatedAt: Date.now(), ...(ownerId ? { updatedBy: ownerId } : {}) };
    if (existing === null) await ctx.db.insert("skillSecrets", { skillId, name, ...fields });
    else await ctx.db.replace("skillSecrets", existing._id, { skillId, name, ...fields });
    return null;
  },
});

/** A skill's secrets as SyncBoard shows them: names and last 4 characters, never values. */
export const listMasked = internalQuery({
  args: { skillId: v.id("skills") },
  returns: v.array(v.object({ name: v.string(), last4: v.string(), updatedAt: v.number() })),
  handler: async (ctx, { skillId }) => {
    const rows = await ctx.db
      .query("skillSecrets")
      .withIndex("by_skill_and_name", (q) => q.eq("skillId", skillId))
      .take(LIMITS.allowedDomainsPerSkill);
    return rows.map(({ name, last4, updatedAt }) => ({ name, last4, updatedAt }));
  },
});

/**
 * The envelopes of the named secrets of one skill, for the runner to decrypt. Only rows of that
 * skill can be returned: the index is keyed by the skill, so no name reaches another skill's row.
 */
export const envelopesFor = internalQuery({
  args: { skillId: v.id("skills"), names: v.array(v.string()) },
  returns: v.array(v.object({ name: v.string(), envelope: vSecretEnvelope })),
  handler: async (ctx, { skillId, names }) => {
    const found = [];
    for (const name of names.slice(0, LIMITS.allowedDomainsPerSkill)) {
      const row = await ctx.db
        .query("skillSecrets")
        .withIndex("by_skill_and_name", (q) => q.eq("skillId", skillId).eq("name", name))
        .unique();
      if (row) found.push({ name, envelope: { alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext } });
    }
    return found;
  },
});

/** Decrypts the named secrets of a skill in an action; a missing or unreadable one is left out. */
export async function readSkillSecrets(envelopes: { name: string; envelope: SecretEnvelope }[], skillId: Id<"skills">): Promise<Map<string, string>> {
  return await decryptRows("skillSecrets", skillId, envelopes);
}
