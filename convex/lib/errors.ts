// Expected errors the browser must tell apart, thrown as `ConvexError(data)` by the server and read
// with the guards below by the web app. Messages never carry internal detail: the `kind` says
// what went wrong, the other fields what the visitor can do about it.
import { ConvexError, v, type Infer } from "convex/values";

export type InvalidSessionError = { kind: "InvalidSession" };
export type RateLimitedError = { kind: "RateLimited"; scope: "session" | "global" | "sessionCreation"; retryAfterMs: number };
export type MessageTooLongError = { kind: "MessageTooLong"; maxChars: number };
export type EmptyMessageError = { kind: "EmptyMessage" };
export type ThreadNotFoundError = { kind: "ThreadNotFound" };

export type ChatError = InvalidSessionError | RateLimitedError | MessageTooLongError | EmptyMessageError | ThreadNotFoundError;

/** Why a message was refused; `chat.sendMessage` returns it (a throw would roll back its log). */
export const vSendRefusal = v.union(
  v.object({ kind: v.literal("EmptyMessage") }),
  v.object({ kind: v.literal("MessageTooLong"), maxChars: v.number() }),
  v.object({ kind: v.literal("ThreadNotFound") }),
  v.object({ kind: v.literal("RateLimited"), scope: v.union(v.literal("session"), v.literal("global")), retryAfterMs: v.number() }),
);
export type SendRefusal = Infer<typeof vSendRefusal>;

/** Throws a typed chat error. */
export function chatError(data: ChatError): never {
  throw new ConvexError(data);
}

function dataOf(error: unknown): Record<string, unknown> | null {
  if (!(error instanceof ConvexError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : null;
}

export function isInvalidSessionError(error: unknown): error is ConvexError<InvalidSessionError> {
  return dataOf(error)?.kind === "InvalidSession";
}

export function isRateLimitedError(error: unknown): error is ConvexError<RateLimitedError> {
  return dataOf(error)?.kind === "RateLimited";
}

export function isMessageTooLongError(error: unknown): error is ConvexError<MessageTooLongError> {
  return dataOf(error)?.kind === "MessageTooLong";
}

export function isEmptyMessageError(error: unknown): error is ConvexError<EmptyMessageError> {
  return dataOf(error)?.kind === "EmptyMessage";
}

export function isThreadNotFoundError(error: unknown): error is ConvexError<ThreadNotFoundError> {
  return dataOf(error)?.kind === "ThreadNotFound";
}
