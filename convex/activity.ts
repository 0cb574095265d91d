// The activity log: every agent interaction is recorded privately; only entries an owner marks
// public appear in the public feed beside the chat, and then only their kind, summary and time.
import { v } from "convex/values";

import type { Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { internalMutation, publicQuery } from "./lib/functions";
import { LIMITS, type ActorKind, type Channel, type LogMetadata } from "./lib/validators";

export type ActivityEntry = {
  kind: string;
  /** Owner-facing; never a user message, a secret or personal data. */
  summary: string;
  actorKind?: ActorKind;
  threadId?: string;
  channel?: Channel;
  metadata?: LogMetadata;
};

/** Records an activity entry, always private: only an owner's explicit action publishes one. */
export async function recordActivity(ctx: MutationCtx, entry: ActivityEntry): Promise<Id<"activityLog">> {
  return await ctx.db.insert("activityLog", { ...entry, summary: entry.summary.slice(0, LIMITS.summaryChars), visibility: "private" });
}

const PUBLIC_FEED_SIZE = 50;

const vPublicActivity = v.object({
  _id: v.id("activityLog"),
  _creationTime: v.number(),
  kind: v.string(),
  summary: v.string(),
});

export const listPublic = publicQuery("the public feed shows only owner-published entries, projected to kind, summary and time")({
  args: {},
  returns: v.array(vPublicActivity),
  handler: async (ctx) => {
    const entries = await ctx.db
      .query("activityLog")
      .withIndex("by_visibility", (q) => q.eq("visibility", "public"))
      .order("desc")
      .take(PUBLIC_FEED_SIZE);
    return entries.map(({ _id, _creationTime, kind, summary }) => ({ _id, _creationTime, kind, summary }));
  },
});

/** Records an activity entry; always private until an owner publishes it. */
export const record = internalMutation({
  args: { kind: v.string(), summary: v.string() },
  returns: v.id("activityLog"),
  handler: async (ctx, { kind, summary }) => await recordActivity(ctx, { kind, summary }),
});

/** Makes an entry public. The owner-facing mutation that calls this arrives with SyncBoard. */
export const publish = internalMutation({
  args: { id: v.id("activityLog") },
  returns: v.null(),
  handler: async (ctx, { id }) => {
    const entry = await ctx.db.get("activityLog", id);
    if (entry === null) throw new Error("No such activity entry");
    await ctx.db.patch("activityLog", id, { visibility: "public", publishedAt: Date.now() });
    return null;
  },
});
