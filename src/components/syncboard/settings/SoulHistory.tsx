// The soul's recent versions, newest first: who saved each, when, its length and its opening.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import "../../../styles/syncboard-settings.css";

export function SoulHistory() {
  const versions = useQuery(api.soul.history, {});
  return (
    <section className="settings-section" aria-labelledby="soul-history-title">
      <h2 id="soul-history-title" className="settings-section__title">
        Versions
      </h2>
      {versions === undefined ? (
        <Spinner label="Loading the versions…" />
      ) : versions.length === 0 ? (
        <EmptyState title="No saved versions yet">
          <p>The built-in soul answers until the first save or the first conversation.</p>
        </EmptyState>
      ) : (
        <ol className="soul-history" data-testid="soul-history">
          {versions.map((version, index) => (
            <li key={version.version} className="soul-history__item">
              <p className="soul-history__meta">
                <strong>Version {version.version}</strong>
                {index === 0 ? <Badge tone="notice">Live</Badge> : null}
                <span>
                  {version.source === "seed" ? "the default soul" : `saved by ${version.savedBy ?? "an owner"}`} · <RelativeTime ms={version.savedAt} /> ·{" "}
                  {version.chars.toLocaleString()} characters
                </span>
              </p>
              <p className="soul-history__preview">
                {version.preview}
                {version.chars > version.preview.length ? "…" : ""}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
