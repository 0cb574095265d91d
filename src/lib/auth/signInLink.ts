// The printed sign-in link carries its one-time code in the URL fragment (#code=...), which
// browsers never send to servers or put in Referer headers. Until the deployment has an owner it
// also carries the claim code (&claim=...), kept for this tab until SyncBoard redeems it.

function fragmentParam(hash: string, name: string): string | null {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const value = params.get(name)?.trim();
  return value ? value : null;
}

/** The code from a fragment such as "#code=abc", or null when there is none. */
export function readSignInCode(hash: string): string | null {
  return fragmentParam(hash, "code");
}

/** The owner claim code from a fragment such as "#code=abc&claim=xyz", or null. */
export function readClaimCode(hash: string): string | null {
  return fragmentParam(hash, "claim");
}

const PENDING_CLAIM_KEY = "clawsync.pendingClaim";

/** Keeps a claim code for this tab only (sessionStorage), until SyncBoard redeems or drops it. */
export const pendingClaim = {
  read(): string | null {
    try {
      return window.sessionStorage.getItem(PENDING_CLAIM_KEY);
    } catch {
      return null;
    }
  },
  write(code: string): void {
    try {
      window.sessionStorage.setItem(PENDING_CLAIM_KEY, code);
    } catch {
      // Without storage the owner types the code into SyncBoard's claim form instead.
    }
  },
  clear(): void {
    try {
      window.sessionStorage.removeItem(PENDING_CLAIM_KEY);
    } catch {
      // Nothing was stored.
    }
  },
};

/** Drops the fragment from the current history entry, keeping the router's state intact. */
export function removeSignInCodeFromUrl(): void {
  if (!window.location.hash) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, "", `${pathname}${search}`);
}
