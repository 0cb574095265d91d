// "The agent is replying": three dots while a reply is pending or streaming. The live region is
// always in the page, so screen readers announce the text when it appears.
import "../../styles/chat.css";

export function TypingIndicator({ active }: { active: boolean }) {
  return (
    <div className="typing-region" aria-live="polite">
      {active ? (
        <div className="typing-indicator" data-testid="typing-indicator">
          <span className="typing-indicator__dot" aria-hidden="true" />
          <span className="typing-indicator__dot" aria-hidden="true" />
          <span className="typing-indicator__dot" aria-hidden="true" />
          <span className="visually-hidden">The agent is replying</span>
        </div>
      ) : null}
    </div>
  );
}
