// Counts authentication failures per client in fixed windows and locks a client out after too many
// (spec finding HIGH-06). Pure bookkeeping: no I/O, and the clock is injected so tests control time.

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

/** Options of {@link BruteForceGuard}. */
export interface BruteForceGuardOptions {
  policy?: BruteForcePolicy;
  now?: () => number;
  /** Bound on tracked clients, so a flood of distinct client keys cannot exhaust memory. */
  maxTrackedClients?: number;
}

/** Result of {@link BruteForceGuard.recordFailure}. */
export interface FailureOutcome {
  /** True only for the failure that started a lockout, so the caller logs the lockout once. */
  lockoutStarted: boolean;
  /** Remaining failures before a lockout (0 once locked). */
  remaining: number;
}

/** In-memory failure counters keyed by client (the remote address), over the pure functions above. */
export class BruteForceGuard {
  private readonly records = new Map<string, FailureRecord>();
  private readonly policy: BruteForcePolicy;
  private readonly now: () => number;
  private readonly maxTrackedClients: number;

  constructor(options: BruteForceGuardOptions = {}) {
    this.policy = options.policy ?? AUTH_BRUTE_FORCE_POLICY;
    this.now = options.now ?? Date.now;
    this.maxTrackedClients = options.maxTrackedClients ?? 10_000;
  }

  /** Whether `clientKey` may attempt to authenticate now. */
  check(clientKey: string): AttemptDecision {
    return decideAttempt(this.records.get(clientKey), this.now());
  }

  /** Counts one failed attempt by `clientKey`. */
  recordFailure(clientKey: string): FailureOutcome {
    const now = this.now();
    const before = this.records.get(clientKey);
    const after = recordFailureAt(before, now, this.policy);
    // Delete first so the Map's insertion order stays "least recently failed first" for eviction.
    this.records.delete(clientKey);
    this.makeRoom(now);
    this.records.set(clientKey, after);
    const lockoutStarted = after.lockedUntilMs !== null && after !== before;
    return { lockoutStarted, remaining: Math.max(0, this.policy.maxFailures - after.failures) };
  }

  /** Forgets `clientKey`'s failures after a successful attempt. */
  recordSuccess(clientKey: string): void {
    this.records.delete(clientKey);
  }

  private makeRoom(now: number): void {
    if (this.records.size < this.maxTrackedClients) return;
    for (const [key, record] of this.records) {
      if (isForgettable(record, now, this.policy)) this.records.delete(key);
    }
    // Still full of live records: drop the least recently failing client rather than grow.
    const oldest = this.records.keys().next();
    if (this.records.size >= this.maxTrackedClients && oldest.done !== true) this.records.delete(oldest.value);
  }
}
