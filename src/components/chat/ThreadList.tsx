// The visitor's conversations, newest first, and the button that starts a new one.
import { useQuery } from "convex/react";
import { useEffect, useRef } from "react";
import { Link } from "react-router-dom";
import { api } from "../../../convex/_generated/api";
import type { ChatProblem } from "../../lib/chat/chatProblems";
import { threadLabel } from "../../lib/chat/messages";
import type { ThreadSummary } from "../../lib/chat/types";
import { useRemainingMs } from "../../lib/chat/useCountdown";
import { useVisitorSession } from "../../lib/chat/visitorSessionContext";
import { EmptyState } from "../common/EmptyState";
import { RelativeTime } from "../common/RelativeTime";
import { Spinner } from "../common/Spinner";
import { ProblemNotice } from "./ProblemNotice";
import { SessionBoundary } from "./SessionBoundary";
import "../../styles/chat.css";

interface ThreadListProps {
  activeThreadId: string | null;
  onNewConversation: () => void;
  /** A new conversation is being created. */
  creating: boolean;
  /** Why the last "New conversation" did not work. */
  problem: ChatProblem | null;
  /** Called once with the first list this mount receives (to open the newest thread). */
  onLoaded: (threads: ThreadSummary[]) => void;
  /** A thread link was followed (narrow screens close the panel). */
  onNavigate: () => void;
}

export function ThreadList({ activeThreadId, onNewConversation, creating, problem, onLoaded, onNavigate }: ThreadListProps) {
  const { snapshot } = useVisitorSession();
  const remainingMs = useRemainingMs(
    problem?.kind === "RateLimited" ? problem.retryAt : null,
    problem?.kind === "RateLimited" ? problem.retryAfterMs : 0,
  );
  return (
    <div className="thread-list">
      <div className="thread-list__header">
        <h2 className="thread-list__heading">Conversations</h2>
        <button
          type="button"
          className="button button--primary thread-list__new"
          data-testid="new-thread"
          onClick={onNewConversation}
          disabled={snapshot.status !== "ready" || creating}
        >
          {creating ? "Starting…" : "New conversation"}
        </button>
      </div>
      {problem ? (
        <div className="thread-list__problem">
          <ProblemNotice problem={problem} remainingMs={remainingMs} />
        </div>
      ) : null}
      {snapshot.status === "ready" ? (
        <SessionBoundary token={snapshot.token} failureTitle="Your conversations could not load">
          <ThreadItems token={snapshot.token} activeThreadId={activeThreadId} onLoaded={onLoaded} onNavigate={onNavigate} />
        </SessionBoundary>
      ) : (
        <Spinner label="Loading conversations…" />
      )}
    </div>
  );
}

interface ThreadItemsProps {
  token: string;
  activeThreadId: string | null;
  onLoaded: (threads: ThreadSummary[]) => void;
  onNavigate: () => void;
}

function ThreadItems({ token, activeThreadId, onLoaded, onNavigate }: ThreadItemsProps) {
  const threads = useQuery(api.chat.listThreads, { sessionToken: token });
  const reported = useRef(false);

  useEffect(() => {
    if (threads === undefined || reported.current) return;
    reported.current = true;
    onLoaded(threads);
  }, [threads, onLoaded]);

  if (threads === undefined) return <Spinner label="Loading conversations…" />;
  if (threads.length === 0) return <EmptyState title="No conversations yet" />;

  return (
    <ol className="thread-list__items">
      {threads.map((thread) => {
        const active = thread.threadId === activeThreadId;
        return (
          <li key={thread.threadId}>
            <Link
              to={`/chat/${encodeURIComponent(thread.threadId)}`}
              className="thread-list__link"
              data-testid="thread-list-item"
              data-thread-id={thread.threadId}
              aria-current={active ? "page" : undefined}
              onClick={onNavigate}
            >
              <span className="thread-list__title">{threadLabel(thread.title)}</span>{" "}
              <span className="thread-list__time">
                <RelativeTime ms={thread.lastMessageAt} />
              </span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
