// Which model answers and which takes over when it fails: a provider and a model id for each, a
// test call for each as currently entered (saved or not), and what is answering right now.
import { useAction, useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import { MODEL_ID_EXAMPLES } from "./modelHints";
import { ModelTestResult, type TestOutcome } from "./ModelTestResult";
import { SubmitFeedback } from "./SubmitFeedback";
import { UNREACHABLE, useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

type Provider = FunctionReturnType<typeof api.models.providers>[number];
type Choice = { providerId: Id<"modelProviders"> | ""; modelId: string };
type Role = "primary" | "fallback";

export function ModelSelectionForm() {
  const providers = useQuery(api.models.providers, {});
  const selection = useQuery(api.models.selection, {});
  // Held here, above the keyed form, so the confirmation outlives the form's restart after a save.
  const submission = useSubmit();
  if (providers === undefined || selection === undefined) return <Spinner label="Loading the models…" />;
  return (
    <section className="settings-section" aria-labelledby="models-selection-title">
      <h2 id="models-selection-title" className="settings-section__title">
        Which model answers
      </h2>
      <p className="settings-answering" data-testid="models-answering">
        Answering now: <strong>{selection.answering.label}</strong> {selection.answering.isOfflineDemo ? <Badge tone="notice">Offline demo</Badge> : null}
      </p>
      {selection.notes.length > 0 ? (
        <ul className="settings-notes">
          {selection.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {providers.length === 0 ? (
        <EmptyState title="No providers configured yet">
          <p>The agent answers with the built-in offline model. Add a provider below to choose another.</p>
        </EmptyState>
      ) : (
        <SelectionForm
          providers={providers}
          submission={submission}
          // Keyed by what is saved, so a save (here or by another owner) restarts the form from it.
          key={JSON.stringify([selection.primary, selection.fallback])}
          saved={{
            primary: selection.primary ? { providerId: selection.primary.providerId, modelId: selection.primary.modelId } : { providerId: "", modelId: "" },
            fallback: selection.fallback ? { providerId: selection.fallback.providerId, modelId: selection.fallback.modelId } : { providerId: "", modelId: "" },
          }}
        />
      )}
      <SubmitFeedback state={submission.state} />
    </section>
  );
}

interface SelectionFormProps {
  providers: Provider[];
  saved: Record<Role, Choice>;
  submission: ReturnType<typeof useSubmit>;
}

function SelectionForm({ providers, saved, submission }: SelectionFormProps) {
  const setSelection = useMutation(api.models.setSelection);
  const [choices, setChoices] = useState(saved);
  const { busy, submit } = submission;
  const dirty = JSON.stringify(choices) !== JSON.stringify(saved);

  function change(role: Role, next: Partial<Choice>) {
    setChoices((previous) => {
      const merged = { ...previous[role], ...next };
      // The local model has one id; fill it in rather than make the owner type it.
      const provider = providers.find((p) => p._id === merged.providerId);
      if (next.providerId !== undefined && provider?.kind === "local" && merged.modelId.trim() === "") merged.modelId = "clawsync-demo";
      return { ...previous, [role]: merged };
    });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { primary, fallback } = choices;
    if (primary.providerId === "") return;
    await submit(
      () =>
        setSelection({
          primary: { providerId: primary.providerId as Id<"modelProviders">, modelId: primary.modelId },
          ...(fallback.providerId !== "" ? { fallback: { providerId: fallback.providerId, modelId: fallback.modelId } } : {}),
        }),
      () => "Saved. The next reply uses these models.",
    );
  }

  return (
    <form className="form settings-form" onSubmit={onSubmit} aria-busy={busy}>
      <ModelChoice role="primary" label="Primary model" providers={providers} choice={choices.primary} onChange={(next) => change("primary", next)} />
      <ModelChoice role="fallback" label="Fallback model" providers={providers} choice={choices.fallback} onChange={(next) => change("fallback", next)} />
      {dirty ? (
        <p className="settings-unsaved" role="status">
          You have unsaved changes.
        </p>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="models-save" disabled={!dirty || busy || choices.primary.providerId === ""}>
          {busy ? "Saving…" : "Save models"}
        </button>
      </div>
    </form>
  );
}

interface ModelChoiceProps {
  role: Role;
  label: string;
  providers: Provider[];
  choice: Choice;
  onChange: (next: Partial<Choice>) => void;
}

function ModelChoice({ role, label, providers, choice, onChange }: ModelChoiceProps) {
  const testCall = useAction(api.models.testCall);
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const provider = providers.find((p) => p._id === choice.providerId);
  const canTest = provider !== undefined && choice.modelId.trim() !== "" && !testing;

  async function runTest() {
    if (provider === undefined) return;
    setTesting(true);
    setOutcome(null);
    try {
      setOutcome(await testCall({ providerId: provider._id, modelId: choice.modelId }));
    } catch {
      setOutcome({ ok: false, errorKind: "unreachable", message: UNREACHABLE, latencyMs: 0 });
    } finally {
      setTesting(false);
    }
  }

  return (
    <fieldset className="model-choice">
      <legend className="form__label">{label}</legend>
      <div className="model-choice__fields">
        <div className="form__field">
          <label htmlFor={`models-${role}-provider`}>Provider</label>
          <select
            id={`models-${role}-provider`}
            className="form__control"
            data-testid={`models-${role}`}
            value={choice.providerId}
            onChange={(event) => {
              onChange({ providerId: event.target.value as Id<"modelProviders"> | "" });
              setOutcome(null);
            }}
          >
            <option value="">{role === "primary" ? "Choose a provider" : "No fallback"}</option>
            {providers.map((p) => (
              <option key={p._id} value={p._id} disabled={!p.enabled}>
                {p.displayName}
                {p.enabled ? "" : " (disabled)"}
                {p.keyRequired && !p.keySet ? " (key not set)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <label htmlFor={`models-${role}-model`}>Model id</label>
          <input
            id={`models-${role}-model`}
            className="form__control"
            data-testid={`models-${role}-model`}
            autoComplete="off"
            spellCheck={false}
            placeholder={provider ? MODEL_ID_EXAMPLES[provider.kind] : ""}
            disabled={choice.providerId === ""}
            value={choice.modelId}
            onChange={(event) => {
              onChange({ modelId: event.target.value });
              setOutcome(null);
            }}
          />
        </div>
      </div>
      <div className="form__actions">
        <button type="button" className="button button--quiet" data-testid={role === "primary" ? "models-test" : "models-test-fallback"} disabled={!canTest} onClick={runTest}>
          {testing ? "Testing…" : `Test ${role === "primary" ? "primary" : "fallback"}`}
        </button>
      </div>
      {outcome ? <ModelTestResult outcome={outcome} testId={`models-test-result-${role}`} /> : null}
    </fieldset>
  );
}
