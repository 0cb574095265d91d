// An accepted channel message reaches the same agent as the web chat: it is added to the sender's
// conversation for that place on the platform (one thread per chat, Slack thread or sender), and
// the agent's reply is scheduled so the webhook is answered at once. Called only by the webhook
// gate, inside its transaction, after every check passed.
import { createThread, saveMessage } from "@convex-dev/agent";

import { components, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { ensureSeeded } from "../agentSettings";
import { TITLE_CHARS } from "../chat";
import type { ChannelPlatform } from "../lib/validators";
import { scrubText } from "../security/redact";
import { markUntrusted } from "../security/untrusted";

export async function deliverInbound(
  ctx: MutationCtx,
  message: { platform: ChannelPlatform; channelUserId: Id<"channelUsers">; conversationKey: string; text: string },
): Promise<string> {
  const now = Date.now();
  let conversation = await ctx.db
    .query("conversations")
    .withIndex("by_channelUser_and_externalKey", (q) => q.eq("channelUserId", message.channelUserId).eq("externalKey", message.conversationKey))
    .unique();
  if (conversation === null) {
    const threadId = await createThread(ctx, components.agent, {});
    const conversationId = await ctx.db.insert("conversations", {
      threadId,
      channel: message.platform,
      channelUserId: message.channelUserId,
      externalKey: message.conversationKey,
      title: scrubText(message.text).slice(0, TITLE_CHARS),
      lastMessageAt: now,
      messageCount: 0,
    });
    conversation = (await ctx.db.get("conversations", conversationId))!;
  }
  await ensureSeeded(ctx);
  // A channel user is outside the owner's trust: their text reaches the model marked as external.
  const prompt = markUntrusted(`${message.platform} message`, message.text);
  const { messageId } = await saveMessage(ctx, components.agent, { threadId: conversation.threadId, prompt });
  await ctx.db.patch("conversations", conversation._id, { lastMessageAt: now, messageCount: conversation.messageCount + 1 });
  await ctx.scheduler.runAfter(0, internal.agentRuntime.respond, { threadId: conversation.threadId, promptMessageId: messageId });
  return conversation.threadId;
}
