// A skill's domain allowlist: exact host names, each added by the owner's own action. Used by the
// webhook builder (the list is sent with the new skill) and by the skill's page (each change saved
// at once). What is typed is checked with the server's rules first: no wildcard, no IP address, no
// internal name; the server checks again.
import { useId, useState } from "react";
import { checkAllowlistEntry } from "../../../lib/skills/webhookDraft";
import { ConfirmButton } from "../../common/ConfirmButton";
import { FieldError } from "./FieldError";

/** One entry; `key` identifies it to `onRemove` (a saved entry's id, or a draft's host name). */
export interface AllowlistRow<K extends string> {
  key: K;
  hostname: string;
}

interface AllowlistEditorProps<K extends string> {
  entries: readonly AllowlistRow<K>[];
  /** Adds a checked host; resolves to an error to show, or null. */
  onAdd: (host: string) => Promise<string | null>;
  onRemove: (key: K) => void | Promise<void>;
  /** A host the skill calls that is not on the list yet, offered as a one-press addition. */
  suggestion?: string | null;
  /** Removing a saved entry stops the skill's calls to that host, so it asks first. */
  confirmRemoval: boolean;
  maxEntries: number;
}

export function AllowlistEditor<K extends string>({ entries, onAdd, onRemove, suggestion = null, confirmRemoval, maxEntries }: AllowlistEditorProps<K>) {
  const inputId = useId();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const full = entries.length >= maxEntries;

  async function add(raw: string) {
    const checked = checkAllowlistEntry(raw);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    const problem = await onAdd(checked.host);
    setBusy(false);
    setError(problem ?? undefined);
    if (problem === null) setDraft("");
  }

  return (
    <div className="skills-allowlist" data-testid="skill-allowlist">
      {entries.length === 0 ? (
        <p className="form__hint">No hosts allowed yet: every call to the network will be refused.</p>
      ) : (
        <ul className="skills-allowlist__list">
          {entries.map((entry) => (
            <li key={entry.key} className="skills-allowlist__item">
              <code>{entry.hostname}</code>
              {confirmRemoval ? (
                <ConfirmButton label={`Remove ${entry.hostname}`} question="Calls to this host will be refused." onConfirm={() => onRemove(entry.key)} />
              ) : (
                <button type="button" className="button button--quiet" onClick={() => void onRemove(entry.key)}>
                  Remove {entry.hostname}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {suggestion !== null && !full ? (
        <p className="skills-allowlist__suggestion">
          The URL calls <code>{suggestion}</code>, which is not on the list.{" "}
          <button type="button" className="button button--quiet" onClick={() => void add(suggestion)} disabled={busy}>
            Allow {suggestion}
          </button>
        </p>
      ) : null}
      {/* A nested form is not allowed, so the builder's copy of this editor is a group, not a form. */}
      <div className="skills-allowlist__add" role="group" aria-label="Add a host to the allowlist">
        <div className="form__field">
          <label className="form__label" htmlFor={inputId}>
            Host name
          </label>
          <input
            id={inputId}
            className="form__control skills-mono"
            value={draft}
            placeholder="api.example.com"
            spellCheck={false}
            autoComplete="off"
            disabled={full}
            aria-invalid={error !== undefined}
            aria-describedby={`${inputId}-hint ${inputId}-error`}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              // Enter adds the host (inside the builder's form it would otherwise submit the whole skill).
              if (event.key === "Enter") {
                event.preventDefault();
                void add(draft);
              }
            }}
          />
          <p id={`${inputId}-hint`} className="form__hint">
            {full ? `The allowlist is full (${maxEntries} hosts): remove one first.` : "The exact host name only: no https://, port, path or wildcard."}
          </p>
          <FieldError id={`${inputId}-error`} message={error} />
        </div>
        <div className="form__actions">
          <button type="button" className="button button--quiet" onClick={() => void add(draft)} disabled={busy || full}>
            Add host
          </button>
        </div>
      </div>
    </div>
  );
}
