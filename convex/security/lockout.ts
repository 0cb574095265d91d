// Lockout bookkeeping for authentication failures (spec finding HIGH-06): a fixed window of
// failures per subject, and a lockout once the window's limit is reached. Pure, with the clock
// passed in: the local runtime's sign-in endpoint keeps records in memory, the deployment's claim
// codes in the authLockouts table, and both decide with these functions.

/** How many failures a client may make, over what window, and how long the lockout lasts. */
export interface BruteForcePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

/** The product's sign-in policy: 10 failures within a minute lock the client out for 5 minutes. */
export const AUTH_BRUTE_FORCE_POLICY: BruteForcePolicy = Object.freeze({
  maxFailures: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
});

/** One client's state. `lockedUntilMs` is set once `failures` reaches the policy's maximum. */
export interface FailureRecord {
  readonly windowStartMs: number;
  readonly failures: number;
  readonly lockedUntilMs: number | null;
}

/** Whether a client may attempt to authenticate now. */
export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Decides whether a client with `record` may attempt now: refused only while a lockout runs. */
export function decideAttempt(record: FailureRecord | undefined, nowMs: number): AttemptDecision {
  if (record?.lockedUntilMs != null && nowMs < record.lockedUntilMs) {
    return { allowed: false, retryAfterMs: record.lockedUntilMs - nowMs };
  }
  return { allowed: true };
}

/**
 * Returns the record after one more failure at `nowMs`. A failure after the window (or a finished
 * lockout) starts a new window; the failure that reaches `maxFailures` starts the lockout.
 */
export function recordFailureAt(
  record: FailureRecord | undefined,
  nowMs: number,
  policy: BruteForcePolicy,
): FailureRecord {
  if (record === undefined || isForgettable(record, nowMs, policy)) {
    return makeRecord(nowMs, 1, nowMs, policy);
  }
  if (record.lockedUntilMs !== null) return record; // already locked: attempts are refused before they count
  return makeRecord(record.windowStartMs, record.failures + 1, nowMs, policy);
}

/** True when a record carries no information any more: its window is over and no lockout runs. */
export function isForgettable(record: FailureRecord, nowMs: number, policy: BruteForcePolicy): boolean {
  if (record.lockedUntilMs !== null) return nowMs >= record.lockedUntilMs;
  return nowMs >= record.windowStartMs + policy.windowMs;
}

function makeRecord(windowStartMs: number, failures: number, nowMs: number, policy: BruteForcePolicy): FailureRecord {
  const lockedUntilMs = failures >= policy.maxFailures ? nowMs + policy.lockoutMs : null;
  return { windowStartMs, failures, lockedUntilMs };
}
