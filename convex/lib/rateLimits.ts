// Rate limits through @convex-dev/rate-limiter, with each limit's configuration read from the
// rateLimitConfig table at call time (SyncBoard edits it) and RATE_LIMIT_DEFAULTS otherwise.
// A refusal is recorded as a security event with the limit's own code.
import { RateLimiter } from "@convex-dev/rate-limiter";

import { components } from "../_generated/api";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { RATE_LIMIT_DEFAULTS, type Caller, type Channel, type RateLimitConfig, type RateLimitName } from "./validators";

const limiter = new RateLimiter(components.rateLimiter);

/** The configuration a limit runs with now. */
export async function rateLimitConfig(ctx: QueryCtx, name: RateLimitName): Promise<RateLimitConfig> {
  const row = await ctx.db
    .query("rateLimitConfig")
    .withIndex("by_name", (q) => q.eq("name", name))
    .unique();
  if (row === null) return RATE_LIMIT_DEFAULTS[name].config;
  const { kind, rate, period, capacity, shards } = row;
  return { kind, rate, period, ...(capacity !== undefined ? { capacity } : {}), ...(shards !== undefined ? { shards } : {}) };
}

export type LimitOutcome = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Takes one unit of a limit. On refusal nothing is taken and a security event is written; the
 * caller must then return without writing anything else (and without throwing, or the event
 * would roll back with it).
 */
export async function takeRateLimit(
  ctx: MutationCtx,
  name: RateLimitName,
  who: { key?: string; caller: Caller; channel?: Channel; config?: RateLimitConfig; recordRefusal?: boolean },
): Promise<LimitOutcome> {
  // A per-item override (a skill's own limit) replaces the table's value for that item only.
  const config = who.config ?? (await rateLimitConfig(ctx, name));
  const result = await limiter.limit(ctx, name, { key: who.key, config });
  if (result.ok) return { ok: true };
  const retryAfterMs = Math.ceil(result.retryAfter);
  // A caller that handles overflow itself (approval batching) records one event of its own instead.
  if (who.recordRefusal === false) return { ok: false, retryAfterMs };
  await ctx.db.insert("securityEvents", {
    code: RATE_LIMIT_DEFAULTS[name].code,
    severity: "low",
    message: `Rate limit reached: ${RATE_LIMIT_DEFAULTS[name].label}`,
    caller: who.caller,
    ...(who.channel ? { channel: who.channel } : {}),
    metadata: { limit: name, retryAfterMs },
  });
  return { ok: false, retryAfterMs };
}
