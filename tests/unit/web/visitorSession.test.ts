// The visitor's chat session in the browser (src/lib/visitorSession.ts): what is stored, when a
// stored session is reused, when a new one is asked for, and that a bad server cannot cause a loop.
import { ConvexError } from "convex/values";
import { describe, expect, it } from "vitest";

import {
  boundedRetryMs,
  isSessionUsable,
  parseStoredSession,
  RENEW_BEFORE_MS,
  renewalDelayMs,
  serializeSession,
  VisitorSessionManager,
  type VisitorSession,
  type VisitorSessionStore,
} from "../../../src/lib/visitorSession.ts";

const NOW = 1_700_000_000_000;
const DAY = 24 * 60 * 60 * 1000;
const TOKEN_A = "A".repeat(43);
const TOKEN_B = "B".repeat(43);
const TOKEN_C = "C".repeat(43);

describe("stored sessions", () => {
  it("round-trips exactly the token and the expiry", () => {
    const session = { token: TOKEN_A, expiresAt: NOW + DAY };
    expect(parseStoredSession(serializeSession(session))).toEqual(session);
    expect(JSON.parse(serializeSession({ ...session, extra: 1 } as VisitorSession))).toEqual(session);
  });

  it.each([
    ["nothing stored", null],
    ["not JSON", "{token"],
    ["JSON null", "null"],
    ["a bare string", JSON.stringify(TOKEN_A)],
    ["no token", JSON.stringify({ expiresAt: NOW })],
    ["an empty token", JSON.stringify({ token: "", expiresAt: NOW })],
    ["a token that is not a string", JSON.stringify({ token: 42, expiresAt: NOW })],
    ["an oversized token", JSON.stringify({ token: "x".repeat(513), expiresAt: NOW })],
    ["no expiry", JSON.stringify({ token: TOKEN_A })],
    ["an expiry that is a string", JSON.stringify({ token: TOKEN_A, expiresAt: String(NOW) })],
    ["an expiry that is not finite", '{"token":"' + TOKEN_A + '","expiresAt":1e999}'],
  ])("reads %s as no session", (_name, raw) => {
    expect(parseStoredSession(raw)).toBeNull();
  });

  it.each([
    ["well before expiry", NOW + DAY, true],
    ["just outside the renewal margin", NOW + RENEW_BEFORE_MS + 1, true],
    ["inside the renewal margin", NOW + RENEW_BEFORE_MS, false],
    ["expired", NOW - 1, false],
  ])("a session %s is usable: %s", (_name, expiresAt, usable) => {
    expect(isSessionUsable({ token: TOKEN_A, expiresAt }, NOW)).toBe(usable);
  });

  it("renews at the margin before expiry, never in the past, and within what a timer can wait", () => {
    expect(renewalDelayMs({ token: TOKEN_A, expiresAt: NOW + 10 * 60_000 }, NOW)).toBe(10 * 60_000 - RENEW_BEFORE_MS);
    expect(renewalDelayMs({ token: TOKEN_A, expiresAt: NOW - DAY }, NOW)).toBe(0);
    expect(renewalDelayMs({ token: TOKEN_A, expiresAt: NOW + 365 * DAY }, NOW)).toBe(2_147_483_647);
  });

  it.each([
    [12_000, 12_000],
    [0, 1_000],
    [-5, 1_000],
    [Number.NaN, 1_000],
    ["12000", 1_000],
    [undefined, 1_000],
    [10 * DAY, DAY],
  ])("bounds a server retry delay of %s to %s ms", (input, expected) => {
    expect(boundedRetryMs(input)).toBe(expected);
  });
});

/** An in-memory store; `otherTab` writes the way another tab would (and fires the watch). */
function memoryStore(initial: string | null = null) {
  let value = initial;
  const watchers = new Set<() => void>();
  const store: VisitorSessionStore = {
    read: () => value,
    write: (next) => {
      value = next;
    },
    clear: () => {
      value = null;
    },
    watch: (onChange) => {
      watchers.add(onChange);
      return () => watchers.delete(onChange);
    },
  };
  return {
    store,
    get value() {
      return value;
    },
    otherTab(next: string | null) {
      value = next;
      for (const watcher of watchers) watcher();
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A manager over fakes: a manual clock and timers, and create calls answered by the test. */
function harness(stored: string | null = null) {
  const storage = memoryStore(stored);
  let now = NOW;
  const timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  const creates: Array<ReturnType<typeof deferred<VisitorSession>>> = [];
  const manager = new VisitorSessionManager({
    create: () => {
      const call = deferred<VisitorSession>();
      creates.push(call);
      return call.promise;
    },
    store: storage.store,
    now: () => now,
    setTimer: (callback, ms) => {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  return {
    manager,
    storage,
    creates,
    pendingTimers: () => timers.filter((timer) => !timer.cancelled),
    /** Moves the clock and fires the timers that are due, in order. */
    advance(ms: number) {
      now += ms;
      for (;;) {
        const due = timers.filter((timer) => !timer.cancelled && timer.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.cancelled = true;
        due.callback();
      }
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const invalid = () => new ConvexError({ kind: "InvalidSession" });
const rateLimited = (retryAfterMs: number) => new ConvexError({ kind: "RateLimited", scope: "sessionCreation", retryAfterMs });

describe("VisitorSessionManager", () => {
  it("reuses a stored session at once, without asking the server", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_A });
    h.manager.start();
    expect(h.creates).toHaveLength(0);
  });

  it.each([
    ["nothing is stored", null],
    ["the stored session expired", serializeSession({ token: TOKEN_A, expiresAt: NOW - 1 })],
    ["the stored session is about to expire", serializeSession({ token: TOKEN_A, expiresAt: NOW + 1_000 })],
    ["the stored value is damaged", "not json"],
  ])("asks the server for a session when %s, and stores it", async (_name, stored) => {
    const h = harness(stored);
    expect(h.manager.getSnapshot()).toEqual({ status: "starting" });
    h.manager.start();
    expect(h.creates).toHaveLength(1);
    h.creates[0].resolve({ token: TOKEN_B, expiresAt: NOW + DAY });
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_B });
    expect(parseStoredSession(h.storage.value)).toEqual({ token: TOKEN_B, expiresAt: NOW + DAY });
  });

  it("asks once even when started twice (React StrictMode runs effects twice)", () => {
    const h = harness();
    h.manager.start();
    h.manager.stop();
    h.manager.start();
    expect(h.creates).toHaveLength(1);
  });

  it("notifies subscribers of every change", async () => {
    const h = harness();
    const seen: string[] = [];
    h.manager.subscribe(() => seen.push(h.manager.getSnapshot().status));
    h.manager.start();
    h.creates[0].resolve({ token: TOKEN_A, expiresAt: NOW + DAY });
    await settle();
    expect(seen).toEqual(["starting", "ready"]);
  });

  it("waits out a rate-limited creation, says until when, and asks again by itself", async () => {
    const h = harness();
    h.manager.start();
    h.creates[0].reject(rateLimited(12_000));
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "rateLimited", retryAt: NOW + 12_000, retryAfterMs: 12_000 });
    h.advance(11_999);
    expect(h.creates).toHaveLength(1);
    h.advance(1);
    expect(h.creates).toHaveLength(2);
    h.creates[1].resolve({ token: TOKEN_A, expiresAt: NOW + DAY });
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_A });
  });

  it("fails without retrying when the server cannot be reached, until the visitor retries", async () => {
    const h = harness();
    h.manager.start();
    h.creates[0].reject(new Error("connection lost"));
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "failed", reason: "unreachable" });
    h.advance(DAY);
    expect(h.creates).toHaveLength(1);
    h.manager.retry();
    expect(h.creates).toHaveLength(2);
  });

  it("drops a session the server calls invalid and starts a new one", async () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    expect(h.manager.reportError(invalid(), TOKEN_A)).toBe(true);
    expect(h.storage.value).toBeNull();
    expect(h.manager.getSnapshot()).toEqual({ status: "starting" });
    expect(h.creates).toHaveLength(1);
    h.creates[0].resolve({ token: TOKEN_B, expiresAt: NOW + DAY });
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_B });
  });

  it("renews once for many failures of the same token (several subscriptions fail together)", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    for (let i = 0; i < 5; i++) expect(h.manager.reportError(invalid(), TOKEN_A)).toBe(true);
    expect(h.creates).toHaveLength(1);
  });

  it("does not renew again when the renewed session is rejected too: no loop", async () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    h.manager.reportError(invalid(), TOKEN_A);
    h.creates[0].resolve({ token: TOKEN_B, expiresAt: NOW + DAY });
    await settle();
    h.manager.reportError(invalid(), TOKEN_B);
    expect(h.manager.getSnapshot()).toEqual({ status: "failed", reason: "rejected" });
    expect(h.creates).toHaveLength(1);
    h.advance(DAY);
    expect(h.creates).toHaveLength(1);
    // The visitor may still choose to try again.
    h.manager.retry();
    expect(h.creates).toHaveLength(2);
  });

  it("a renewal that had to wait out a rate limit still counts as the one renewal", async () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    h.manager.reportError(invalid(), TOKEN_A);
    h.creates[0].reject(rateLimited(5_000));
    await settle();
    h.advance(5_000);
    h.creates[1].resolve({ token: TOKEN_B, expiresAt: NOW + DAY });
    await settle();
    h.manager.reportError(invalid(), TOKEN_B);
    expect(h.manager.getSnapshot()).toEqual({ status: "failed", reason: "rejected" });
    expect(h.creates).toHaveLength(2);
  });

  it("ignores failures that are not about the session, and reports of a token already replaced", async () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    expect(h.manager.reportError(new ConvexError({ kind: "ThreadNotFound" }), TOKEN_A)).toBe(false);
    expect(h.manager.reportError(new Error("Server Error"), TOKEN_A)).toBe(false);
    expect(h.manager.reportError(invalid(), TOKEN_C)).toBe(true);
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_A });
    expect(h.creates).toHaveLength(0);
  });

  it("renews a session shortly before it expires", async () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + 10 * 60_000 }));
    h.manager.start();
    h.advance(10 * 60_000 - RENEW_BEFORE_MS - 1);
    expect(h.creates).toHaveLength(0);
    h.advance(1);
    expect(h.creates).toHaveLength(1);
    h.creates[0].resolve({ token: TOKEN_B, expiresAt: NOW + DAY });
    await settle();
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_B });
  });

  it("re-arms instead of renewing when a long wait wakes early", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + 40 * DAY }));
    h.manager.start();
    h.advance(2_147_483_647);
    expect(h.creates).toHaveLength(0);
    expect(h.pendingTimers()).toHaveLength(1);
  });

  it("adopts a session another tab stored, and leaves its own when another tab stores garbage", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    h.storage.otherTab("garbage");
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_A });
    h.storage.otherTab(serializeSession({ token: TOKEN_B, expiresAt: NOW + DAY }));
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_B });
  });

  it("does not clear a session another tab already put in place of the invalid one", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + DAY }));
    h.manager.start();
    // Another tab renewed first, without this tab noticing yet.
    const replacement = serializeSession({ token: TOKEN_B, expiresAt: NOW + DAY });
    h.storage.store.write(replacement);
    h.manager.reportError(invalid(), TOKEN_A);
    expect(h.storage.value).toBe(replacement);
  });

  it("stops its timers and the cross-tab watch when stopped", () => {
    const h = harness(serializeSession({ token: TOKEN_A, expiresAt: NOW + 10 * 60_000 }));
    h.manager.start();
    h.manager.stop();
    expect(h.pendingTimers()).toHaveLength(0);
    h.storage.otherTab(serializeSession({ token: TOKEN_B, expiresAt: NOW + DAY }));
    expect(h.manager.getSnapshot()).toEqual({ status: "ready", token: TOKEN_A });
  });
});
