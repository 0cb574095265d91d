// Rate limit settings: one row per limit, read by every limited call at run time (see
// lib/rateLimits.ts), so a change applies at once. SyncBoard's config page calls `set`; the local
// runtime's tools (benchmarks, tests) call it with the admin key.
import { v } from "convex/values";

import { recordActivity } from "./activity";
import { internalMutation } from "./lib/functions";
import { vRateLimitConfig, vRateLimitName } from "./lib/validators";

export const set = internalMutation({
  args: { name: vRateLimitName, config: vRateLimitConfig },
  returns: v.null(),
  handler: async (ctx, { name, config }) => {
    if (!(config.rate > 0 && config.period > 0) || (config.capacity !== undefined && config.capacity < 1)) {
      throw new Error("A rate limit needs a positive rate, period and capacity");
    }
    const existing = await ctx.db
      .query("rateLimitConfig")
      .withIndex("by_name", (q) => q.eq("name", name))
      .unique();
    const row = { name, ...config, updatedAt: Date.now() };
    if (existing) await ctx.db.replace("rateLimitConfig", existing._id, row);
    else await ctx.db.insert("rateLimitConfig", row);
    await recordActivity(ctx, { kind: "config.rateLimit", summary: `Rate limit "${name}" set to ${config.rate} per ${config.period / 1000} s`, actorKind: "owner" });
    return null;
  },
});
