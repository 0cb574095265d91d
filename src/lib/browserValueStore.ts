// One string kept between page loads: localStorage, or memory for this tab when the browser refuses
// storage (private modes, storage disabled), so the page keeps working and only loses the value on
// the next visit. The visitor session and the owner's refresh token are both kept this way.

export interface BrowserValueStore {
  read(): string | null;
  write(value: string): void;
  clear(): void;
  /** Calls `onChange` when another tab writes or clears the value. Returns the unsubscribe. */
  watch(onChange: () => void): () => void;
}

export function createBrowserValueStore(key: string): BrowserValueStore {
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
    write(value) {
      try {
        const persistent = storage();
        if (persistent) {
          persistent.setItem(key, value);
          memory = null;
          return;
        }
      } catch {
        // Storage full or refused: keep the value for this tab only.
      }
      memory = value;
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
