// The activity tab: every entry of the activity log, newest first, filtered by kind, with the
// owner's publish switch. Publishing is the only way an entry reaches the public feed, so it asks
// for confirmation; taking an entry back is safe and happens at once.
import { useMutation, usePaginatedQuery } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { LIMITS, type ActorKind, type Channel, type Visibility } from "../../../../convex/lib/validators";
import { useOutcome } from "../../../lib/useOutcome";
import { Badge } from "../../common/Badge";
import { ConfirmButton } from "../../common/ConfirmButton";
import { EmptyState } from "../../common/EmptyState";
import { ErrorBoundary } from "../../common/ErrorBoundary";
import { ErrorNotice } from "../../common/ErrorNotice";
import { OutcomeError } from "../../common/OutcomeError";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { actorLabel, channelLabel } from "./labels";
import { RecordsTable } from "./RecordsTable";
import "../../../styles/syncboard-records.css";

const PAGE_SIZE = 25;

export function ActivityLogPanel() {
  const inputId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState("");
  const [kind, setKind] = useState<string | null>(null);

  function apply(event: FormEvent) {
    event.preventDefault();
    const trimmed = draft.trim();
    setKind(trimmed === "" ? null : trimmed);
  }

  return (
    <div className="records-panel">
      <form className="records-filter" onSubmit={apply} role="search" aria-label="Filter the activity log">
        <div className="form__field">
          <label className="form__label" htmlFor={inputId}>
            Kind
          </label>
          <input
            id={inputId}
            className="form__control"
            value={draft}
            maxLength={LIMITS.nameChars}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={hintId}
            onChange={(event) => setDraft(event.target.value)}
          />
          <p id={hintId} className="form__hint">
            An exact kind, such as chat.reply or model.fallback. Leave empty for every kind.
          </p>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Filter
          </button>
          {kind !== null ? (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setDraft("");
                setKind(null);
              }}
            >
              Show every kind
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBoundary key={kind ?? ""} fallback={<ErrorNotice title="The activity log could not load">Reload the page to try again.</ErrorNotice>}>
        <ActivityTable kind={kind} />
      </ErrorBoundary>
    </div>
  );
}

function ActivityTable({ kind }: { kind: string | null }) {
  const { results, status, loadMore } = usePaginatedQuery(api.activity.list, kind === null ? {} : { kind }, { initialNumItems: PAGE_SIZE });

  if (status === "LoadingFirstPage") return <Spinner label="Loading the activity log…" />;
  if (results.length === 0) {
    return (
      <EmptyState title={kind === null ? "No activity yet" : `No activity of kind ${kind}`}>
        <p>Entries appear here as the agent works.</p>
      </EmptyState>
    );
  }
  return (
    <RecordsTable
      testId="activity-list"
      caption="Activity log, newest first"
      columns={["When", "Kind", "Summary", "By", "Channel", "Public feed"]}
      noun="entries"
      status={status}
      onLoadMore={() => loadMore(PAGE_SIZE)}
    >
      {results.map((entry) => (
        <ActivityRow key={entry._id} entry={entry} />
      ))}
    </RecordsTable>
  );
}

interface ActivityRowProps {
  entry: {
    _id: Id<"activityLog">;
    _creationTime: number;
    kind: string;
    summary: string;
    visibility: Visibility;
    actorKind: ActorKind | null;
    channel: Channel | null;
  };
}

function ActivityRow({ entry }: ActivityRowProps) {
  const setVisibility = useMutation(api.activity.setVisibility);
  const { busy, error, run } = useOutcome("The change could not be saved. Try again.");

  async function change(visibility: Visibility) {
    await run(() => setVisibility({ id: entry._id, visibility }));
  }

  const isPublic = entry.visibility === "public";
  return (
    <tr>
      <td className="records-nowrap">
        <RelativeTime ms={entry._creationTime} />
      </td>
      <td>
        <code>{entry.kind}</code>
      </td>
      <td className="records-text">{entry.summary}</td>
      <td>{actorLabel(entry.actorKind)}</td>
      <td>{channelLabel(entry.channel)}</td>
      <td>
        <div className="records-actions" data-testid={`activity-publish-${entry._id}`}>
          <Badge tone={isPublic ? "notice" : "neutral"}>{isPublic ? "Public" : "Private"}</Badge>
          {isPublic ? (
            <button type="button" className="button button--quiet" onClick={() => void change("private")} disabled={busy}>
              Unpublish
            </button>
          ) : (
            <ConfirmButton
              label="Publish"
              question="Everyone on the public chat will see this entry's kind, summary and time."
              onConfirm={() => change("public")}
              disabled={busy}
            />
          )}
        </div>
        <OutcomeError error={error} />
      </td>
    </tr>
  );
}
