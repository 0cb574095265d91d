// Picks the owner identity provider from config and wires it into Convex; exactly one is active.
import type { ReactNode } from "react";
import type { ConvexReactClient } from "convex/react";
import type { AppConfig } from "../config";
import { LocalOwnerAuthProvider } from "./LocalOwnerAuthProvider";
import { WorkOSOwnerAuthProvider } from "./WorkOSOwnerAuthProvider";

interface OwnerAuthProviderProps {
  config: AppConfig;
  client: ConvexReactClient;
  children: ReactNode;
}

export function OwnerAuthProvider({ config, client, children }: OwnerAuthProviderProps) {
  if (config.workos) {
    return (
      <WorkOSOwnerAuthProvider workos={config.workos} client={client}>
        {children}
      </WorkOSOwnerAuthProvider>
    );
  }
  return (
    <LocalOwnerAuthProvider siteUrl={config.siteUrl} client={client}>
      {children}
    </LocalOwnerAuthProvider>
  );
}
