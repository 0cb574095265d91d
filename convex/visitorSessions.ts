// Anonymous visitor sessions for /chat. The server creates the token from real randomness (in an
// action: queries and mutations get deterministic randomness on Convex) and keeps only its hash.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import { chatError } from "./lib/errors";
import { internalMutation, publicAction } from "./lib/functions";
import { sha256Hex } from "./lib/hash";
import { takeRateLimit } from "./lib/rateLimits";
import { encodeToken, SESSION_TOKEN_BYTES, SESSION_TTL_MS } from "./lib/visitorSession";

export const create = publicAction("anyone may start an anonymous chat session; creation is rate limited for all callers together")({
  args: {},
  returns: v.object({ token: v.string(), expiresAt: v.number() }),
  handler: async (ctx): Promise<{ token: string; expiresAt: number }> => {
    const token = encodeToken(crypto.getRandomValues(new Uint8Array(SESSION_TOKEN_BYTES)));
    const stored = await ctx.runMutation(internal.visitorSessions.store, { tokenHash: sha256Hex(token) });
    if (!stored.ok) chatError({ kind: "RateLimited", scope: "sessionCreation", retryAfterMs: stored.retryAfterMs });
    return { token, expiresAt: stored.expiresAt };
  },
});

export const store = internalMutation({
  args: { tokenHash: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), expiresAt: v.number() }), v.object({ ok: v.literal(false), retryAfterMs: v.number() })),
  handler: async (ctx, { tokenHash }) => {
    const limited = await takeRateLimit(ctx, "sessionCreation", { caller: { kind: "system" }, channel: "web" });
    if (!limited.ok) return limited;
    const now = Date.now();
    const expiresAt = now + SESSION_TTL_MS;
    await ctx.db.insert("visitorSessions", { tokenHash, expiresAt, lastSeenAt: now });
    return { ok: true as const, expiresAt };
  },
});

const EXPIRY_BATCH = 500;

/** Deletes expired sessions in bounded batches; the cron runs it hourly and it reschedules itself while more remain. */
export const expire = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const expired = await ctx.db
      .query("visitorSessions")
      .withIndex("by_expiresAt", (q) => q.lt("expiresAt", Date.now()))
      .take(EXPIRY_BATCH);
    for (const session of expired) await ctx.db.delete("visitorSessions", session._id);
    if (expired.length === EXPIRY_BATCH) await ctx.scheduler.runAfter(0, internal.visitorSessions.expire, {});
    return expired.length;
  },
});
