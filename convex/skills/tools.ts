// What the agent is offered for one reply: the approved, active skills as tools, and the principal
// the reply acts for (the conversation's owner), which the checker logs and limits by. Offering a
// skill here is not permission to run it: every call is checked again when it is made.
import { v } from "convex/values";

import { internalQuery } from "../lib/functions";
import { vCaller, vChannel } from "../lib/validators";

/** Most skills offered to the model at once (each is a tool definition in its context). */
export const OFFERED_SKILLS_MAX = 32;

export const forThread = internalQuery({
  args: { threadId: v.string() },
  returns: v.object({
    caller: v.union(vCaller, v.null()),
    channel: vChannel,
    skills: v.array(v.object({ name: v.string(), description: v.string(), inputSchemaJson: v.string() })),
  }),
  handler: async (ctx, { threadId }) => {
    const conversation = await ctx.db
      .query("conversations")
      .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
      .unique();
    const caller = conversation?.visitorSessionId
      ? { kind: "visitor" as const, visitorSessionId: conversation.visitorSessionId }
      : conversation?.channelUserId
        ? { kind: "channelUser" as const, channelUserId: conversation.channelUserId }
        : conversation?.ownerId
          ? { kind: "owner" as const, ownerId: conversation.ownerId }
          : null;
    const skills = await ctx.db
      .query("skills")
      .withIndex("by_approvalStatus_and_status", (q) => q.eq("approvalStatus", "approved").eq("status", "active"))
      .take(OFFERED_SKILLS_MAX);
    return {
      caller,
      channel: conversation?.channel ?? "web",
      skills: skills.map(({ name, description, inputSchemaJson }) => ({ name, description, inputSchemaJson })),
    };
  },
});
