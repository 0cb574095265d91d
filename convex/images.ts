// Images a visitor sends with a conversation. The bytes go straight to Convex file storage (never
// base64 inside a document); `register` then checks them by their magic bytes (format, size,
// dimensions, no SVG or embedded markup) and either records them in `images`, owned by the visitor
// and the conversation, or deletes the file. Only a recorded image can be handed to an image skill,
// and only by the caller who owns it (`skills/images:forCaller`).
import { v } from "convex/values";

import { internal } from "./_generated/api";
import { internalMutation, internalQuery, publicAction, visitorMutation } from "./lib/functions";
import { requireVisitor } from "./lib/visitorSession";
import { LIMITS, vImageMime } from "./lib/validators";
import { sha256Hex } from "./lib/hash";
import { validateImage } from "./skills/templates/images";

/** A short-lived URL the visitor's browser uploads one file to. */
export const generateUploadUrl = visitorMutation({
  args: {},
  returns: v.string(),
  handler: async (ctx) => await ctx.storage.generateUploadUrl(),
});

export const vRegisterResult = v.union(v.object({ ok: v.literal(true), contentType: vImageMime, width: v.number(), height: v.number() }), v.object({ ok: v.literal(false), reason: v.string() }));

export const register = publicAction("the visitor's session and ownership of the thread are checked by an internal query before anything else")({
  args: { sessionToken: v.string(), threadId: v.string(), storageId: v.id("_storage") },
  returns: vRegisterResult,
  handler: async (ctx, { sessionToken, threadId, storageId }) => {
    const owner = await ctx.runQuery(internal.images.uploader, { sessionToken, threadId });
    // Not this visitor's conversation: the file is not touched, and nothing says whose it is.
    if (owner === null) return { ok: false as const, reason: "No such conversation." };
    const blob = await ctx.storage.get(storageId);
    if (blob === null) return { ok: false as const, reason: "No such upload." };
    // Refused before reading the bytes when the stored size is already too large.
    const bytes = blob.size > LIMITS.imageBytesMax ? null : new Uint8Array(await blob.arrayBuffer());
    const check = bytes === null ? null : validateImage(bytes, { claimedType: blob.type, maxBytes: LIMITS.imageBytesMax });
    if (bytes === null || check === null || !check.ok) {
      await ctx.storage.delete(storageId);
      return { ok: false as const, reason: check !== null && !check.ok ? check.reason : "The image is larger than the size limit." };
    }
    await ctx.runMutation(internal.images.record, {
      storageId,
      contentType: check.contentType,
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
      width: check.width,
      height: check.height,
      visitorSessionId: owner.visitorSessionId,
      conversationId: owner.conversationId,
    });
    return { ok: true as const, contentType: check.contentType, width: check.width, height: check.height };
  },
});

/** The visitor and conversation an upload belongs to, or null when the token or thread is not theirs. */
export const uploader = internalQuery({
  args: { sessionToken: v.string(), threadId: v.string() },
  returns: v.union(v.null(), v.object({ visitorSessionId: v.id("visitorSessions"), conversationId: v.id("conversations") })),
  handler: async (ctx, { sessionToken, threadId }) => {
    const visitor = await requireVisitor(ctx, sessionToken, Date.now());
    const conversation = await ctx.db
      .query("conversations")
      .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
      .unique();
    if (conversation === null || conversation.visitorSessionId !== visitor.sessionId) return null;
    return { visitorSessionId: visitor.sessionId, conversationId: conversation._id };
  },
});

/** What every recorded image carries: its file and the facts its validation established. */
export const checkedImageFields = {
  storageId: v.id("_storage"),
  contentType: vImageMime,
  bytes: v.number(),
  sha256: v.string(),
  width: v.number(),
  height: v.number(),
};

export const record = internalMutation({
  args: {
    ...checkedImageFields,
    visitorSessionId: v.id("visitorSessions"),
    conversationId: v.id("conversations"),
  },
  returns: v.id("images"),
  handler: async (ctx, { visitorSessionId, ...image }) =>
    await ctx.db.insert("images", { ...image, source: "upload", caller: { kind: "visitor", visitorSessionId } }),
});
