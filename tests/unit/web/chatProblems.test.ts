// What the chat page says when something did not happen (src/lib/chat/chatProblems.ts): the
// server's typed refusals and errors, the client's own refusals, and the countdown wording.
import { ConvexError } from "convex/values";
import { describe, expect, it } from "vitest";

import {
  describeProblem,
  draftProblem,
  problemExpired,
  problemFromError,
  problemFromRefusal,
  type ChatProblem,
} from "../../../src/lib/chat/chatProblems.ts";
import { formatCountdown, formatCountdownSpoken } from "../../../src/lib/chat/countdown.ts";

const NOW = 1_700_000_000_000;
const MAX = 4000;

describe("draftProblem: what the composer refuses before sending", () => {
  it.each([
    ["an empty box", "", { kind: "EmptyMessage" }],
    ["only whitespace", " \n\t ", { kind: "EmptyMessage" }],
    ["one character over the limit", "x".repeat(MAX + 1), { kind: "MessageTooLong", maxChars: MAX }],
    ["over the limit only because of surrounding spaces", ` ${"x".repeat(MAX)}`, { kind: "MessageTooLong", maxChars: MAX }],
  ])("refuses %s", (_name, text, expected) => {
    expect(draftProblem(text, MAX)).toEqual(expected);
  });

  it.each([
    ["a short message", "hello"],
    ["exactly the limit", "x".repeat(MAX)],
  ])("accepts %s", (_name, text) => {
    expect(draftProblem(text, MAX)).toBeNull();
  });
});

describe("problemFromRefusal: sendMessage's { ok: false, error }", () => {
  it.each<[string, unknown, ChatProblem]>([
    ["EmptyMessage", { kind: "EmptyMessage" }, { kind: "EmptyMessage" }],
    ["MessageTooLong with the server's limit", { kind: "MessageTooLong", maxChars: 2000 }, { kind: "MessageTooLong", maxChars: 2000 }],
    ["MessageTooLong without a usable limit", { kind: "MessageTooLong", maxChars: -1 }, { kind: "MessageTooLong", maxChars: MAX }],
    ["ThreadNotFound", { kind: "ThreadNotFound" }, { kind: "ThreadNotFound" }],
    ["InvalidSession", { kind: "InvalidSession" }, { kind: "InvalidSession" }],
    [
      "a per-session rate limit",
      { kind: "RateLimited", scope: "session", retryAfterMs: 12_000 },
      { kind: "RateLimited", scope: "session", retryAfterMs: 12_000, retryAt: NOW + 12_000 },
    ],
    [
      "the global rate limit",
      { kind: "RateLimited", scope: "global", retryAfterMs: 2_500 },
      { kind: "RateLimited", scope: "global", retryAfterMs: 2_500, retryAt: NOW + 2_500 },
    ],
    [
      "a rate limit with a nonsense delay and scope",
      { kind: "RateLimited", scope: "everyone", retryAfterMs: "soon" },
      { kind: "RateLimited", scope: "session", retryAfterMs: 1_000, retryAt: NOW + 1_000 },
    ],
    ["an unknown kind", { kind: "Exploded" }, { kind: "Unknown" }],
    ["no object at all", "nope", { kind: "Unknown" }],
    ["null", null, { kind: "Unknown" }],
  ])("%s", (_name, refusal, expected) => {
    expect(problemFromRefusal(refusal, NOW, MAX)).toEqual(expected);
  });
});

describe("problemFromError: a thrown error", () => {
  it.each<[string, unknown, ChatProblem]>([
    ["a typed InvalidSession", new ConvexError({ kind: "InvalidSession" }), { kind: "InvalidSession" }],
    ["a typed ThreadNotFound", new ConvexError({ kind: "ThreadNotFound" }), { kind: "ThreadNotFound" }],
    [
      "a typed RateLimited",
      new ConvexError({ kind: "RateLimited", scope: "global", retryAfterMs: 30_000 }),
      { kind: "RateLimited", scope: "global", retryAfterMs: 30_000, retryAt: NOW + 30_000 },
    ],
    ["a ConvexError of another kind", new ConvexError({ kind: "Forbidden" }), { kind: "Unknown" }],
    ["a ConvexError with a string", new ConvexError("nope"), { kind: "Unknown" }],
    ["a plain object that looks typed (not from the server)", { data: { kind: "InvalidSession" } }, { kind: "Unknown" }],
    ["a network failure", new Error("Connection lost while action was in flight"), { kind: "Unknown" }],
  ])("%s", (_name, error, expected) => {
    expect(problemFromError(error, NOW, MAX)).toEqual(expected);
  });
});

describe("describeProblem: the sentences", () => {
  const limited = (scope: "session" | "global" | "sessionCreation"): ChatProblem => ({
    kind: "RateLimited",
    scope,
    retryAfterMs: 12_000,
    retryAt: NOW + 12_000,
  });

  it.each<[ChatProblem, string]>([
    [{ kind: "EmptyMessage" }, "Type a message first."],
    [{ kind: "MessageTooLong", maxChars: 4000 }, "Your message is too long: the limit is 4,000 characters. Shorten it and send it again."],
    [{ kind: "ThreadNotFound" }, "This conversation is not available. Start a new conversation to keep chatting."],
    [{ kind: "Unknown" }, "That did not work. Check your connection and try again."],
    [limited("session"), "Too many messages — try again in 12 s."],
    [limited("global"), "The agent is busy with many visitors right now — try again in 12 s."],
    [limited("sessionCreation"), "Too many new visitors right now — try again in 12 s."],
  ])("%j reads %j", (problem, text) => {
    expect(describeProblem(problem, NOW).text).toBe(text);
  });

  it("counts a rate limit down, and announces the original wait once in words", () => {
    const problem = limited("session");
    expect(describeProblem(problem, NOW + 4_200).text).toBe("Too many messages — try again in 8 s.");
    expect(describeProblem(problem, NOW + 4_200).spoken).toBe("Too many messages. Try again in 12 seconds.");
  });

  it("says a rate limit is over once its time has come, and nothing else ever expires", () => {
    const problem = limited("session");
    expect(problemExpired(problem, NOW + 11_999)).toBe(false);
    expect(problemExpired(problem, NOW + 12_000)).toBe(true);
    expect(problemExpired({ kind: "ThreadNotFound" }, NOW + 1e9)).toBe(false);
  });
});

describe("formatCountdown", () => {
  it.each([
    [12_000, "12 s"],
    [11_001, "12 s"],
    [400, "1 s"],
    [0, "1 s"],
    [-3_000, "1 s"],
    [Number.NaN, "1 s"],
    [59_000, "59 s"],
    [60_000, "1 min"],
    [125_000, "2 min 5 s"],
    [3_599_000, "59 min 59 s"],
    [3_600_000, "1 h"],
    [3_600_001, "1 h 1 min"],
    [5_400_000, "1 h 30 min"],
  ])("%s ms reads %s", (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it.each([
    [1_000, "1 second"],
    [12_000, "12 seconds"],
    [90_000, "2 minutes"],
    [3_600_000, "1 hour"],
    [5_400_000, "2 hours"],
  ])("%s ms is spoken as %s", (ms, text) => {
    expect(formatCountdownSpoken(ms)).toBe(text);
  });
});
