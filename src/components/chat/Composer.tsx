// The message box under the conversation.
import { useId, useState, type FormEvent } from "react";
import "../../styles/chat.css";

interface ComposerProps {
  placeholder: string;
  /** Without a handler the composer is shown but disabled: there is nowhere to send yet. */
  onSend?: (text: string) => void;
  /** The id of the element explaining why sending is unavailable. */
  describedBy?: string;
}

export function Composer({ placeholder, onSend, describedBy }: ComposerProps) {
  const [text, setText] = useState("");
  const inputId = useId();
  const disabled = onSend === undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = text.trim();
    if (!onSend || message.length === 0) return;
    onSend(message);
    setText("");
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={inputId} className="visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        className="composer__input"
        rows={2}
        placeholder={placeholder}
        value={text}
        onChange={(event) => setText(event.target.value)}
        disabled={disabled}
        aria-describedby={describedBy}
      />
      <button type="submit" className="button button--primary" disabled={disabled}>
        Send
      </button>
    </form>
  );
}
