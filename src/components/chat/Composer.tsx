// The message box under the conversation. Enter sends, Shift+Enter starts a new line. What the
// server refuses is explained right here, and a refused message stays in the box.
import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import { draftProblem, type ChatProblem } from "../../lib/chat/chatProblems";
import { characterCounter } from "../../lib/chat/messages";
import { useRemainingMs } from "../../lib/chat/useCountdown";
import { ProblemNotice } from "./ProblemNotice";
import "../../styles/chat.css";

interface ComposerProps {
  placeholder: string;
  maxChars: number;
  /** Sends the text; resolves to null when it was accepted, or to why it was not. */
  onSend: ((text: string) => Promise<ChatProblem | null>) | null;
  /** Why there is nowhere to send yet (no session): the id of the element that says so. */
  unavailableId?: string;
  /** The open conversation; switching conversations clears the last problem. */
  conversationKey: string;
  onStartNewConversation: () => void;
  /** The message box, which keeps (or gets back) focus around a send. */
  inputRef: RefObject<HTMLTextAreaElement | null>;
}

export function Composer({
  placeholder,
  maxChars,
  onSend,
  unavailableId,
  conversationKey,
  onStartNewConversation,
  inputRef,
}: ComposerProps) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ChatProblem | null>(null);
  const [problemKey, setProblemKey] = useState(conversationKey);
  if (problemKey !== conversationKey) {
    setProblemKey(conversationKey);
    setProblem(null);
  }
  const remainingMs = useRemainingMs(
    problem?.kind === "RateLimited" ? problem.retryAt : null,
    problem?.kind === "RateLimited" ? problem.retryAfterMs : 0,
  );
  const inputId = useId();
  const hintId = useId();
  const counterId = useId();
  const problemId = useId();

  const unavailable = onSend === null;
  const waiting = problem?.kind === "RateLimited" && remainingMs > 0;
  const counter = characterCounter(text.length, maxChars);

  async function submit() {
    if (onSend === null || busy || waiting) return;
    // The Send button is disabled while sending; focus moves to the box first, so it is not lost.
    inputRef.current?.focus();
    const local = draftProblem(text, maxChars);
    if (local) {
      setProblem(local);
      return;
    }
    setBusy(true);
    setProblem(null);
    const outcome = await onSend(text);
    setBusy(false);
    if (outcome === null) setText("");
    else setProblem(outcome);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  }

  const describedBy = [hintId, unavailable ? unavailableId : undefined, counter.visible ? counterId : undefined, problem ? problemId : undefined]
    .filter(Boolean)
    .join(" ");

  return (
    <form className="composer" onSubmit={onSubmit} aria-busy={busy}>
      {problem ? (
        <div id={problemId} className="composer__problem">
          <ProblemNotice
            problem={problem}
            remainingMs={remainingMs}
            testId="composer-error"
            action={
              problem.kind === "ThreadNotFound" ? (
                <button type="button" className="button button--quiet" onClick={onStartNewConversation}>
                  Start a new conversation
                </button>
              ) : undefined
            }
          />
        </div>
      ) : null}
      <div className="composer__row">
        <label htmlFor={inputId} className="visually-hidden">
          Message
        </label>
        <textarea
          id={inputId}
          ref={inputRef}
          className="composer__input"
          data-testid="composer-input"
          rows={2}
          placeholder={placeholder}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          // Read-only rather than disabled while sending, so focus stays in the box.
          readOnly={busy}
          disabled={unavailable}
          aria-describedby={describedBy}
          aria-invalid={counter.over ? true : undefined}
        />
        <button
          type="submit"
          className="button button--primary composer__send"
          data-testid="composer-send"
          disabled={unavailable || busy || waiting}
        >
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
      <div className="composer__meta">
        <p id={hintId} className="composer__hint">
          Enter to send, Shift+Enter for a new line
        </p>
        {counter.visible ? (
          <p id={counterId} className={counter.over ? "composer__counter is-over" : "composer__counter"}>
            {counter.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
