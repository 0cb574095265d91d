// The owner's session with the local identity provider: refresh token persisted, access token in memory.
import type { LocalAuthApi, LocalAuthFailure, LocalTokens } from "./localAuthApi";
import type { RefreshTokenStore } from "./refreshTokenStore";

/** A cached access token is reused only while it has more than this much life left. */
const MIN_REMAINING_MS = 60_000;
/** Web Lock name: refreshes rotate the token, so tabs must take turns or one would lose its session. */
const REFRESH_LOCK_NAME = "clawsync.owner.refresh";

/** Why the last renewal failed while the stored session may still be good. */
export type RenewalProblem = Exclude<LocalAuthFailure["kind"], "invalid">;

export type FetchAccessToken = (args: { forceRefreshToken: boolean }) => Promise<string | null>;

export interface LocalSessionSnapshot {
  /** True while a refresh token is stored; the server still has the last word on its validity. */
  signedIn: boolean;
  renewalProblem: RenewalProblem | null;
  /** Replaced on sign-in and on retry, which makes ConvexProviderWithAuth authenticate afresh. */
  fetchAccessToken: FetchAccessToken;
}

export type ExchangeOutcome = { ok: true } | ({ ok: false } & LocalAuthFailure);

async function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks exist only in secure contexts (https or loopback); elsewhere one tab is assumed.
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (!locks) return task();
  return await locks.request(REFRESH_LOCK_NAME, task);
}

/**
 * Holds one browser's owner session. Framework-free so it can be tested directly; React reads it
 * through `subscribe`/`getSnapshot` (useSyncExternalStore).
 */
export class LocalOwnerSession {
  readonly #api: LocalAuthApi;
  readonly #store: RefreshTokenStore;
  #access: { token: string; expiresAtMs: number } | null = null;
  #inflight: Promise<string | null> | null = null;
  #snapshot: LocalSessionSnapshot;
  readonly #listeners = new Set<() => void>();
  #stopWatching: (() => void) | null = null;

  constructor(api: LocalAuthApi, store: RefreshTokenStore) {
    this.#api = api;
    this.#store = store;
    this.#snapshot = {
      signedIn: store.read() !== null,
      renewalProblem: null,
      fetchAccessToken: this.#newFetcher(),
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    // Watch other tabs only while someone listens, so constructing a session has no side effects.
    this.#stopWatching ??= this.#store.watch(() => this.#onOtherTabChange());
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stopWatching?.();
        this.#stopWatching = null;
      }
    };
  };

  getSnapshot = (): LocalSessionSnapshot => this.#snapshot;

  /** Trades a one-time sign-in code for a session. */
  async exchangeCode(code: string): Promise<ExchangeOutcome> {
    const result = await this.#api.exchange(code);
    if (!result.ok) return result;
    const previous = this.#store.read();
    this.#adopt(result.tokens);
    // A new sign-in replaces any older session in this browser; revoke the old one.
    if (previous !== null && previous !== result.tokens.refreshToken) void this.#api.signOut(previous);
    this.#publish({ signedIn: true, renewalProblem: null, fetchAccessToken: this.#newFetcher() });
    return { ok: true };
  }

  /** Forgets the session here at once, then revokes it on the server (best effort). */
  async signOut(): Promise<void> {
    const refreshToken = this.#store.read();
    this.#store.clear();
    this.#access = null;
    this.#publish({ ...this.#snapshot, signedIn: false, renewalProblem: null });
    if (refreshToken !== null) await this.#api.signOut(refreshToken);
  }

  /** After a transient renewal failure: try again with a fresh authentication cycle. */
  retryRenewal(): void {
    this.#publish({
      signedIn: this.#store.read() !== null,
      renewalProblem: null,
      fetchAccessToken: this.#newFetcher(),
    });
  }

  #newFetcher(): FetchAccessToken {
    return async ({ forceRefreshToken }) => {
      const cached = this.#access;
      if (!forceRefreshToken && cached && cached.expiresAtMs - Date.now() > MIN_REMAINING_MS) {
        return cached.token;
      }
      // Convex may ask again while a refresh is running; one rotation serves both.
      this.#inflight ??= this.#refresh().finally(() => {
        this.#inflight = null;
      });
      return this.#inflight;
    };
  }

  #refresh(): Promise<string | null> {
    return withRefreshLock(async () => {
      const sent = this.#store.read();
      if (sent === null) {
        this.#access = null;
        this.#publish({ ...this.#snapshot, signedIn: false });
        return null;
      }
      const result = await this.#api.refresh(sent);
      const current = this.#store.read();
      if (current !== sent) {
        // Signed out or signed in again (here or in another tab) while this refresh ran: the
        // rotated token belongs to a session nobody wants any more.
        if (result.ok) void this.#api.signOut(result.tokens.refreshToken);
        return current === null ? null : this.#access?.token ?? null;
      }
      if (result.ok) {
        this.#adopt(result.tokens);
        this.#publish({ ...this.#snapshot, signedIn: true, renewalProblem: null });
        return result.tokens.token;
      }
      this.#access = null;
      if (result.kind === "invalid") {
        this.#store.clear();
        this.#publish({ ...this.#snapshot, signedIn: false, renewalProblem: null });
      } else {
        // Keep the refresh token: the runtime may only be restarting.
        this.#publish({ ...this.#snapshot, renewalProblem: result.kind });
      }
      return null;
    });
  }

  #adopt(tokens: LocalTokens): void {
    this.#store.write(tokens.refreshToken);
    this.#access = { token: tokens.token, expiresAtMs: tokens.expiresAtMs };
  }

  #onOtherTabChange(): void {
    const signedIn = this.#store.read() !== null;
    if (signedIn === this.#snapshot.signedIn) return;
    this.#access = null;
    // Signing in elsewhere signs this tab in too, with a fresh authentication cycle.
    this.#publish({
      signedIn,
      renewalProblem: null,
      fetchAccessToken: signedIn ? this.#newFetcher() : this.#snapshot.fetchAccessToken,
    });
  }

  #publish(next: LocalSessionSnapshot): void {
    const previous = this.#snapshot;
    if (
      previous.signedIn === next.signedIn &&
      previous.renewalProblem === next.renewalProblem &&
      previous.fetchAccessToken === next.fetchAccessToken
    ) {
      return;
    }
    this.#snapshot = next;
    for (const listener of this.#listeners) listener();
  }
}
