// The public chat's settings: what visitors see (model badge, skill indicators, activity feed,
// the input's placeholder) and the longest message they may send. Saved together.
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { Spinner } from "../../common/Spinner";
import { SubmitFeedback } from "./SubmitFeedback";
import { useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

type Saved = FunctionReturnType<typeof api.uiSettings.get>;
type Fields = { showModelBadge: boolean; showSkillIndicators: boolean; showActivityFeed: boolean; chatPlaceholder: string; maxMessageChars: string };

const TOGGLES: readonly { key: "showModelBadge" | "showSkillIndicators" | "showActivityFeed"; label: string; hint: string }[] = [
  { key: "showModelBadge", label: "Show the model badge", hint: "Visitors see which model answers." },
  { key: "showSkillIndicators", label: "Show skill indicators", hint: "Messages show which skills the agent used." },
  { key: "showActivityFeed", label: "Show the activity feed", hint: "The entries you publish appear beside the chat." },
];

function fieldsOf(saved: Saved): Fields {
  return {
    showModelBadge: saved.showModelBadge,
    showSkillIndicators: saved.showSkillIndicators,
    showActivityFeed: saved.showActivityFeed,
    chatPlaceholder: saved.chatPlaceholder,
    maxMessageChars: String(saved.maxMessageChars),
  };
}

export function ChatSettingsForm() {
  const saved = useQuery(api.uiSettings.get, {});
  // Held here, above the keyed form, so the confirmation outlives the form's restart after a save.
  const submission = useSubmit();
  return (
    <section className="settings-section" aria-labelledby="config-chat-title">
      <h2 id="config-chat-title" className="settings-section__title">
        Chat
      </h2>
      {saved === undefined ? (
        <Spinner label="Loading the chat settings…" />
      ) : (
        // Keyed by what is saved, so a save (here or by another owner) restarts the form from it.
        <ChatForm key={JSON.stringify(fieldsOf(saved))} saved={saved} submission={submission} />
      )}
      <SubmitFeedback state={submission.state} />
    </section>
  );
}

function ChatForm({ saved, submission }: { saved: Saved; submission: ReturnType<typeof useSubmit> }) {
  const update = useMutation(api.uiSettings.update);
  const [fields, setFields] = useState(() => fieldsOf(saved));
  const { busy, submit } = submission;
  const dirty = JSON.stringify(fields) !== JSON.stringify(fieldsOf(saved));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    await submit(() => update({ ...fields, maxMessageChars: Number(fields.maxMessageChars) }), () => "Saved. Visitors see the change at once.");
  }

  return (
    <form className="form settings-form" onSubmit={onSubmit} aria-busy={busy}>
      <fieldset className="settings-toggles">
        <legend className="form__label">What visitors see</legend>
        {TOGGLES.map(({ key, label, hint }) => (
          <div key={key} className="settings-toggle">
            <input
              id={`config-${key}`}
              type="checkbox"
              data-testid={`config-${key}`}
              aria-describedby={`config-${key}-hint`}
              checked={fields[key]}
              onChange={(event) => setFields((previous) => ({ ...previous, [key]: event.target.checked }))}
            />
            <label htmlFor={`config-${key}`}>{label}</label>
            <p className="form__hint" id={`config-${key}-hint`}>
              {hint}
            </p>
          </div>
        ))}
      </fieldset>
      <div className="form__field">
        <label className="form__label" htmlFor="config-placeholder">
          Chat placeholder
        </label>
        <input
          id="config-placeholder"
          className="form__control"
          data-testid="config-chat-placeholder"
          required
          maxLength={saved.placeholderMaxChars}
          aria-describedby="config-placeholder-hint"
          value={fields.chatPlaceholder}
          onChange={(event) => setFields((previous) => ({ ...previous, chatPlaceholder: event.target.value }))}
        />
        <p className="form__hint" id="config-placeholder-hint">
          The hint inside the message box, up to {saved.placeholderMaxChars} characters.
        </p>
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="config-max-chars">
          Longest message (characters)
        </label>
        <input
          id="config-max-chars"
          className="form__control settings-number"
          data-testid="config-max-message-chars"
          type="number"
          inputMode="numeric"
          required
          min={1}
          max={saved.messageCharsCeiling}
          step={1}
          aria-describedby="config-max-chars-hint"
          value={fields.maxMessageChars}
          onChange={(event) => setFields((previous) => ({ ...previous, maxMessageChars: event.target.value }))}
        />
        <p className="form__hint" id="config-max-chars-hint">
          Longer messages are refused before they reach the agent. From 1 to {saved.messageCharsCeiling.toLocaleString()}; the default is 4,000.
        </p>
      </div>
      {dirty ? (
        <p className="settings-unsaved" role="status">
          You have unsaved changes.
        </p>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="config-save" disabled={!dirty || busy}>
          {busy ? "Saving…" : "Save chat settings"}
        </button>
      </div>
    </form>
  );
}
