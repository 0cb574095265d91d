// Security events for owners: the SyncBoard list (newest first, narrowed by code or by severity
// through that column's index) and acknowledging an event as seen. Events are written where they
// happen (the checker, webhooks, sign-in); nothing here creates or edits their content.
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v } from "convex/values";

import { boundedPage } from "./lib/pagination";
import { ownerMutation, ownerQuery } from "./lib/functions";
import { vActorKind, vChannel, vLogMetadata, vSecurityEventCode, vSeverity } from "./lib/validators";

const vSecurityEventRow = v.object({
  _id: v.id("securityEvents"),
  _creationTime: v.number(),
  code: vSecurityEventCode,
  severity: vSeverity,
  message: v.string(),
  // The principal's kind only: the list names no visitor session or channel user.
  callerKind: v.union(vActorKind, v.null()),
  channel: v.union(vChannel, v.null()),
  metadata: v.union(vLogMetadata, v.null()),
  acknowledgedAt: v.union(v.number(), v.null()),
});

/** One filter at a time: each has its own index, and the two together have none. */
const vSecurityEventFilter = v.union(v.object({ code: vSecurityEventCode }), v.object({ severity: vSeverity }));

export const list = ownerQuery({
  args: { paginationOpts: paginationOptsValidator, filter: v.optional(vSecurityEventFilter) },
  returns: paginationResultValidator(vSecurityEventRow),
  handler: async (ctx, { paginationOpts, filter }) => {
    const table = ctx.db.query("securityEvents");
    const events =
      filter === undefined
        ? table.withIndex("by_creation_time")
        : "code" in filter
          ? table.withIndex("by_code", (q) => q.eq("code", filter.code))
          : table.withIndex("by_severity", (q) => q.eq("severity", filter.severity));
    const result = await events.order("desc").paginate(boundedPage(paginationOpts));
    return {
      ...result,
      page: result.page.map((event) => ({
        _id: event._id,
        _creationTime: event._creationTime,
        code: event.code,
        severity: event.severity,
        message: event.message,
        callerKind: event.caller?.kind ?? null,
        channel: event.channel ?? null,
        metadata: event.metadata ?? null,
        acknowledgedAt: event.acknowledgedAt ?? null,
      })),
    };
  },
});

/** Marks an event seen. The first acknowledgement stands: a second one changes nothing. */
export const acknowledge = ownerMutation({
  args: { id: v.id("securityEvents") },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { id }) => {
    const event = await ctx.db.get("securityEvents", id);
    if (event === null) return { ok: false as const, error: "This event no longer exists." };
    if (event.acknowledgedAt === undefined) {
      await ctx.db.patch("securityEvents", id, { acknowledgedAt: Date.now(), acknowledgedBy: ctx.owner.ownerId });
    }
    return { ok: true as const };
  },
});
