// The live list of activity the owner marked public, shown beside the chat.
import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { EmptyState } from "../common/EmptyState";
import { Spinner } from "../common/Spinner";
import { RelativeTime } from "../common/RelativeTime";
import "../../styles/activity.css";

export function PublicActivityFeed() {
  const entries = useQuery(api.activity.listPublic, {});

  if (entries === undefined) return <Spinner label="Loading activity…" />;

  // The test id marks "loaded", empty or not, so a browser test can wait for it before acting.
  return (
    <div className="activity-feed" data-testid="public-activity">
      {entries.length === 0 ? (
        <EmptyState title="No public activity yet" />
      ) : (
        <ol className="activity-feed__list">
          {entries.map((entry) => (
            <li key={entry._id} className="activity-feed__item" data-testid="public-activity-item">
              <p className="activity-feed__summary">{entry.summary}</p>
              <p className="activity-feed__meta">
                <span className="activity-feed__kind">{entry.kind}</span>
                <RelativeTime ms={entry._creationTime} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
