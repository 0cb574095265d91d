// Contains a failed chat subscription to its part of the page. Convex queries throw while
// rendering, so this is where an InvalidSession from a query reaches the visitor session (which
// starts a new one); any other failure offers "Try again". A new session or thread resets it.
import { Component, type ErrorInfo, type ReactNode } from "react";
import { isInvalidSessionError } from "../../../convex/lib/errors";
import { useVisitorSession } from "../../lib/chat/visitorSessionContext";
import { ErrorNotice } from "../common/ErrorNotice";
import { Spinner } from "../common/Spinner";

interface SessionBoundaryProps {
  /** The token the children's queries use. */
  token: string;
  /** Anything else that should give the children a fresh start when it changes (a thread id). */
  resetKey?: string;
  /** What failed, in the visitor's words: "The conversation could not load". */
  failureTitle: string;
  children: ReactNode;
}

export function SessionBoundary({ token, resetKey = "", failureTitle, children }: SessionBoundaryProps) {
  const { reportError } = useVisitorSession();
  return (
    <QueryErrorBoundary
      resetKey={`${resetKey}\u0000${token}`}
      onError={(error) => reportError(error, token)}
      failureTitle={failureTitle}
    >
      {children}
    </QueryErrorBoundary>
  );
}

interface QueryErrorBoundaryProps {
  resetKey: string;
  /** Returns true when the error was the session's (and is being handled there). */
  onError: (error: unknown) => boolean;
  failureTitle: string;
  children: ReactNode;
}

interface QueryErrorBoundaryState {
  error: unknown;
  failed: boolean;
  resetKey: string;
}

class QueryErrorBoundary extends Component<QueryErrorBoundaryProps, QueryErrorBoundaryState> {
  state: QueryErrorBoundaryState = { error: null, failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<QueryErrorBoundaryState> {
    return { error, failed: true };
  }

  static getDerivedStateFromProps(
    props: QueryErrorBoundaryProps,
    state: QueryErrorBoundaryState,
  ): Partial<QueryErrorBoundaryState> | null {
    return props.resetKey === state.resetKey ? null : { error: null, failed: false, resetKey: props.resetKey };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    if (this.props.onError(error)) return;
    // Kept for whoever opens the console; the page shows only its own sentence.
    console.error("A chat query failed.", error, info.componentStack);
  }

  private readonly retry = () => this.setState({ error: null, failed: false });

  render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    if (isInvalidSessionError(this.state.error)) return <Spinner label="Starting a new chat session…" />;
    return (
      <ErrorNotice title={this.props.failureTitle}>
        <button type="button" className="button button--quiet" onClick={this.retry}>
          Try again
        </button>
      </ErrorNotice>
    );
  }
}
