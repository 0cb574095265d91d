// SyncBoard's top bar: product name, the phone menu toggle, who is signed in, and sign out.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { ErrorBoundary } from "../common/ErrorBoundary";
import { SignOutButton } from "../auth/SignOutButton";
import { OwnerName } from "./OwnerName";
import "../../styles/syncboard.css";

export function SyncBoardHeader({ menuToggle }: { menuToggle: ReactNode }) {
  return (
    <header className="syncboard-header">
      <div className="syncboard-header__brand">
        {menuToggle}
        <Link to="/syncboard" className="syncboard-header__name">
          ClawSync <span className="syncboard-header__area">SyncBoard</span>
        </Link>
      </div>
      <div className="syncboard-header__owner">
        <ErrorBoundary fallback={<span className="owner-name">Owner</span>}>
          <OwnerName />
        </ErrorBoundary>
        <SignOutButton />
      </div>
    </header>
  );
}
