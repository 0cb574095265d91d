// The one gate of /syncboard: every owner page renders inside it, and only for a signed-in owner.
// A signed-in identity that owns nothing is offered the claim or invitation form instead. The
// server still refuses each owner function on its own; this only decides what to show.
import { useConvexAuth, useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { ClaimOwnershipPanel } from "../../components/auth/ClaimOwnershipPanel";
import { SignInRequiredPanel } from "../../components/auth/SignInRequiredPanel";
import { Spinner } from "../../components/common/Spinner";
import { SyncBoardShell } from "../../components/syncboard/SyncBoardShell";
import { syncBoardNavItems } from "./sections";

export function SyncBoardLayout() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  if (isLoading) return <Spinner label="Checking your sign-in…" fullPage />;
  if (!isAuthenticated) return <SignInRequiredPanel />;
  return <OwnerGate />;
}

function OwnerGate() {
  const me = useQuery(api.owners.me, {});
  if (me === undefined) return <Spinner label="Checking your sign-in…" fullPage />;
  if (me.owner === null) return <ClaimOwnershipPanel awaitingFirstOwner={me.awaitingFirstOwner} />;
  return <SyncBoardShell navItems={syncBoardNavItems} />;
}
