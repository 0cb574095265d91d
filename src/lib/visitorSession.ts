// The visitor's chat session in the browser: the token the server issued, kept in localStorage,
// reused across reloads and tabs, renewed when it expires or the server stops accepting it.
// Framework-free so its decisions are unit-tested; VisitorSessionProvider is the React glue.
// The token is a credential: nothing here logs it, and it goes nowhere but the session calls.
import { isInvalidSessionError, isRateLimitedError } from "../../convex/lib/errors";
import { createBrowserValueStore, type BrowserValueStore } from "./browserValueStore";

/** The localStorage key holding `{ token, expiresAt }`. */
export const VISITOR_SESSION_KEY = "clawsync.visitor.session";

/** A session is renewed this long before the server's expiry, so no call races the deadline. */
export const RENEW_BEFORE_MS = 60_000;

/** Longer than any token the server issues; a bigger stored value is damage, not a session. */
const MAX_TOKEN_CHARS = 512;

/** setTimeout fires at once for delays above 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/** Bounds for a server-supplied retry delay: at least a second, at most a day. */
const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 24 * 60 * 60 * 1000;

export interface VisitorSession {
  token: string;
  /** When the server stops accepting the token, in ms since the epoch. */
  expiresAt: number;
}

/** Reads a stored session; anything malformed (hand-edited, truncated, another format) is null. */
export function parseStoredSession(raw: string | null): VisitorSession | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { token, expiresAt } = value as Record<string, unknown>;
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_CHARS) return null;
  if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) return null;
  return { token, expiresAt };
}

/** The stored form of a session: exactly the two fields, nothing else. */
export function serializeSession(session: VisitorSession): string {
  return JSON.stringify({ token: session.token, expiresAt: session.expiresAt });
}

/** Whether a session can still be used, leaving the renewal margin before its expiry. */
export function isSessionUsable(session: VisitorSession, nowMs: number): boolean {
  return session.expiresAt - RENEW_BEFORE_MS > nowMs;
}

/** How long to wait before renewing, capped to what a browser timer can wait in one go. */
export function renewalDelayMs(session: VisitorSession, nowMs: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt - RENEW_BEFORE_MS - nowMs));
}

/** A server-supplied retry delay made safe to schedule (a bad value must not spin or stall). */
export function boundedRetryMs(retryAfterMs: unknown): number {
  if (typeof retryAfterMs !== "number" || !Number.isFinite(retryAfterMs)) return MIN_RETRY_MS;
  return Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, retryAfterMs));
}

/** Where the session is kept between page loads. */
export type VisitorSessionStore = BrowserValueStore;

/** localStorage, or memory for this tab when the browser refuses storage. */
export function createBrowserSessionStore(key: string = VISITOR_SESSION_KEY): VisitorSessionStore {
  return createBrowserValueStore(key);
}

export type VisitorSessionSnapshot =
  | { status: "starting" }
  | { status: "ready"; token: string }
  /** The server refused to start a session for now; the manager retries by itself at `retryAt`. */
  | { status: "rateLimited"; retryAt: number; retryAfterMs: number }
  /**
   * `unreachable`: the server could not be asked. `rejected`: the server refused a session it had
   * just issued, so renewing again would only loop. Either way the visitor decides to retry.
   */
  | { status: "failed"; reason: "unreachable" | "rejected" };

/**
 * How the current token was obtained. A token obtained by renewing after an InvalidSession is
 * not renewed again by itself: that is what keeps a misbehaving server from causing a loop.
 */
type Origin = "stored" | "created" | "renewed";

export interface VisitorSessionDeps {
  /** Asks the server for a new session (`visitorSessions.create`). */
  create(): Promise<VisitorSession>;
  store: VisitorSessionStore;
  now(): number;
  /** Runs `callback` after `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

/**
 * One per page. Holds the current session, creates one when there is none, renews it before it
 * expires and after the server reports it invalid (once), and shares it with other tabs.
 * Subscribe with `subscribe`/`getSnapshot` (React's useSyncExternalStore).
 */
export class VisitorSessionManager {
  private snapshot: VisitorSessionSnapshot = { status: "starting" };
  private current: { session: VisitorSession; origin: Origin } | null = null;
  /** The origin the session being created will have; non-null while a create call is in flight. */
  private creating: Origin | null = null;
  /** The origin a rate-limited creation keeps when it is retried. */
  private retryOrigin: Origin = "created";
  private cancelTimer: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  private running = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: VisitorSessionDeps) {
    // Synchronous, so the first render already has a stored session and shows no loading state.
    const stored = parseStoredSession(deps.store.read());
    if (stored && isSessionUsable(stored, deps.now())) {
      this.current = { session: stored, origin: "stored" };
      this.snapshot = { status: "ready", token: stored.token };
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): VisitorSessionSnapshot => this.snapshot;

  /** Starts timers and the cross-tab watch, and creates a session if there is none. Idempotent. */
  start = (): void => {
    if (this.running) return;
    this.running = true;
    this.unwatch = this.deps.store.watch(() => this.adoptFromStore());
    if (this.current) this.scheduleRenewal();
    else if (this.snapshot.status === "rateLimited") this.scheduleRetry(this.snapshot.retryAt);
    else if (this.snapshot.status === "starting") this.create("created");
  };

  /** Stops timers and the watch. A create call already in flight still completes and is kept. */
  stop = (): void => {
    this.running = false;
    this.unwatch?.();
    this.unwatch = null;
    this.clearTimer();
  };

  /**
   * Tells the manager that a call made with `token` failed. Returns true when the failure was an
   * InvalidSession (the caller should not show it as a failure of its own): the session is
   * dropped and a new one created, once; a token from that renewal failing too ends in `failed`.
   */
  reportError = (error: unknown, token: string): boolean => {
    if (!isInvalidSessionError(error)) return false;
    // Several subscriptions fail together with the same token: only the first one acts.
    if (this.current === null || this.current.session.token !== token) return true;
    const { origin } = this.current;
    this.forget(token);
    if (origin === "renewed") {
      this.clearTimer();
      this.set({ status: "failed", reason: "rejected" });
    } else {
      this.create("renewed");
    }
    return true;
  };

  /** The visitor's "Try again" after a failure. */
  retry = (): void => {
    if (this.snapshot.status === "failed") this.create("created");
  };

  private create(origin: Origin): void {
    if (this.creating !== null) return;
    this.creating = origin;
    this.clearTimer();
    this.set({ status: "starting" });
    this.deps.create().then(
      (session) => {
        this.creating = null;
        this.current = { session, origin };
        this.deps.store.write(serializeSession(session));
        this.set({ status: "ready", token: session.token });
        this.scheduleRenewal();
      },
      (error: unknown) => {
        this.creating = null;
        // Another tab may have shared a session meanwhile; it stands.
        if (this.current) return;
        if (isRateLimitedError(error)) {
          const retryAfterMs = boundedRetryMs(error.data.retryAfterMs);
          const retryAt = this.deps.now() + retryAfterMs;
          this.retryOrigin = origin;
          this.set({ status: "rateLimited", retryAt, retryAfterMs });
          this.scheduleRetry(retryAt);
        } else {
          this.set({ status: "failed", reason: "unreachable" });
        }
      },
    );
  }

  /** Another tab stored a session (first visit, or a renewal): use it, so both tabs agree. */
  private adoptFromStore(): void {
    const stored = parseStoredSession(this.deps.store.read());
    if (!stored || !isSessionUsable(stored, this.deps.now())) return;
    if (this.current?.session.token === stored.token) return;
    this.current = { session: stored, origin: "stored" };
    this.set({ status: "ready", token: stored.token });
    this.scheduleRenewal();
  }

  /** Drops a session the server no longer accepts, unless another tab already replaced it. */
  private forget(token: string): void {
    this.current = null;
    if (parseStoredSession(this.deps.store.read())?.token === token) this.deps.store.clear();
  }

  private scheduleRenewal(): void {
    this.clearTimer();
    if (!this.running || this.current === null) return;
    const { session } = this.current;
    const delay = renewalDelayMs(session, this.deps.now());
    this.cancelTimer = this.deps.setTimer(() => {
      this.cancelTimer = null;
      if (this.current?.session.token !== session.token) return;
      if (isSessionUsable(session, this.deps.now())) {
        // Woken early (a wait longer than one timer can hold): wait again.
        this.scheduleRenewal();
        return;
      }
      this.forget(session.token);
      this.create("created");
    }, delay);
  }

  private scheduleRetry(retryAt: number): void {
    this.clearTimer();
    if (!this.running) return;
    this.cancelTimer = this.deps.setTimer(
      () => {
        this.cancelTimer = null;
        if (this.snapshot.status === "rateLimited") this.create(this.retryOrigin);
      },
      Math.max(0, retryAt - this.deps.now()),
    );
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private set(snapshot: VisitorSessionSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}
