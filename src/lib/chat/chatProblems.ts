// Why a chat action did not happen, in the visitor's words. The server decides and says so with a
// typed error (convex/lib/errors.ts); this maps it to what the page shows. Never the server's text.
import { ConvexError } from "convex/values";
import {
  isEmptyMessageError,
  isInvalidSessionError,
  isMessageTooLongError,
  isRateLimitedError,
  isThreadNotFoundError,
} from "../../../convex/lib/errors";
import { boundedRetryMs } from "../visitorSession";
import { formatCountdown, formatCountdownSpoken } from "./countdown";

export type RateLimitScope = "session" | "global" | "sessionCreation";

export type ChatProblem =
  | { kind: "EmptyMessage" }
  | { kind: "MessageTooLong"; maxChars: number }
  /** `retryAt` is on this browser's clock: now plus the server's `retryAfterMs`. */
  | { kind: "RateLimited"; scope: RateLimitScope; retryAfterMs: number; retryAt: number }
  | { kind: "ThreadNotFound" }
  /** The session ended; a new one is being started and the action can be repeated. */
  | { kind: "InvalidSession" }
  /** Anything else: no answer, a server failure, an error kind this page does not know. */
  | { kind: "Unknown" };

export type ChatProblemKind = ChatProblem["kind"];

const numberFormat = new Intl.NumberFormat("en-US");

/** A refusal the client can see before sending: nothing typed, or more than the limit. */
export function draftProblem(text: string, maxChars: number): ChatProblem | null {
  if (text.trim().length === 0) return { kind: "EmptyMessage" };
  if (text.length > maxChars) return { kind: "MessageTooLong", maxChars };
  return null;
}

/**
 * A problem from a refusal the server returned (`{ ok: false, error }`) or threw (ConvexError).
 * `fallbackMaxChars` stands in when a MessageTooLong arrives without a usable limit.
 */
export function problemFromRefusal(refusal: unknown, nowMs: number, fallbackMaxChars: number): ChatProblem {
  if (typeof refusal !== "object" || refusal === null) return { kind: "Unknown" };
  const data = refusal as Record<string, unknown>;
  switch (data.kind) {
    case "EmptyMessage":
      return { kind: "EmptyMessage" };
    case "MessageTooLong":
      return { kind: "MessageTooLong", maxChars: positiveInteger(data.maxChars) ?? fallbackMaxChars };
    case "ThreadNotFound":
      return { kind: "ThreadNotFound" };
    case "InvalidSession":
      return { kind: "InvalidSession" };
    case "RateLimited": {
      const retryAfterMs = boundedRetryMs(data.retryAfterMs);
      const scope: RateLimitScope =
        data.scope === "global" || data.scope === "sessionCreation" ? data.scope : "session";
      return { kind: "RateLimited", scope, retryAfterMs, retryAt: nowMs + retryAfterMs };
    }
    default:
      return { kind: "Unknown" };
  }
}

/** A problem from a thrown error: typed chat errors by their guards, everything else Unknown. */
export function problemFromError(error: unknown, nowMs: number, fallbackMaxChars: number): ChatProblem {
  const known =
    isInvalidSessionError(error) ||
    isRateLimitedError(error) ||
    isMessageTooLongError(error) ||
    isEmptyMessageError(error) ||
    isThreadNotFoundError(error);
  if (known && error instanceof ConvexError) return problemFromRefusal(error.data, nowMs, fallbackMaxChars);
  return { kind: "Unknown" };
}

/** Whether a problem has run its course: a rate limit whose wait is over. */
export function problemExpired(problem: ChatProblem, nowMs: number): boolean {
  return problem.kind === "RateLimited" && nowMs >= problem.retryAt;
}

export interface ProblemText {
  /** What is shown; for a rate limit it includes the live countdown. */
  text: string;
  /** For a rate limit, the same sentence with the wait in words, announced once. */
  spoken: string;
}

/** The sentence shown for a problem at `nowMs`. */
export function describeProblem(problem: ChatProblem, nowMs: number): ProblemText {
  const same = (text: string): ProblemText => ({ text, spoken: text });
  switch (problem.kind) {
    case "EmptyMessage":
      return same("Type a message first.");
    case "MessageTooLong":
      return same(
        `Your message is too long: the limit is ${numberFormat.format(problem.maxChars)} characters. Shorten it and send it again.`,
      );
    case "ThreadNotFound":
      return same("This conversation is not available. Start a new conversation to keep chatting.");
    case "InvalidSession":
      return same("Your chat session had ended, so a new one is being started. Your message was not sent: send it again.");
    case "Unknown":
      return same("That did not work. Check your connection and try again.");
    case "RateLimited": {
      const remaining = problem.retryAt - nowMs;
      const lead = RATE_LIMIT_LEAD[problem.scope];
      return {
        text: `${lead} — try again in ${formatCountdown(remaining)}.`,
        spoken: `${lead}. Try again in ${formatCountdownSpoken(problem.retryAfterMs)}.`,
      };
    }
  }
}

const RATE_LIMIT_LEAD: Record<RateLimitScope, string> = {
  session: "Too many messages",
  global: "The agent is busy with many visitors right now",
  sessionCreation: "Too many new visitors right now",
};

function positiveInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}
