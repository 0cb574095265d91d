// Visitor sessions: an anonymous visitor is whoever holds a token the server issued. The server
// stores only the token's hash; every visitor function checks the token first.
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { chatError } from "./errors";
import { sha256Hex } from "./hash";

/** 32 random bytes, base64url: 256 bits, far above the 128 the spec requires. */
export const SESSION_TOKEN_BYTES = 32;
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, so chatting does not rewrite the session each time. */
export const SESSION_TOUCH_MS = 60 * 1000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type Visitor = { sessionId: Id<"visitorSessions">; session: Doc<"visitorSessions"> };

/** Whether a string has the shape of a token this server issues (checked before any lookup). */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Encodes random bytes as a session token. */
export function encodeToken(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The visitor a token belongs to. A missing, malformed, unknown, expired or revoked token is the
 * same `InvalidSession` error, so a caller learns nothing about which it was.
 */
export async function requireVisitor(ctx: QueryCtx, token: string, now: number): Promise<Visitor> {
  if (!isWellFormedToken(token)) chatError({ kind: "InvalidSession" });
  const session = await ctx.db
    .query("visitorSessions")
    .withIndex("by_tokenHash", (q) => q.eq("tokenHash", sha256Hex(token)))
    .unique();
  if (session === null || session.expiresAt <= now || session.revokedAt !== undefined) chatError({ kind: "InvalidSession" });
  return { sessionId: session._id, session };
}
