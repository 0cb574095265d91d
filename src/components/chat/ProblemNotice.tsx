// A chat problem shown in place (under the composer, in the thread list, instead of the session):
// the sentence for its kind, with a live countdown for a rate limit.
import type { ReactNode } from "react";
import { describeProblem, type ChatProblem } from "../../lib/chat/chatProblems";
import "../../styles/chat.css";

interface ProblemNoticeProps {
  problem: ChatProblem;
  /** For a rate limit: the time left, from useRemainingMs. The notice is gone at 0. */
  remainingMs: number;
  testId?: string;
  /** A way out, such as "Start a new conversation". */
  action?: ReactNode;
}

export function ProblemNotice({ problem, remainingMs, testId, action }: ProblemNoticeProps) {
  if (problem.kind === "RateLimited" && remainingMs <= 0) return null;
  const nowMs = problem.kind === "RateLimited" ? problem.retryAt - remainingMs : 0;
  const { text, spoken } = describeProblem(problem, nowMs);
  return (
    <div className="problem-notice" role="alert" data-testid={testId} data-kind={problem.kind}>
      {/* A countdown re-read every second would drown a screen reader: it hears the first text once. */}
      <p className="problem-notice__text" aria-hidden={text !== spoken ? true : undefined}>
        {text}
      </p>
      {text !== spoken ? <p className="visually-hidden">{spoken}</p> : null}
      {action ? <div className="problem-notice__action">{action}</div> : null}
    </div>
  );
}
