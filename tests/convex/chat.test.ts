// The public chat's server side: visitor sessions (missing, forged, expired), every chat function
// refusing another session's threads without confirming they exist, the message length and rate
// limits (a refusal stores nothing and calls no model), and the activity log.
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => {
  vi.useFakeTimers();
  process.env.LOCAL_MODEL_CHUNK_DELAY_MS = "0";
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.LOCAL_MODEL_CHUNK_DELAY_MS;
});

async function newVisitor(t: Deployment): Promise<string> {
  return (await t.action(api.visitorSessions.create, {})).token;
}

async function settle(t: Deployment): Promise<void> {
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

/** Every row count a refused message must leave unchanged. */
async function chatState(t: Deployment) {
  return await t.run(async (ctx) => ({
    conversations: (await ctx.db.query("conversations").collect()).map(({ messageCount, lastMessageAt }) => ({ messageCount, lastMessageAt })),
    activity: (await ctx.db.query("activityLog").collect()).length,
    jobs: (await ctx.db.system.query("_scheduled_functions").collect()).length,
  }));
}

async function threadMessages(t: Deployment, token: string, threadId: string) {
  const result = await t.query(api.chat.listMessages, { sessionToken: token, threadId, paginationOpts: { numItems: 50, cursor: null } });
  return result.page as { role: string; text: string; status: string }[];
}

function errorKind(error: unknown): string | undefined {
  return error instanceof ConvexError ? (error.data as { kind?: string }).kind : undefined;
}

describe("visitor sessions", () => {
  it("issues a 256-bit token and stores only its hash", async () => {
    const t = newDeployment();
    const { token, expiresAt } = await t.action(api.visitorSessions.create, {});
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const sessions = await t.run(async (ctx) => await ctx.db.query("visitorSessions").collect());
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(sessions[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  const forged = "A".repeat(43);
  const invalidTokens: [string, (t: Deployment) => Promise<string>][] = [
    ["a missing token", async () => ""],
    ["a malformed token", async () => "not a token"],
    ["a forged token", async () => forged],
    [
      "an expired token",
      async (t) => {
        const token = await newVisitor(t);
        await t.run(async (ctx) => {
          const session = (await ctx.db.query("visitorSessions").first())!;
          await ctx.db.patch("visitorSessions", session._id, { expiresAt: Date.now() - 1 });
        });
        return token;
      },
    ],
    [
      "a revoked token",
      async (t) => {
        const token = await newVisitor(t);
        await t.run(async (ctx) => {
          const session = (await ctx.db.query("visitorSessions").first())!;
          await ctx.db.patch("visitorSessions", session._id, { revokedAt: Date.now() });
        });
        return token;
      },
    ],
  ];

  it.each(invalidTokens)("refuses %s on every chat function, changing nothing", async (_name, makeToken) => {
    const t = newDeployment();
    const sessionToken = await makeToken(t);
    const before = await chatState(t);
    const calls = [
      () => t.query(api.chat.listThreads, { sessionToken }),
      () => t.mutation(api.chat.createThread, { sessionToken }),
      () => t.query(api.chat.listMessages, { sessionToken, threadId: "x", paginationOpts: { numItems: 5, cursor: null } }),
      () => t.mutation(api.chat.sendMessage, { sessionToken, threadId: "x", text: "hello" }),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(errorKind(error)).toBe("InvalidSession");
    }
    expect(await chatState(t)).toEqual(before);
  });

  it("rate limits session creation for all callers together", async () => {
    const t = newDeployment();
    await t.run(async (ctx) => {
      await ctx.db.insert("rateLimitConfig", { name: "sessionCreation", kind: "token bucket", rate: 2, period: 60_000, capacity: 2, updatedAt: Date.now() });
    });
    await newVisitor(t);
    await newVisitor(t);
    const error = await t.action(api.visitorSessions.create, {}).catch((e: unknown) => e);
    expect((error as ConvexError<{ kind: string; scope: string; retryAfterMs: number }>).data).toMatchObject({ kind: "RateLimited", scope: "sessionCreation" });
    const counts = await t.run(async (ctx) => ({
      sessions: (await ctx.db.query("visitorSessions").collect()).length,
      events: (await ctx.db.query("securityEvents").collect()).map((event) => event.code),
    }));
    expect(counts).toEqual({ sessions: 2, events: ["RATE_LIMIT_SESSION_CREATE"] });
  });
});

describe("isolation between visitors", () => {
  async function twoVisitors() {
    const t = newDeployment();
    const alice = await newVisitor(t);
    const bob = await newVisitor(t);
    const { threadId } = await t.mutation(api.chat.createThread, { sessionToken: alice });
    await t.mutation(api.chat.sendMessage, { sessionToken: alice, threadId, text: "a private question" });
    await settle(t);
    return { t, alice, bob, threadId };
  }

  it("lists only the visitor's own threads", async () => {
    const { t, alice, bob, threadId } = await twoVisitors();
    expect((await t.query(api.chat.listThreads, { sessionToken: alice })).map((thread) => thread.threadId)).toEqual([threadId]);
    expect(await t.query(api.chat.listThreads, { sessionToken: bob })).toEqual([]);
  });

  it("answers another visitor's thread exactly as it answers a thread that does not exist", async () => {
    const { t, bob, threadId } = await twoVisitors();
    const unknown = "j57" + threadId.slice(3);
    const list = (id: string) => t.query(api.chat.listMessages, { sessionToken: bob, threadId: id, paginationOpts: { numItems: 10, cursor: null } });
    expect(await list(threadId)).toEqual(await list(unknown));
    expect(await list(threadId)).toEqual({ page: [], isDone: true, continueCursor: "" });
    const send = (id: string) => t.mutation(api.chat.sendMessage, { sessionToken: bob, threadId: id, text: "let me in" });
    expect(await send(threadId)).toEqual({ ok: false, error: { kind: "ThreadNotFound" } });
    expect(await send(unknown)).toEqual({ ok: false, error: { kind: "ThreadNotFound" } });
  });

  it("leaves the owner's thread untouched by another visitor's attempts", async () => {
    const { t, alice, bob, threadId } = await twoVisitors();
    const before = await threadMessages(t, alice, threadId);
    await t.mutation(api.chat.sendMessage, { sessionToken: bob, threadId, text: "injected" });
    await settle(t);
    expect(await threadMessages(t, alice, threadId)).toEqual(before);
  });
});

describe("sending a message", () => {
  async function visitorWithThread() {
    const t = newDeployment();
    const sessionToken = await newVisitor(t);
    const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
    return { t, sessionToken, threadId };
  }

  it("stores the message, replies through the agent and logs both privately", async () => {
    const { t, sessionToken, threadId } = await visitorWithThread();
    const sent = await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "Hello there" });
    expect(sent.ok).toBe(true);
    await settle(t);
    const messages = await threadMessages(t, sessionToken, threadId);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[0].text).toBe("Hello there");
    expect(messages[1].text.length).toBeGreaterThan(0);
    expect(messages[1].status).toBe("success");
    const activity = await t.run(async (ctx) => await ctx.db.query("activityLog").collect());
    expect(activity.map((entry) => entry.kind)).toEqual(["chat.message", "chat.reply"]);
    for (const entry of activity) {
      expect(entry.visibility).toBe("private");
      expect(entry.summary).not.toContain("Hello there");
    }
    expect(await t.query(api.activity.listPublic, {})).toEqual([]);
    expect((await t.query(api.chat.listThreads, { sessionToken }))[0]).toMatchObject({ threadId, title: "Hello there" });
  });

  it.each([
    ["an empty message", "   ", { kind: "EmptyMessage" }],
    ["a message over 4000 characters", "x".repeat(4001), { kind: "MessageTooLong", maxChars: 4000 }],
  ])("refuses %s, storing nothing and calling no model", async (_name, text, error) => {
    const { t, sessionToken, threadId } = await visitorWithThread();
    const before = await chatState(t);
    expect(await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text })).toEqual({ ok: false, error });
    await settle(t);
    expect(await chatState(t)).toEqual(before);
    expect(await threadMessages(t, sessionToken, threadId)).toEqual([]);
  });

  it("accepts exactly 4000 characters", async () => {
    const { t, sessionToken, threadId } = await visitorWithThread();
    expect((await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "y".repeat(4000) })).ok).toBe(true);
  });

  it("refuses the eleventh message in a minute from one session, storing nothing and logging the violation", async () => {
    const { t, sessionToken, threadId } = await visitorWithThread();
    for (let i = 0; i < 10; i++) expect((await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: `m${i}` })).ok).toBe(true);
    const before = await chatState(t);
    const refused = await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "one too many" });
    expect(refused).toMatchObject({ ok: false, error: { kind: "RateLimited", scope: "session" } });
    if (!refused.ok && refused.error.kind === "RateLimited") expect(refused.error.retryAfterMs).toBeGreaterThan(0);
    expect(await chatState(t)).toEqual(before);
    const events = await t.run(async (ctx) => await ctx.db.query("securityEvents").collect());
    expect(events.map((event) => [event.code, event.caller?.kind])).toEqual([["RATE_LIMIT_CHAT_SESSION", "visitor"]]);
    // Another session still gets through: the limit is per session.
    const other = await newVisitor(t);
    const { threadId: otherThread } = await t.mutation(api.chat.createThread, { sessionToken: other });
    expect((await t.mutation(api.chat.sendMessage, { sessionToken: other, threadId: otherThread, text: "hi" })).ok).toBe(true);
  });

  it("applies the global limit across sessions, read from the rate limit table", async () => {
    const t = newDeployment();
    await t.run(async (ctx) => {
      await ctx.db.insert("rateLimitConfig", { name: "global", kind: "token bucket", rate: 3, period: 60_000, capacity: 3, updatedAt: Date.now() });
    });
    const results = [];
    for (let i = 0; i < 4; i++) {
      const sessionToken = await newVisitor(t);
      const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
      results.push(await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "hi" }));
    }
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ ok: false, error: { kind: "RateLimited", scope: "global" } });
  });

  it("reads the per-session limit from the rate limit table, so owners can change it", async () => {
    const { t, sessionToken, threadId } = await visitorWithThread();
    await t.run(async (ctx) => {
      await ctx.db.insert("rateLimitConfig", { name: "chatPerSession", kind: "token bucket", rate: 2, period: 60_000, capacity: 2, updatedAt: Date.now() });
    });
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: `m${i}` })).ok);
    expect(results).toEqual([true, true, false]);
  });
});

describe("the soul document", () => {
  it("applies an edit to the very next reply", async () => {
    const t = newDeployment();
    const sessionToken = await newVisitor(t);
    const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
    await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "Who are you?" });
    await settle(t);
    await t.mutation(internal.agentSettings.setSoul, { content: "# Zephyr\n\nYou are Zephyr, the lighthouse keeper's helper." });
    await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "Who are you?" });
    await settle(t);
    const replies = (await threadMessages(t, sessionToken, threadId)).filter((m) => m.role === "assistant");
    expect(replies[0].text).not.toContain("Zephyr");
    expect(replies[1].text).toContain("Zephyr");
    const activity = await t.run(async (ctx) => await ctx.db.query("activityLog").collect());
    expect(activity.map((entry) => entry.kind)).toContain("soul.updated");
  });
});

describe("session expiry", () => {
  it("deletes expired sessions in bounded batches and keeps live ones", async () => {
    const t = newDeployment();
    const live = await newVisitor(t);
    await t.run(async (ctx) => {
      for (let i = 0; i < 520; i++) await ctx.db.insert("visitorSessions", { tokenHash: `expired-${i}`, expiresAt: Date.now() - 1000, lastSeenAt: 0 });
    });
    expect(await t.mutation(internal.visitorSessions.expire, {})).toBe(500);
    await settle(t);
    const remaining = await t.run(async (ctx) => await ctx.db.query("visitorSessions").collect());
    expect(remaining).toHaveLength(1);
    expect(await t.query(api.chat.listThreads, { sessionToken: live })).toEqual([]);
  });
});
