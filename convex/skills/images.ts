// The image side of image skills: an image reaches a skill only by its file storage id, only if its
// validation record exists (it passed the format and size checks when it was stored) and only for
// the caller who owns it. Internal: the skill runner calls it after the checker admitted the call.
import { v } from "convex/values";

import { internalQuery } from "../lib/functions";
import { callerKey, vCaller, vImageMime } from "../lib/validators";

export const forCaller = internalQuery({
  args: { storageId: v.string(), caller: vCaller },
  returns: v.union(v.null(), v.object({ storageId: v.id("_storage"), contentType: vImageMime })),
  handler: async (ctx, { storageId, caller }) => {
    const id = ctx.db.system.normalizeId("_storage", storageId);
    if (id === null) return null;
    const record = await ctx.db
      .query("images")
      .withIndex("by_storageId", (q) => q.eq("storageId", id))
      .unique();
    if (record === null || callerKey(record.caller) !== callerKey(caller)) return null;
    return { storageId: record.storageId, contentType: record.contentType };
  },
});
