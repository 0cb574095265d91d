// A destructive action asks once more in place: the first press shows "Confirm" and "Cancel", and
// only the confirmation runs the action. Keyboard users get focus moved to the confirmation.
import { useEffect, useRef, useState } from "react";
import "../../styles/common.css";

interface ConfirmButtonProps {
  /** The action's name, e.g. "Remove owner". */
  label: string;
  /** What the confirmation says, e.g. "Remove Ada? They lose access at once." */
  question: string;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
}

export function ConfirmButton({ label, question, onConfirm, disabled = false }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [running, setRunning] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="button button--quiet" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span className="confirm__question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="button button--danger"
        disabled={running}
        onClick={async () => {
          setRunning(true);
          try {
            await onConfirm();
          } finally {
            setRunning(false);
            setAsking(false);
          }
        }}
      >
        {running ? "Working…" : `Confirm: ${label}`}
      </button>
      <button type="button" className="button button--quiet" onClick={() => setAsking(false)} disabled={running}>
        Cancel
      </button>
    </span>
  );
}
