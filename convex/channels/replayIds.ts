// Forgets webhook delivery ids once their platform can no longer send them again validly (see
// WEBHOOK_REPLAY_TTL_MS), in bounded batches so the sweep never holds a long transaction.
import { v } from "convex/values";

import { internal } from "../_generated/api";
import { internalMutation } from "../lib/functions";

const SWEEP_BATCH = 500;

export const sweep = internalMutation({
  args: {},
  returns: v.object({ rows: v.number(), more: v.boolean() }),
  handler: async (ctx) => {
    const expired = await ctx.db
      .query("webhookReplayIds")
      .withIndex("by_expiresAt", (q) => q.lt("expiresAt", Date.now()))
      .take(SWEEP_BATCH);
    for (const row of expired) await ctx.db.delete("webhookReplayIds", row._id);
    const more = expired.length === SWEEP_BATCH;
    if (more) await ctx.scheduler.runAfter(0, internal.channels.replayIds.sweep, {});
    return { rows: expired.length, more };
  },
});
