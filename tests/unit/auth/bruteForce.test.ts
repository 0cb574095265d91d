// @vitest-environment node
// Behaviour of the sign-in failure counter: 10 failures in a minute lock a client out for 5 minutes.
import { describe, expect, it } from "vitest";
import { BruteForceGuard } from "../../../local/auth/bruteForce.ts";
import { AUTH_BRUTE_FORCE_POLICY, decideAttempt, isForgettable, recordFailureAt, type FailureRecord } from "../../../convex/security/lockout.ts";

const T0 = 1_700_000_000_000;
const policy = AUTH_BRUTE_FORCE_POLICY;

function guardAt(start = T0) {
  let now = start;
  const guard = new BruteForceGuard({ now: () => now });
  return {
    guard,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("AUTH_BRUTE_FORCE_POLICY", () => {
  it("is the spec's policy", () => {
    expect(policy).toEqual({ maxFailures: 10, windowMs: 60_000, lockoutMs: 300_000 });
  });
});

describe("recordFailureAt", () => {
  it.each<[string, FailureRecord | undefined, number, FailureRecord]>([
    ["first failure opens a window", undefined, T0, { windowStartMs: T0, failures: 1, lockedUntilMs: null }],
    [
      "failure inside the window counts",
      { windowStartMs: T0, failures: 3, lockedUntilMs: null },
      T0 + 59_999,
      { windowStartMs: T0, failures: 4, lockedUntilMs: null },
    ],
    [
      "failure after the window opens a new one",
      { windowStartMs: T0, failures: 9, lockedUntilMs: null },
      T0 + 60_000,
      { windowStartMs: T0 + 60_000, failures: 1, lockedUntilMs: null },
    ],
    [
      "the tenth failure starts a lockout",
      { windowStartMs: T0, failures: 9, lockedUntilMs: null },
      T0 + 10_000,
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 310_000 },
    ],
    [
      "a failure during a lockout does not extend it",
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 },
      T0 + 200_000,
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 },
    ],
    [
      "a failure after the lockout opens a new window",
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 },
      T0 + 300_000,
      { windowStartMs: T0 + 300_000, failures: 1, lockedUntilMs: null },
    ],
  ])("%s", (_name, before, now, after) => {
    expect(recordFailureAt(before, now, policy)).toEqual(after);
  });
});

describe("decideAttempt", () => {
  it.each<[string, FailureRecord | undefined, number, ReturnType<typeof decideAttempt>]>([
    ["unknown client", undefined, T0, { allowed: true }],
    ["counting, not locked", { windowStartMs: T0, failures: 9, lockedUntilMs: null }, T0, { allowed: true }],
    [
      "locked",
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 },
      T0 + 1_000,
      { allowed: false, retryAfterMs: 299_000 },
    ],
    [
      "last millisecond of the lockout",
      { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 },
      T0 + 299_999,
      { allowed: false, retryAfterMs: 1 },
    ],
    ["lockout over", { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 }, T0 + 300_000, { allowed: true }],
  ])("%s", (_name, record, now, decision) => {
    expect(decideAttempt(record, now)).toEqual(decision);
  });
});

describe("isForgettable", () => {
  it.each<[string, FailureRecord, number, boolean]>([
    ["window running", { windowStartMs: T0, failures: 2, lockedUntilMs: null }, T0 + 59_999, false],
    ["window over", { windowStartMs: T0, failures: 2, lockedUntilMs: null }, T0 + 60_000, true],
    ["lockout running past the window", { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 }, T0 + 60_000, false],
    ["lockout over", { windowStartMs: T0, failures: 10, lockedUntilMs: T0 + 300_000 }, T0 + 300_000, true],
  ])("%s", (_name, record, now, expected) => {
    expect(isForgettable(record, now, policy)).toBe(expected);
  });
});

describe("BruteForceGuard", () => {
  it("allows ten failures, locks on the tenth, and unlocks five minutes later", () => {
    const { guard, advance } = guardAt();
    for (let i = 1; i <= 9; i++) {
      expect(guard.recordFailure("10.0.0.1")).toEqual({ lockoutStarted: false, remaining: 10 - i });
      expect(guard.check("10.0.0.1")).toEqual({ allowed: true });
      advance(1_000);
    }
    expect(guard.recordFailure("10.0.0.1")).toEqual({ lockoutStarted: true, remaining: 0 });
    expect(guard.check("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 300_000 });
    expect(guard.recordFailure("10.0.0.1")).toEqual({ lockoutStarted: false, remaining: 0 });
    advance(299_999);
    expect(guard.check("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 1 });
    advance(1);
    expect(guard.check("10.0.0.1")).toEqual({ allowed: true });
    expect(guard.recordFailure("10.0.0.1")).toEqual({ lockoutStarted: false, remaining: 9 });
  });

  it("does not lock when the failures fall in different windows", () => {
    const { guard, advance } = guardAt();
    for (let i = 0; i < 9; i++) guard.recordFailure("a");
    advance(60_000);
    for (let i = 0; i < 9; i++) expect(guard.recordFailure("a").lockoutStarted).toBe(false);
    expect(guard.check("a")).toEqual({ allowed: true });
  });

  it("keeps clients apart", () => {
    const { guard } = guardAt();
    for (let i = 0; i < 10; i++) guard.recordFailure("attacker");
    expect(guard.check("attacker").allowed).toBe(false);
    expect(guard.check("owner")).toEqual({ allowed: true });
  });

  it("forgets a client's failures after a success", () => {
    const { guard } = guardAt();
    for (let i = 0; i < 9; i++) guard.recordFailure("a");
    guard.recordSuccess("a");
    expect(guard.recordFailure("a")).toEqual({ lockoutStarted: false, remaining: 9 });
  });

  it("bounds the clients it tracks, dropping forgettable ones before live ones", () => {
    let now = T0;
    const guard = new BruteForceGuard({ now: () => now, maxTrackedClients: 2 });
    guard.recordFailure("stale");
    for (let i = 0; i < 10; i++) guard.recordFailure("locked");
    now += 60_000; // "stale" can now be forgotten; "locked" is still locked out
    guard.recordFailure("new");
    expect(guard.check("locked").allowed).toBe(false);
    // With only live records left, the least recently failing client makes room.
    guard.recordFailure("newer");
    expect(guard.check("locked")).toEqual({ allowed: true });
    expect(guard.recordFailure("new")).toEqual({ lockoutStarted: false, remaining: 8 });
  });
});
