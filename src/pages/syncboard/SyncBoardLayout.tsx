// The one gate of /syncboard: every owner page renders inside it, and only after Convex confirms
// the owner's token. The server still refuses each function on its own; this only decides what to show.
import { useConvexAuth } from "convex/react";
import { Spinner } from "../../components/common/Spinner";
import { SignInRequiredPanel } from "../../components/auth/SignInRequiredPanel";
import { SyncBoardShell } from "../../components/syncboard/SyncBoardShell";
import { syncBoardNavItems } from "./sections";

export function SyncBoardLayout() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  if (isLoading) return <Spinner label="Checking your sign-in…" fullPage />;
  if (!isAuthenticated) return <SignInRequiredPanel />;
  return <SyncBoardShell navItems={syncBoardNavItems} />;
}
