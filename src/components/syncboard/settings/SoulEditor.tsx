// The soul document editor: the live version in a textarea, a character count against the limit,
// a notice while there are unsaved changes, and save. A save names the version the edit started
// from, so an edit another owner saved meanwhile is never silently replaced.
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { ConfirmButton } from "../../common/ConfirmButton";
import { Spinner } from "../../common/Spinner";
import { SubmitFeedback } from "./SubmitFeedback";
import { useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

/** An edit in progress: its text and the version it started from. */
type Draft = { text: string; baseVersion: number | null };

export function SoulEditor() {
  const current = useQuery(api.soul.current, {});
  const save = useMutation(api.soul.save);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { state, busy, submit, reset } = useSubmit();

  const dirty = current !== undefined && draft !== null && draft.text !== current.content;
  useUnsavedChangesWarning(dirty);

  if (current === undefined) return <Spinner label="Loading the soul document…" />;

  const text = draft?.text ?? current.content;
  const tooLong = text.length > current.maxChars;
  const blank = text.trim() === "";

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (current === undefined || !dirty || tooLong || blank) return;
    const result = await submit(() => save({ content: text, baseVersion: draft?.baseVersion ?? current.version }), (saved) => `Saved as version ${saved.version}. The next reply uses it.`);
    if (result?.ok) setDraft(null);
  }

  return (
    <form className="form settings-form settings-form--wide" onSubmit={onSubmit} aria-busy={busy}>
      <div className="form__field">
        <label className="form__label" htmlFor="soul-text">
          Soul document (Markdown)
        </label>
        <p className="form__hint" id="soul-hint">
          {current.version === null ? "The built-in default is live; saving makes it version 1." : `Version ${current.version} is live.`} Every save is a new
          version, used from the very next reply.
        </p>
        <textarea
          id="soul-text"
          className="form__control soul-editor__text"
          data-testid="soul-editor"
          aria-describedby="soul-hint soul-count"
          aria-invalid={tooLong || blank}
          spellCheck
          value={text}
          onChange={(event) => {
            setDraft({ text: event.target.value, baseVersion: draft?.baseVersion ?? current.version });
            if (state.status === "done") reset();
          }}
        />
        <p id="soul-count" className={tooLong ? "form__error" : "form__hint"} aria-live="polite">
          {text.length.toLocaleString()} of {current.maxChars.toLocaleString()} characters{tooLong ? ": shorten it to save." : ""}
          {blank ? " The soul document cannot be blank." : ""}
        </p>
      </div>
      {dirty ? (
        <p className="settings-unsaved" role="status" data-testid="soul-unsaved">
          You have unsaved changes.
        </p>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="soul-save" disabled={!dirty || tooLong || blank || busy}>
          {busy ? "Saving…" : "Save new version"}
        </button>
        {dirty ? <ConfirmButton label="Discard changes" question="Discard your unsaved edits?" onConfirm={() => setDraft(null)} disabled={busy} /> : null}
      </div>
      <SubmitFeedback state={state} />
    </form>
  );
}

/** Asks the browser to confirm leaving the page while an edit is unsaved. */
function useUnsavedChangesWarning(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [active]);
}
