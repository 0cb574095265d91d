// Convex auth backed by the local runtime's identity provider (no WorkOS configured).
import { createContext, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { ConvexProviderWithAuth, type ConvexReactClient } from "convex/react";
import { createLocalAuthApi } from "./localAuthApi";
import { LocalOwnerSession } from "./localOwnerSession";
import { createBrowserRefreshTokenStore } from "./refreshTokenStore";
import { OwnerAuthControlsContext, type OwnerAuthControls } from "./ownerAuthControls";

const LocalSessionContext = createContext<LocalOwnerSession | null>(null);

function useLocalSessionSnapshot() {
  const session = useContext(LocalSessionContext);
  if (session === null) throw new Error("The local session is missing; render LocalOwnerAuthProvider.");
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** The `useAuth` hook ConvexProviderWithAuth calls; reading storage is synchronous, so never loading. */
function useLocalConvexAuth() {
  const { signedIn, fetchAccessToken } = useLocalSessionSnapshot();
  return { isLoading: false, isAuthenticated: signedIn, fetchAccessToken };
}

interface LocalOwnerAuthProviderProps {
  siteUrl: string;
  client: ConvexReactClient;
  children: ReactNode;
}

export function LocalOwnerAuthProvider({ siteUrl, client, children }: LocalOwnerAuthProviderProps) {
  // One session per page load; useState keeps it stable across StrictMode's double render.
  const [session] = useState(
    () => new LocalOwnerSession(createLocalAuthApi(siteUrl), createBrowserRefreshTokenStore()),
  );
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);

  const controls = useMemo<OwnerAuthControls>(
    () => ({
      provider: "local",
      exchangeSignInCode: (code) => session.exchangeCode(code),
      signOut: () => session.signOut(),
      renewalProblem: snapshot.renewalProblem,
      retryRenewal: () => session.retryRenewal(),
    }),
    [session, snapshot.renewalProblem],
  );

  return (
    <LocalSessionContext.Provider value={session}>
      <OwnerAuthControlsContext.Provider value={controls}>
        <ConvexProviderWithAuth client={client} useAuth={useLocalConvexAuth}>
          {children}
        </ConvexProviderWithAuth>
      </OwnerAuthControlsContext.Provider>
    </LocalSessionContext.Provider>
  );
}
