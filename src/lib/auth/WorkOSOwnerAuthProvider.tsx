// Convex auth backed by WorkOS AuthKit (VITE_WORKOS_CLIENT_ID set).
import { useCallback, useMemo, type ReactNode } from "react";
import { AuthKitProvider, useAuth } from "@workos-inc/authkit-react";
import { ConvexProviderWithAuth, type ConvexReactClient } from "convex/react";
import type { WorkOSConfig } from "../config";
import { OwnerAuthControlsContext, type OwnerAuthControls } from "./ownerAuthControls";

/** The `useAuth` hook ConvexProviderWithAuth calls, adapted from AuthKit's state. */
function useWorkOSConvexAuth() {
  const { isLoading, user, getAccessToken } = useAuth();
  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      try {
        return await getAccessToken({ forceRefresh: forceRefreshToken });
      } catch {
        // AuthKit throws when there is no session (LoginRequiredError); Convex expects null.
        return null;
      }
    },
    [getAccessToken],
  );
  return { isLoading, isAuthenticated: user !== null, fetchAccessToken };
}

function WorkOSControls({ children }: { children: ReactNode }) {
  const { signIn, signOut } = useAuth();
  const controls = useMemo<OwnerAuthControls>(
    () => ({
      provider: "workos",
      signIn: () => void signIn(),
      signOut: async () => {
        try {
          // Navigates to WorkOS to end the session there too.
          signOut();
        } catch {
          // AuthKit throws when no session is left to end; the owner is signed out either way.
        }
      },
    }),
    [signIn, signOut],
  );
  return <OwnerAuthControlsContext.Provider value={controls}>{children}</OwnerAuthControlsContext.Provider>;
}

interface WorkOSOwnerAuthProviderProps {
  workos: WorkOSConfig;
  client: ConvexReactClient;
  children: ReactNode;
}

export function WorkOSOwnerAuthProvider({ workos, client, children }: WorkOSOwnerAuthProviderProps) {
  return (
    <AuthKitProvider clientId={workos.clientId} redirectUri={workos.redirectUri}>
      <WorkOSControls>
        <ConvexProviderWithAuth client={client} useAuth={useWorkOSConvexAuth}>
          {children}
        </ConvexProviderWithAuth>
      </WorkOSControls>
    </AuthKitProvider>
  );
}
