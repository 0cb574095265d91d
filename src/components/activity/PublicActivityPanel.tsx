// The activity column: a heading and the live feed, with a failure kept inside the column.
import { ErrorBoundary } from "../common/ErrorBoundary";
import { ErrorNotice } from "../common/ErrorNotice";
import { PublicActivityFeed } from "./PublicActivityFeed";
import "../../styles/activity.css";

export function PublicActivityPanel() {
  return (
    <div className="activity-panel">
      <h2 className="panel-heading">Public activity</h2>
      <ErrorBoundary fallback={<ErrorNotice title="Activity is unavailable right now" />}>
        <PublicActivityFeed />
      </ErrorBoundary>
    </div>
  );
}
