// Skill secrets: stored only as AES-256-GCM envelopes bound to their row (skill and name), shown
// only as their last 4 characters, and read only by the skill runner, for the skill that owns them
// and only under a name that skill declares. Encryption runs in actions: Convex seeds randomness
// in queries and mutations, and an IV must be truly random. The key comes from the
// SKILL_SECRET_ENCRYPTION_KEY env var; without a valid key nothing is stored and nothing is read.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { env } from "./_generated/server";
import { internalAction, internalMutation, internalQuery } from "./lib/functions";
import { LIMITS, vSecretEnvelope } from "./lib/validators";
import { loadKeyRing, type KeyRing } from "./security/encryptionKeys";
import { decryptSecret, encryptSecret, needsReencryption, reencryptSecret, ringKeyIds } from "./security/secretCrypto";

/** Longest secret value accepted (API keys, tokens, PEM keys all fit). */
export const SECRET_VALUE_MAX_CHARS = 8192;
/** Secret names: upper snake case, as env vars are named. */
const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Rows re-encrypted per rotation step. */
export const ROTATION_BATCH = 50;

/** The key ring, or an error that names the problem (never the key). */
export function keyRingOrThrow(): KeyRing {
  const loaded = loadKeyRing(env);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.ring;
}

const binding = (skillId: Id<"skills">, name: string) => ({ table: "skillSecrets", owner: skillId, name });

/** Encrypts and stores one secret of a skill, replacing any previous value under that name. */
export const set = internalAction({
  args: { skillId: v.id("skills"), name: v.string(), value: v.string(), ownerId: v.optional(v.id("owners")) },
  returns: v.object({ name: v.string(), last4: v.string() }),
  handler: async (ctx, { skillId, name, value, ownerId }) => {
    if (!SECRET_NAME.test(name)) throw new Error("A secret name is upper case letters, digits and underscores, starting with a letter.");
    if (value.length === 0 || value.length > SECRET_VALUE_MAX_CHARS) throw new Error(`A secret is 1 to ${SECRET_VALUE_MAX_CHARS} characters.`);
    const { envelope, last4 } = await encryptSecret(keyRingOrThrow(), value, binding(skillId, name));
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
export async function readSkillSecrets(
  envelopes: { name: string; envelope: { alg: "AES-256-GCM"; keyId: string; iv: string; ciphertext: string } }[],
  skillId: Id<"skills">,
): Promise<Map<string, string>> {
  if (envelopes.length === 0) return new Map();
  const ring = keyRingOrThrow();
  const values = new Map<string, string>();
  for (const { name, envelope } of envelopes) {
    const result = await decryptSecret(ring, envelope, binding(skillId, name));
    if (result.ok) values.set(name, result.plaintext);
  }
  return values;
}

/**
 * Key rotation: re-encrypts every secret still under the previous key with the current one, a
 * batch at a time, scheduling itself until none is left. Run it after setting the new key in
 * SKILL_SECRET_ENCRYPTION_KEY and the old one in SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS.
 */
export const rotate = internalAction({
  args: {},
  returns: v.object({ reencrypted: v.number(), failed: v.number(), more: v.boolean() }),
  handler: async (ctx): Promise<{ reencrypted: number; failed: number; more: boolean }> => {
    const ring = keyRingOrThrow();
    const { previous } = await ringKeyIds(ring);
    if (previous === null) return { reencrypted: 0, failed: 0, more: false };
    const rows = await ctx.runQuery(internal.skillSecrets.underKey, { keyId: previous, limit: ROTATION_BATCH });
    let reencrypted = 0;
    let failed = 0;
    for (const row of rows) {
      const envelope = { alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext };
      if (!(await needsReencryption(ring, envelope))) continue;
      const result = await reencryptSecret(ring, envelope, binding(row.skillId, row.name));
      if (!result.ok) {
        failed += 1;
        continue;
      }
      // Replaced only if nobody set a new value meanwhile.
      await ctx.runMutation(internal.skillSecrets.replaceEnvelope, { id: row._id, expectedCiphertext: row.ciphertext, envelope: result.envelope });
      reencrypted += 1;
    }
    const more = rows.length === ROTATION_BATCH && reencrypted > 0;
    if (more) await ctx.scheduler.runAfter(0, internal.skillSecrets.rotate, {});
    return { reencrypted, failed, more };
  },
});

export const underKey = internalQuery({
  args: { keyId: v.string(), limit: v.number() },
  returns: v.array(v.object({ _id: v.id("skillSecrets"), skillId: v.id("skills"), name: v.string(), ...vSecretEnvelope.fields })),
  handler: async (ctx, { keyId, limit }) => {
    const rows = await ctx.db
      .query("skillSecrets")
      .withIndex("by_keyId", (q) => q.eq("keyId", keyId))
      .take(limit);
    return rows.map(({ _id, skillId, name, alg, keyId: id, iv, ciphertext }) => ({ _id, skillId, name, alg, keyId: id, iv, ciphertext }));
  },
});

export const replaceEnvelope = internalMutation({
  args: { id: v.id("skillSecrets"), expectedCiphertext: v.string(), envelope: vSecretEnvelope },
  returns: v.boolean(),
  handler: async (ctx, { id, expectedCiphertext, envelope }) => {
    const row = await ctx.db.get("skillSecrets", id);
    if (row === null || row.ciphertext !== expectedCiphertext) return false;
    await ctx.db.patch("skillSecrets", id, { ...envelope, updatedAt: Date.now() });
    return true;
  },
});
