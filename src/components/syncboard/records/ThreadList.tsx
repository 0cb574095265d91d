// Every conversation, most recently active first, optionally on one channel. Choosing one puts it
// in the address (?thread=<id>), where the thread view reads it.
import { usePaginatedQuery } from "convex/react";
import { useId, useState } from "react";
import { Link } from "react-router-dom";
import { api } from "../../../../convex/_generated/api";
import { CHANNELS, type Channel } from "../../../../convex/lib/validators";
import { EmptyState } from "../../common/EmptyState";
import { ErrorBoundary } from "../../common/ErrorBoundary";
import { ErrorNotice } from "../../common/ErrorNotice";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { channelLabel, principalLabel } from "./labels";
import { LoadMore } from "./LoadMore";
import "../../../styles/syncboard-records.css";

const PAGE_SIZE = 25;

export function ThreadList({ selected }: { selected: string | null }) {
  const selectId = useId();
  const [channel, setChannel] = useState<Channel | null>(null);

  return (
    <section className="threads-list" aria-labelledby={`${selectId}-heading`}>
      <h2 id={`${selectId}-heading`} className="records-heading">
        Conversations
      </h2>
      <div className="form__field">
        <label className="form__label" htmlFor={selectId}>
          Channel
        </label>
        <select
          id={selectId}
          className="form__control"
          value={channel ?? ""}
          onChange={(event) => setChannel(CHANNELS.find((c) => c === event.target.value) ?? null)}
        >
          <option value="">Every channel</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {channelLabel(c)}
            </option>
          ))}
        </select>
      </div>
      <ErrorBoundary key={channel ?? ""} fallback={<ErrorNotice title="Conversations could not load">Reload the page to try again.</ErrorNotice>}>
        <Conversations channel={channel} selected={selected} />
      </ErrorBoundary>
    </section>
  );
}

function Conversations({ channel, selected }: { channel: Channel | null; selected: string | null }) {
  const { results, status, loadMore } = usePaginatedQuery(api.threads.list, channel === null ? {} : { channel }, { initialNumItems: PAGE_SIZE });

  if (status === "LoadingFirstPage") return <Spinner label="Loading conversations…" />;
  if (results.length === 0) {
    return <EmptyState title={channel === null ? "No conversations yet" : `No conversations on ${channelLabel(channel)}`} />;
  }
  return (
    <>
      <ul className="threads-list__items" data-testid="threads-list">
        {results.map((thread) => (
          <li key={thread.conversationId}>
            <Link
              to={{ search: `?thread=${thread.conversationId}` }}
              className={thread.conversationId === selected ? "threads-list__link is-selected" : "threads-list__link"}
              aria-current={thread.conversationId === selected ? "true" : undefined}
            >
              <span className="threads-list__title">{thread.title ?? "Untitled conversation"}</span>
              <span className="threads-list__meta">
                {channelLabel(thread.channel)} · {principalLabel(thread)} · {thread.messageCount} messages ·{" "}
                <RelativeTime ms={thread.lastMessageAt} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <LoadMore status={status} onLoadMore={() => loadMore(PAGE_SIZE)} noun="conversations" />
    </>
  );
}
