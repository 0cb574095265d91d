// One conversation, read-only: who it belongs to, then its messages oldest first, with "Load
// earlier messages" for the rest. Messages are shown as plain text, exactly as stored.
import { Link } from "react-router-dom";
import { EmptyState } from "../../common/EmptyState";
import { ErrorNotice } from "../../common/ErrorNotice";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { channelLabel, principalLabel } from "./labels";
import { useThreadReader, type ThreadMessage } from "./useThreadReader";
import "../../../styles/syncboard-records.css";

const ROLE_LABELS: Record<ThreadMessage["role"], string> = { user: "User", assistant: "Agent", system: "System" };

export function ThreadView({ conversationId }: { conversationId: string }) {
  const { state, earlier, loadEarlier, retry } = useThreadReader(conversationId);

  return (
    <section className="thread-view" data-testid="thread-view" aria-labelledby="thread-view-title" aria-busy={state.status === "loading"}>
      <div className="thread-view__bar">
        <h2 id="thread-view-title" className="records-heading">
          {state.status === "ready" ? (state.thread.title ?? "Untitled conversation") : "Conversation"}
        </h2>
        <Link to={{ search: "" }} className="button button--quiet">
          Close
        </Link>
      </div>
      {state.status === "loading" ? <Spinner label="Loading the conversation…" /> : null}
      {state.status === "missing" ? <ErrorNotice title="This conversation cannot be shown">{state.error}</ErrorNotice> : null}
      {state.status === "failed" ? (
        <ErrorNotice title="The conversation could not load">
          <button type="button" className="button button--quiet" onClick={retry}>
            Try again
          </button>
        </ErrorNotice>
      ) : null}
      {state.status === "ready" ? (
        <>
          <p className="thread-view__meta">
            {channelLabel(state.thread.channel)} · {principalLabel(state.thread)} · {state.thread.messageCount} messages · last active{" "}
            <RelativeTime ms={state.thread.lastMessageAt} />
          </p>
          <p className="form__hint">Read-only. Each time you open or page through a conversation, the read is recorded in the data access log.</p>
          {state.hasEarlier ? (
            <button type="button" className="button button--quiet" onClick={() => void loadEarlier()} disabled={earlier === "loading"}>
              {earlier === "loading" ? "Loading earlier messages…" : "Load earlier messages"}
            </button>
          ) : null}
          {earlier === "failed" ? <p className="form__error" role="alert">Earlier messages could not load. Try again.</p> : null}
          {state.messages.length === 0 ? (
            <EmptyState title="No messages in this conversation" />
          ) : (
            <ol className="thread-view__messages">
              {state.messages.map((message) => (
                <li key={message.key} className={`thread-message thread-message--${message.role}`}>
                  <p className="thread-message__meta">
                    <span className="thread-message__role">{ROLE_LABELS[message.role]}</span> <RelativeTime ms={message.createdAt} />
                    {message.status === "failed" ? " · not completed" : null}
                  </p>
                  <p className="thread-message__text">{message.text}</p>
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}
    </section>
  );
}
