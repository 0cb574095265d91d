// Every conversation, for owners, read-only: the SyncBoard threads list and one thread's messages.
// Owners may read any conversation, and each read is written to dataAccessLog (who read which
// conversation, when). A channel user's display name is personal data; only these owner functions
// return it.
import { listUIMessages } from "@convex-dev/agent";
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

import { components } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { boundedPage } from "./lib/pagination";
import { ownerMutation, ownerQuery } from "./lib/functions";
import { callerKey, vChannel, type Caller } from "./lib/validators";

const vPrincipalKind = literals("visitor", "channelUser", "owner");
type PrincipalKind = Infer<typeof vPrincipalKind>;

const vThreadSummary = v.object({
  conversationId: v.id("conversations"),
  channel: vChannel,
  title: v.union(v.string(), v.null()),
  lastMessageAt: v.number(),
  messageCount: v.number(),
  // Null only for a row that breaks the one-principal rule; the page says "unknown" rather than guess.
  principal: v.union(vPrincipalKind, v.null()),
  channelUserName: v.union(v.string(), v.null()),
});
type ThreadSummary = Infer<typeof vThreadSummary>;

/** Who a conversation belongs to: exactly one of its three principal fields is set. */
export function principalKind(conversation: Pick<Doc<"conversations">, "visitorSessionId" | "channelUserId" | "ownerId">): PrincipalKind | null {
  const kinds: PrincipalKind[] = [];
  if (conversation.visitorSessionId !== undefined) kinds.push("visitor");
  if (conversation.channelUserId !== undefined) kinds.push("channelUser");
  if (conversation.ownerId !== undefined) kinds.push("owner");
  return kinds.length === 1 ? kinds[0] : null;
}

async function summarize(ctx: QueryCtx, conversation: Doc<"conversations">): Promise<ThreadSummary> {
  const channelUser = conversation.channelUserId === undefined ? null : await ctx.db.get("channelUsers", conversation.channelUserId);
  return {
    conversationId: conversation._id,
    channel: conversation.channel,
    title: conversation.title ?? null,
    lastMessageAt: conversation.lastMessageAt,
    messageCount: conversation.messageCount,
    principal: principalKind(conversation),
    channelUserName: channelUser?.displayName ?? null,
  };
}

/** The threads page: every conversation, most recently active first, optionally on one channel. */
export const list = ownerQuery({
  args: { paginationOpts: paginationOptsValidator, channel: v.optional(vChannel) },
  returns: paginationResultValidator(vThreadSummary),
  handler: async (ctx, { paginationOpts, channel }) => {
    const conversations =
      channel === undefined
        ? ctx.db.query("conversations").withIndex("by_lastMessageAt")
        : ctx.db.query("conversations").withIndex("by_channel_and_lastMessageAt", (q) => q.eq("channel", channel));
    const result = await conversations.order("desc").paginate(boundedPage(paginationOpts));
    // One channelUsers read per row, bounded by the page size.
    return { ...result, page: await Promise.all(result.page.map((conversation) => summarize(ctx, conversation))) };
  },
});

const vThreadMessage = v.object({
  key: v.string(),
  role: literals("user", "assistant", "system"),
  text: v.string(),
  status: literals("streaming", "pending", "success", "failed"),
  createdAt: v.number(),
});

/**
 * One page of a thread's messages (newest first), for reading only. This is a mutation, not a
 * query, so that the page and its dataAccessLog row are one transaction: every read an owner makes
 * is logged by the server itself. A query cannot write, and a separate "I opened it" mutation
 * would leave logging to the browser's goodwill, so a client that skipped it would read unlogged.
 * The price is a page that does not update live, which a read-only review does not need.
 * `conversationId` is a plain string because it arrives from the address bar: an unknown or
 * malformed id is answered as not found, and neither reads nor logs anything.
 */
export const messages = ownerMutation({
  args: { conversationId: v.string(), paginationOpts: paginationOptsValidator },
  returns: v.union(
    v.object({ ok: v.literal(true), thread: vThreadSummary, messages: paginationResultValidator(vThreadMessage) }),
    v.object({ ok: v.literal(false), error: v.string() }),
  ),
  handler: async (ctx, { conversationId, paginationOpts }) => {
    const id = ctx.db.normalizeId("conversations", conversationId);
    const conversation = id === null ? null : await ctx.db.get("conversations", id);
    if (conversation === null) return { ok: false as const, error: "There is no such conversation." };

    const accessor: Caller = { kind: "owner", ownerId: ctx.owner.ownerId };
    await ctx.db.insert("dataAccessLog", {
      resource: "conversation",
      action: "read",
      accessor,
      accessorKey: callerKey(accessor),
      conversationId: conversation._id,
      allowed: true,
    });
    const page = await listUIMessages(ctx, components.agent, { threadId: conversation.threadId, paginationOpts: boundedPage(paginationOpts) });
    return {
      ok: true as const,
      thread: await summarize(ctx, conversation),
      messages: {
        ...page,
        page: page.page.map((message) => ({ key: message.key, role: message.role, text: message.text, status: message.status, createdAt: message._creationTime })),
      },
    };
  },
});
