// The activity log: every agent interaction is recorded privately; only entries an owner marks
// public appear in the public feed beside the chat, and then only their kind, summary and time.
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";

import type { Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { boundedPage } from "./lib/pagination";
import { internalMutation, ownerMutation, ownerQuery, publicQuery } from "./lib/functions";
import { LIMITS, vActorKind, vChannel, vVisibility, type ActorKind, type Channel, type LogMetadata, type Visibility } from "./lib/validators";

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

/**
 * Publishes an entry (stamping when, and which owner when one acted) or takes it back to private.
 * False when the entry no longer exists (retention may prune it while a page shows it).
 */
async function setEntryVisibility(ctx: MutationCtx, id: Id<"activityLog">, visibility: Visibility, ownerId?: Id<"owners">): Promise<boolean> {
  const entry = await ctx.db.get("activityLog", id);
  if (entry === null) return false;
  // Unpublishing clears the stamps, so a private entry never claims an owner published it.
  const stamps = visibility === "public" ? { publishedAt: Date.now(), publishedBy: ownerId } : { publishedAt: undefined, publishedBy: undefined };
  await ctx.db.patch("activityLog", id, { visibility, ...stamps });
  return true;
}

/** Makes an entry public, for the deployment itself; owners use `setVisibility`. */
export const publish = internalMutation({
  args: { id: v.id("activityLog") },
  returns: v.null(),
  handler: async (ctx, { id }) => {
    if (!(await setEntryVisibility(ctx, id, "public"))) throw new Error("No such activity entry");
    return null;
  },
});

const vOwnerActivity = v.object({
  _id: v.id("activityLog"),
  _creationTime: v.number(),
  kind: v.string(),
  summary: v.string(),
  visibility: vVisibility,
  actorKind: v.union(vActorKind, v.null()),
  channel: v.union(vChannel, v.null()),
  publishedAt: v.union(v.number(), v.null()),
});

/** The activity page: every entry, newest first, optionally of one kind. */
export const list = ownerQuery({
  args: { paginationOpts: paginationOptsValidator, kind: v.optional(v.string()) },
  returns: paginationResultValidator(vOwnerActivity),
  handler: async (ctx, { paginationOpts, kind }) => {
    if (kind !== undefined && kind.length > LIMITS.nameChars) throw new ConvexError({ kind: "FilterTooLong", maxChars: LIMITS.nameChars });
    const entries = kind === undefined ? ctx.db.query("activityLog").withIndex("by_creation_time") : ctx.db.query("activityLog").withIndex("by_kind", (q) => q.eq("kind", kind));
    const result = await entries.order("desc").paginate(boundedPage(paginationOpts));
    return {
      ...result,
      page: result.page.map((entry) => ({
        _id: entry._id,
        _creationTime: entry._creationTime,
        kind: entry.kind,
        summary: entry.summary,
        visibility: entry.visibility,
        actorKind: entry.actorKind ?? null,
        channel: entry.channel ?? null,
        publishedAt: entry.publishedAt ?? null,
      })),
    };
  },
});

/**
 * An owner publishes an entry to the public feed, or takes it back. Publishing is only ever this
 * explicit act; the feed then shows the entry's kind, summary and time, nothing else.
 */
export const setVisibility = ownerMutation({
  args: { id: v.id("activityLog"), visibility: vVisibility },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { id, visibility }) => {
    if (!(await setEntryVisibility(ctx, id, visibility, ctx.owner.ownerId))) return { ok: false as const, error: "This entry no longer exists." };
    return { ok: true as const };
  },
});
