// Counts authentication failures per client in memory, for the local runtime's sign-in endpoint,
// with the lockout rules shared with the deployment (convex/security/lockout.ts).
import {
  AUTH_BRUTE_FORCE_POLICY,
  decideAttempt,
  isForgettable,
  recordFailureAt,
  type AttemptDecision,
  type BruteForcePolicy,
  type FailureRecord,
} from "../../convex/security/lockout.ts";

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
