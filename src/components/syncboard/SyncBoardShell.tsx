// The signed-in dashboard frame: header, section navigation, and the current page.
import { useState } from "react";
import { Outlet, useLocation } from "react-router-dom";
import { ErrorBoundary } from "../common/ErrorBoundary";
import { ErrorNotice } from "../common/ErrorNotice";
import { PanelToggle } from "../common/PanelToggle";
import { SkipLink } from "../common/SkipLink";
import { SyncBoardHeader } from "./SyncBoardHeader";
import { SyncBoardNav, type SyncBoardNavItem } from "./SyncBoardNav";
import "../../styles/syncboard.css";

const NAV_ID = "syncboard-nav";
const MAIN_ID = "syncboard-main";

export function SyncBoardShell({ navItems }: { navItems: readonly SyncBoardNavItem[] }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();

  return (
    <div className="syncboard">
      <SkipLink target={MAIN_ID} />
      <SyncBoardHeader
        menuToggle={
          <PanelToggle
            label="Menu"
            controls={NAV_ID}
            expanded={menuOpen}
            onToggle={() => setMenuOpen((open) => !open)}
          />
        }
      />
      <div className="syncboard__body">
        <SyncBoardNav id={NAV_ID} items={navItems} open={menuOpen} onNavigate={() => setMenuOpen(false)} />
        <main id={MAIN_ID} className="syncboard__main" tabIndex={-1}>
          {/* Keyed by path so a page that failed does not keep its error after navigating away. */}
          <ErrorBoundary
            key={pathname}
            fallback={<ErrorNotice title="This page could not load">Reload the page to try again.</ErrorNotice>}
          >
            <Outlet />
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
