// The security events tab: every event newest first, narrowed to one severity or one code (the
// server has an index for each, not for both), and acknowledging an event once it has been seen.
import { useMutation, usePaginatedQuery } from "convex/react";
import { useId, useState } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { SECURITY_EVENT_CODES, type ActorKind, type Channel, type SecurityEventCode, type Severity } from "../../../../convex/lib/validators";
import { useOutcome } from "../../../lib/useOutcome";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { ErrorBoundary } from "../../common/ErrorBoundary";
import { ErrorNotice } from "../../common/ErrorNotice";
import { OutcomeError } from "../../common/OutcomeError";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { actorLabel, channelLabel, SEVERITIES, severityLabel } from "./labels";
import { RecordsTable } from "./RecordsTable";
import "../../../styles/syncboard-records.css";

const PAGE_SIZE = 25;

type EventFilter = { code: SecurityEventCode } | { severity: Severity };

/** The select's value for a filter: "all", "severity:<s>" or "code:<c>". */
function parseFilter(value: string): EventFilter | null {
  const [field, choice] = value.split(":");
  if (field === "severity") {
    const severity = SEVERITIES.find((s) => s === choice);
    return severity ? { severity } : null;
  }
  if (field === "code") {
    const code = SECURITY_EVENT_CODES.find((c) => c === choice);
    return code ? { code } : null;
  }
  return null;
}

export function SecurityEventsPanel() {
  const selectId = useId();
  const [value, setValue] = useState("all");
  const filter = parseFilter(value);

  return (
    <div className="records-panel">
      <div className="records-filter">
        <div className="form__field">
          <label className="form__label" htmlFor={selectId}>
            Show
          </label>
          <select id={selectId} className="form__control" value={value} onChange={(event) => setValue(event.target.value)}>
            <option value="all">Every event</option>
            <optgroup label="Severity">
              {SEVERITIES.map((severity) => (
                <option key={severity} value={`severity:${severity}`}>
                  {severityLabel(severity)}
                </option>
              ))}
            </optgroup>
            <optgroup label="Code">
              {SECURITY_EVENT_CODES.map((code) => (
                <option key={code} value={`code:${code}`}>
                  {code}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
      </div>
      <ErrorBoundary key={value} fallback={<ErrorNotice title="Security events could not load">Reload the page to try again.</ErrorNotice>}>
        <SecurityEventsTable filter={filter} />
      </ErrorBoundary>
    </div>
  );
}

function SecurityEventsTable({ filter }: { filter: EventFilter | null }) {
  const { results, status, loadMore } = usePaginatedQuery(api.securityEvents.list, filter === null ? {} : { filter }, { initialNumItems: PAGE_SIZE });

  if (status === "LoadingFirstPage") return <Spinner label="Loading security events…" />;
  if (results.length === 0) {
    return (
      <EmptyState title={filter === null ? "No security events" : "No security events match"}>
        <p>Refusals by the checker, webhooks and sign-in appear here.</p>
      </EmptyState>
    );
  }
  return (
    <RecordsTable
      testId="security-events-list"
      caption="Security events, newest first"
      columns={["When", "Severity", "Code", "What happened", "Who", "Channel", "Seen"]}
      noun="events"
      status={status}
      onLoadMore={() => loadMore(PAGE_SIZE)}
    >
      {results.map((event) => (
        <SecurityEventRow key={event._id} event={event} />
      ))}
    </RecordsTable>
  );
}

interface SecurityEventRowProps {
  event: {
    _id: Id<"securityEvents">;
    _creationTime: number;
    code: SecurityEventCode;
    severity: Severity;
    message: string;
    callerKind: ActorKind | null;
    channel: Channel | null;
    acknowledgedAt: number | null;
  };
}

function SecurityEventRow({ event }: SecurityEventRowProps) {
  const acknowledge = useMutation(api.securityEvents.acknowledge);
  const { busy, error, run } = useOutcome("The event could not be marked as seen. Try again.");

  const serious = event.severity === "high" || event.severity === "critical";
  return (
    <tr>
      <td className="records-nowrap">
        <RelativeTime ms={event._creationTime} />
      </td>
      <td>
        <Badge tone={serious ? "notice" : "neutral"}>{severityLabel(event.severity)}</Badge>
      </td>
      <td>
        <code>{event.code}</code>
      </td>
      <td className="records-text">{event.message}</td>
      <td>{actorLabel(event.callerKind)}</td>
      <td>{channelLabel(event.channel)}</td>
      <td>
        {event.acknowledgedAt !== null ? (
          <span className="records-muted">
            Seen <RelativeTime ms={event.acknowledgedAt} />
          </span>
        ) : (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => void run(() => acknowledge({ id: event._id }))}
            disabled={busy}
            data-testid={`security-event-acknowledge-${event._id}`}
          >
            Acknowledge
          </button>
        )}
        <OutcomeError error={error} />
      </td>
    </tr>
  );
}
