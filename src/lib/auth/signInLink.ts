// The printed sign-in link carries its one-time code in the URL fragment (#code=...), which
// browsers never send to servers or put in Referer headers.

/** The code from a fragment such as "#code=abc", or null when there is none. */
export function readSignInCode(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const code = params.get("code")?.trim();
  return code ? code : null;
}

/** Drops the fragment from the current history entry, keeping the router's state intact. */
export function removeSignInCodeFromUrl(): void {
  if (!window.location.hash) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, "", `${pathname}${search}`);
}
