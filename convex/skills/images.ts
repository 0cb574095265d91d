// The image side of image skills: an image reaches a skill only by its file storage id, only if its
// validation record exists (it passed the format and size checks when it was stored) and only for
// the caller who owns it. An image a skill produced is recorded the same way, owned by the caller
// the run acted for. Internal: only the skill runner calls these, after the checker admitted the call.
import { v } from "convex/values";

import { checkedImageFields } from "../images";
import { internalMutation, internalQuery } from "../lib/functions";
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

/**
 * Records an image a skill produced, already validated and stored by the runner (`outputImage.ts`).
 * It belongs to the run's caller and, when the run's thread is a conversation, to that conversation,
 * so it is deleted with it; a run without one (a dry run, an MCP client) records no conversation.
 */
export const recordSkillOutput = internalMutation({
  args: {
    ...checkedImageFields,
    caller: vCaller,
    skillId: v.id("skills"),
    threadId: v.optional(v.string()),
  },
  returns: v.id("images"),
  handler: async (ctx, { threadId, ...image }) => {
    const conversation =
      threadId === undefined
        ? null
        : await ctx.db
            .query("conversations")
            .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
            .unique();
    return await ctx.db.insert("images", { ...image, source: "skillOutput", ...(conversation !== null ? { conversationId: conversation._id } : {}) });
  },
});
