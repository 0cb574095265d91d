// Where the owner's refresh token lives between visits: localStorage, or memory when storage is off.

/** The localStorage key; nothing else about the session is persisted. */
export const REFRESH_TOKEN_KEY = "clawsync.owner.refresh";

export interface RefreshTokenStore {
  read(): string | null;
  write(refreshToken: string): void;
  clear(): void;
  /** Calls `onChange` when another tab writes or clears the token. Returns the unsubscribe. */
  watch(onChange: () => void): () => void;
}

/**
 * A store over localStorage. When the browser refuses storage (private modes, disabled storage),
 * it keeps the token in memory so sign-in still works for this tab.
 */
export function createBrowserRefreshTokenStore(key: string = REFRESH_TOKEN_KEY): RefreshTokenStore {
  // Used only while the browser refuses storage, so a stale copy never shadows another tab's write.
  let memory: string | null = null;

  function storage(): Storage | null {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  return {
    read() {
      try {
        const persistent = storage();
        if (persistent) return persistent.getItem(key) ?? memory;
      } catch {
        // Fall through to the in-memory copy.
      }
      return memory;
    },
    write(refreshToken) {
      try {
        const persistent = storage();
        if (persistent) {
          persistent.setItem(key, refreshToken);
          memory = null;
          return;
        }
      } catch {
        // Storage full or refused: keep this tab signed in from memory.
      }
      memory = refreshToken;
    },
    clear() {
      memory = null;
      try {
        storage()?.removeItem(key);
      } catch {
        // Nothing persisted to remove.
      }
    },
    watch(onChange) {
      function onStorage(event: StorageEvent) {
        // key === null means another tab cleared all storage for this origin.
        if (event.key === key || event.key === null) onChange();
      }
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  };
}
