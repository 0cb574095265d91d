// The public chat at /chat. Every function here is a visitor function: it takes the visitor's
// session token and sees only that session's conversations. Another session's thread is treated
// exactly like a thread that does not exist, so nothing confirms that it does.
import { createThread as createAgentThread, listUIMessages, saveMessage, syncStreams, vStreamArgs, vStreamMessagesReturnValue } from "@convex-dev/agent";
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";

import { components, internal } from "./_generated/api";
import { env, type QueryCtx } from "./_generated/server";
import { recordActivity } from "./activity";
import { DEFAULT_PLACEHOLDER, ensureSeeded, readAgentSettings, resolveSelection } from "./agentSettings";
import { vSendRefusal, type SendRefusal } from "./lib/errors";
import { publicQuery, visitorMutation, visitorQuery } from "./lib/functions";
import { planModels } from "./lib/modelRouting";
import { takeRateLimit } from "./lib/rateLimits";
import type { Visitor } from "./lib/visitorSession";

const THREAD_LIST_SIZE = 50;
export const TITLE_CHARS = 60;

/** The conversation row of a thread, if this visitor owns it. */
async function ownConversation(ctx: QueryCtx, visitor: Visitor, threadId: string) {
  const conversation = await ctx.db
    .query("conversations")
    .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
    .unique();
  return conversation !== null && conversation.visitorSessionId === visitor.sessionId ? conversation : null;
}

export const settings = publicQuery("visitor-facing presentation settings only: names, toggles, limits and the model's public label")({
  args: {},
  returns: v.object({
    agentName: v.string(),
    tagline: v.union(v.string(), v.null()),
    chatPlaceholder: v.string(),
    welcomeMessage: v.union(v.string(), v.null()),
    maxMessageChars: v.number(),
    showModelBadge: v.boolean(),
    showSkillIndicators: v.boolean(),
    showActivityFeed: v.boolean(),
    model: v.object({ label: v.string(), isOfflineDemo: v.boolean() }),
  }),
  handler: async (ctx) => {
    const agent = await readAgentSettings(ctx);
    const ui = await ctx.db.query("uiConfig").first();
    const plan = planModels(await resolveSelection(ctx, agent.config?.primaryModel), await resolveSelection(ctx, agent.config?.fallbackModel), env);
    return {
      agentName: agent.name,
      tagline: agent.tagline,
      chatPlaceholder: ui?.chatPlaceholder ?? DEFAULT_PLACEHOLDER,
      welcomeMessage: ui?.welcomeMessage ?? null,
      maxMessageChars: agent.maxMessageChars,
      showModelBadge: ui?.showModelBadge ?? true,
      showSkillIndicators: ui?.showSkillIndicators ?? true,
      showActivityFeed: ui?.showActivityFeed ?? true,
      model: { label: plan.primary.label, isOfflineDemo: plan.primary.isOfflineDemo },
    };
  },
});

export const listThreads = visitorQuery({
  args: {},
  returns: v.array(v.object({ threadId: v.string(), title: v.union(v.string(), v.null()), lastMessageAt: v.number() })),
  handler: async (ctx) => {
    const conversations = await ctx.db
      .query("conversations")
      .withIndex("by_visitorSession_and_lastMessageAt", (q) => q.eq("visitorSessionId", ctx.visitor.sessionId))
      .order("desc")
      .take(THREAD_LIST_SIZE);
    return conversations.map((c) => ({ threadId: c.threadId, title: c.title ?? null, lastMessageAt: c.lastMessageAt }));
  },
});

export const createThread = visitorMutation({
  args: {},
  returns: v.object({ threadId: v.string() }),
  handler: async (ctx) => {
    const threadId = await createAgentThread(ctx, components.agent, {});
    await ctx.db.insert("conversations", {
      threadId,
      channel: "web",
      visitorSessionId: ctx.visitor.sessionId,
      lastMessageAt: Date.now(),
      messageCount: 0,
    });
    return { threadId };
  },
});

export const listMessages = visitorQuery({
  args: { threadId: v.string(), paginationOpts: paginationOptsValidator, streamArgs: v.optional(vStreamArgs) },
  returns: v.object({
    // UIMessage (from @convex-dev/agent) has no validator of its own; the envelope is checked here.
    page: v.array(v.any()),
    isDone: v.boolean(),
    continueCursor: v.string(),
    splitCursor: v.optional(v.union(v.string(), v.null())),
    pageStatus: v.optional(v.union(v.literal("SplitRecommended"), v.literal("SplitRequired"), v.null())),
    streams: vStreamMessagesReturnValue.fields.streams,
  }),
  handler: async (ctx, { threadId, paginationOpts, streamArgs }) => {
    if ((await ownConversation(ctx, ctx.visitor, threadId)) === null) {
      const noStreams = streamArgs?.kind === "deltas" ? { kind: "deltas" as const, deltas: [] } : { kind: "list" as const, messages: [] };
      return { page: [], isDone: true, continueCursor: "", ...(streamArgs ? { streams: noStreams } : {}) };
    }
    const paginated = await listUIMessages(ctx, components.agent, { threadId, paginationOpts });
    const streams = await syncStreams(ctx, components.agent, { threadId, streamArgs });
    return { ...paginated, ...(streams ? { streams } : {}) };
  },
});

/**
 * Sends a visitor's message and starts the agent's reply. A refusal (empty, too long, rate
 * limited, unknown thread) is returned, not thrown: the refusal is logged as a security event, and
 * a throw would roll that back. A refused message stores nothing and calls no model.
 */
export const sendMessage = visitorMutation({
  args: { threadId: v.string(), text: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), messageId: v.string() }), v.object({ ok: v.literal(false), error: vSendRefusal })),
  handler: async (ctx, { threadId, text }) => {
    const refuse = (error: SendRefusal) => ({ ok: false as const, error });
    const conversation = await ownConversation(ctx, ctx.visitor, threadId);
    if (conversation === null) return refuse({ kind: "ThreadNotFound" });
    const trimmed = text.trim();
    if (trimmed.length === 0) return refuse({ kind: "EmptyMessage" });
    const { maxMessageChars } = await readAgentSettings(ctx);
    if (text.length > maxMessageChars) return refuse({ kind: "MessageTooLong", maxChars: maxMessageChars });
    const caller = { kind: "visitor" as const, visitorSessionId: ctx.visitor.sessionId };
    const perSession = await takeRateLimit(ctx, "chatPerSession", { key: ctx.visitor.sessionId, caller, channel: "web" });
    if (!perSession.ok) return refuse({ kind: "RateLimited", scope: "session", retryAfterMs: perSession.retryAfterMs });
    const global = await takeRateLimit(ctx, "global", { caller, channel: "web" });
    if (!global.ok) return refuse({ kind: "RateLimited", scope: "global", retryAfterMs: global.retryAfterMs });

    await ensureSeeded(ctx);
    const { messageId } = await saveMessage(ctx, components.agent, { threadId, prompt: trimmed });
    await ctx.db.patch("conversations", conversation._id, {
      lastMessageAt: Date.now(),
      messageCount: conversation.messageCount + 1,
      ...(conversation.title === undefined ? { title: trimmed.slice(0, TITLE_CHARS) } : {}),
    });
    await recordActivity(ctx, { kind: "chat.message", summary: "A visitor sent a message on the web chat", actorKind: "visitor", threadId, channel: "web" });
    await ctx.scheduler.runAfter(0, internal.agentRuntime.respond, { threadId, promptMessageId: messageId });
    return { ok: true as const, messageId };
  },
});
