// What the conversation area shows while there is no usable visitor session: starting one, told
// to wait (session creation is rate limited for everyone together), or failed with a retry.
import type { VisitorSessionSnapshot } from "../../lib/visitorSession";
import { useRemainingMs } from "../../lib/chat/useCountdown";
import { ErrorNotice } from "../common/ErrorNotice";
import { Spinner } from "../common/Spinner";
import { ProblemNotice } from "./ProblemNotice";
import "../../styles/chat.css";

interface SessionStatusProps {
  snapshot: Exclude<VisitorSessionSnapshot, { status: "ready" }>;
  onRetry: () => void;
  /** Lets the composer point at this text to say why it is disabled. */
  id: string;
}

export function SessionStatus({ snapshot, onRetry, id }: SessionStatusProps) {
  return (
    <div className="session-status" id={id} data-testid="session-status" data-status={snapshot.status}>
      {snapshot.status === "starting" ? <Spinner label="Starting your chat session…" /> : null}
      {snapshot.status === "rateLimited" ? <SessionRateLimited retryAt={snapshot.retryAt} retryAfterMs={snapshot.retryAfterMs} /> : null}
      {snapshot.status === "failed" ? (
        <ErrorNotice title="Could not start a chat session">
          <p>
            {snapshot.reason === "unreachable"
              ? "ClawSync did not answer. Check your connection, then try again."
              : "The server did not accept the new session. Try again in a moment."}
          </p>
          <button type="button" className="button button--quiet" onClick={onRetry}>
            Try again
          </button>
        </ErrorNotice>
      ) : null}
    </div>
  );
}

function SessionRateLimited({ retryAt, retryAfterMs }: { retryAt: number; retryAfterMs: number }) {
  const remainingMs = useRemainingMs(retryAt, retryAfterMs);
  // At zero the session manager is already asking again; say so rather than showing nothing.
  if (remainingMs <= 0) return <Spinner label="Starting your chat session…" />;
  return (
    <ProblemNotice
      problem={{ kind: "RateLimited", scope: "sessionCreation", retryAt, retryAfterMs }}
      remainingMs={remainingMs}
    />
  );
}
