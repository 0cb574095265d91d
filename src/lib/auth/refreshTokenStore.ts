// Where the owner's refresh token lives between visits: localStorage, or memory when storage is off.
import { createBrowserValueStore, type BrowserValueStore } from "../browserValueStore";

/** The localStorage key; nothing else about the session is persisted. */
export const REFRESH_TOKEN_KEY = "clawsync.owner.refresh";

export type RefreshTokenStore = BrowserValueStore;

export function createBrowserRefreshTokenStore(key: string = REFRESH_TOKEN_KEY): RefreshTokenStore {
  return createBrowserValueStore(key);
}
