// The Overview's body: the period toggle, then the numbers for that period. A failure to load stays
// inside the numbers' area, and switching the period tries again.
import { useState } from "react";
import type { OverviewWindow } from "../../../../convex/lib/overview";
import { ErrorBoundary } from "../../common/ErrorBoundary";
import { ErrorNotice } from "../../common/ErrorNotice";
import { OverviewNumbers } from "./OverviewNumbers";
import { PeriodToggle } from "./PeriodToggle";
import "../../../styles/syncboard-overview.css";

export function OverviewDashboard() {
  const [period, setPeriod] = useState<OverviewWindow>("24h");
  return (
    <div className="overview">
      <PeriodToggle value={period} onChange={setPeriod} />
      <ErrorBoundary
        key={period}
        fallback={
          <ErrorNotice title="The overview could not load">
            <p>Reload the page, or switch the period, to try again.</p>
          </ErrorNotice>
        }
      >
        <OverviewNumbers period={period} />
      </ErrorBoundary>
    </div>
  );
}
