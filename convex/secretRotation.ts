// Key rotation for every encrypted secret table. After the new key is set in
// SKILL_SECRET_ENCRYPTION_KEY and the old one in SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS, `rotate`
// re-encrypts every row still under the old key, a batch at a time, scheduling itself until none
// is left; both keys decrypt meanwhile. A row someone set again during the run is left as it is.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import { internalAction, internalMutation, internalQuery } from "./lib/functions";
import { keyRingOrThrow, reencryptRow, type SecretTable } from "./lib/secretStore";
import { vSecretEnvelope } from "./lib/validators";
import { needsReencryption, ringKeyIds } from "./security/secretCrypto";

/** Rows re-encrypted per table per step. */
export const ROTATION_BATCH = 50;

const vTable = v.union(v.literal("skillSecrets"), v.literal("channelSecrets"));
const TABLES: SecretTable[] = ["skillSecrets", "channelSecrets"];

export const rotate = internalAction({
  args: {},
  returns: v.object({ reencrypted: v.number(), failed: v.number(), more: v.boolean() }),
  handler: async (ctx): Promise<{ reencrypted: number; failed: number; more: boolean }> => {
    const { previous } = await ringKeyIds(keyRingOrThrow());
    if (previous === null) return { reencrypted: 0, failed: 0, more: false };
    let reencrypted = 0;
    let failed = 0;
    let more = false;
    for (const table of TABLES) {
      const rows = await ctx.runQuery(internal.secretRotation.underKey, { table, keyId: previous, limit: ROTATION_BATCH });
      let done = 0;
      for (const row of rows) {
        const envelope = { alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext };
        if (!(await needsReencryption(keyRingOrThrow(), envelope))) continue;
        const result = await reencryptRow(table, row.owner, row.name, envelope);
        if (!result.ok) {
          failed += 1;
          continue;
        }
        if (await ctx.runMutation(internal.secretRotation.replaceEnvelope, { table, id: row.id, expectedCiphertext: row.ciphertext, envelope: result.envelope })) done += 1;
      }
      reencrypted += done;
      // Rows that cannot be re-encrypted stay under the old key; only progress schedules another step.
      if (rows.length === ROTATION_BATCH && done > 0) more = true;
    }
    if (more) await ctx.scheduler.runAfter(0, internal.secretRotation.rotate, {});
    return { reencrypted, failed, more };
  },
});

export const underKey = internalQuery({
  args: { table: vTable, keyId: v.string(), limit: v.number() },
  returns: v.array(v.object({ id: v.string(), owner: v.string(), name: v.string(), ...vSecretEnvelope.fields })),
  handler: async (ctx, { table, keyId, limit }) => {
    if (table === "skillSecrets") {
      const rows = await ctx.db
        .query("skillSecrets")
        .withIndex("by_keyId", (q) => q.eq("keyId", keyId))
        .take(limit);
      return rows.map((row) => ({ id: row._id, owner: row.skillId, name: row.name, alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext }));
    }
    const rows = await ctx.db
      .query("channelSecrets")
      .withIndex("by_keyId", (q) => q.eq("keyId", keyId))
      .take(limit);
    return rows.map((row) => ({ id: row._id, owner: row.channelId, name: row.name, alg: row.alg, keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext }));
  },
});

export const replaceEnvelope = internalMutation({
  args: { table: vTable, id: v.string(), expectedCiphertext: v.string(), envelope: vSecretEnvelope },
  returns: v.boolean(),
  handler: async (ctx, { table, id, expectedCiphertext, envelope }) => {
    const fields = { ...envelope, updatedAt: Date.now() };
    if (table === "skillSecrets") {
      const rowId = ctx.db.normalizeId("skillSecrets", id);
      const row = rowId === null ? null : await ctx.db.get("skillSecrets", rowId);
      if (rowId === null || row === null || row.ciphertext !== expectedCiphertext) return false;
      await ctx.db.patch("skillSecrets", rowId, fields);
      return true;
    }
    const rowId = ctx.db.normalizeId("channelSecrets", id);
    const row = rowId === null ? null : await ctx.db.get("channelSecrets", rowId);
    if (rowId === null || row === null || row.ciphertext !== expectedCiphertext) return false;
    await ctx.db.patch("channelSecrets", rowId, fields);
    return true;
  },
});
