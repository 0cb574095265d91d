// Adding a model provider: its name, kind, the NAME of the env var holding its key, and for a
// self-hosted OpenAI-compatible server its public https base URL. The server checks every field.
import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { ModelProviderKind } from "../../../../convex/lib/validators";
import { KEY_ENV_EXAMPLES, KIND_LABELS } from "./modelHints";
import { SubmitFeedback } from "./SubmitFeedback";
import { useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

type AddableKind = Exclude<ModelProviderKind, "local">;
const ADDABLE_KINDS: readonly AddableKind[] = ["anthropic", "openai", "openrouter", "openaiCompatible"];

const EMPTY = { slug: "", displayName: "", kind: "anthropic" as AddableKind, apiKeyEnvVar: "", baseUrl: "" };

export function AddProviderForm() {
  const addProvider = useMutation(api.models.addProvider);
  const [fields, setFields] = useState(EMPTY);
  const { state, busy, submit } = useSubmit();
  const compatible = fields.kind === "openaiCompatible";

  function set<K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) {
    setFields((previous) => ({ ...previous, [key]: value }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await submit(
      () =>
        addProvider({
          slug: fields.slug,
          kind: fields.kind,
          displayName: fields.displayName,
          ...(fields.apiKeyEnvVar.trim() ? { apiKeyEnvVar: fields.apiKeyEnvVar } : {}),
          ...(compatible && fields.baseUrl.trim() ? { baseUrl: fields.baseUrl } : {}),
        }),
      () => `Added ${fields.displayName.trim()}. Choose it above as the primary or fallback model.`,
    );
    if (result?.ok) setFields(EMPTY);
  }

  return (
    <section className="settings-section" aria-labelledby="models-add-title">
      <h2 id="models-add-title" className="settings-section__title">
        Add a provider
      </h2>
      <form className="form settings-form" onSubmit={onSubmit} aria-busy={busy} data-testid="models-add-provider">
        <div className="form__field">
          <label className="form__label" htmlFor="provider-kind">
            Kind
          </label>
          <select id="provider-kind" className="form__control" value={fields.kind} onChange={(event) => set("kind", event.target.value as AddableKind)}>
            {ADDABLE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor="provider-name">
            Display name
          </label>
          <input id="provider-name" className="form__control" required value={fields.displayName} onChange={(event) => set("displayName", event.target.value)} />
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor="provider-slug">
            Short name
          </label>
          <input
            id="provider-slug"
            className="form__control"
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby="provider-slug-hint"
            placeholder={fields.kind === "openaiCompatible" ? "my-server" : fields.kind}
            value={fields.slug}
            onChange={(event) => set("slug", event.target.value)}
          />
          <p className="form__hint" id="provider-slug-hint">
            Lowercase letters, digits and hyphens; it names the provider in the activity log.
          </p>
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor="provider-key-env">
            Env var holding the key{compatible ? " (optional)" : ""}
          </label>
          <input
            id="provider-key-env"
            className="form__control"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="provider-key-env-hint"
            placeholder={KEY_ENV_EXAMPLES[fields.kind]}
            value={fields.apiKeyEnvVar}
            onChange={(event) => set("apiKeyEnvVar", event.target.value)}
          />
          <p className="form__hint" id="provider-key-env-hint">
            The NAME of a Convex environment variable ending in _API_KEY. Never paste the key itself here.
          </p>
        </div>
        {compatible ? (
          <div className="form__field">
            <label className="form__label" htmlFor="provider-base-url">
              Base URL
            </label>
            <input
              id="provider-base-url"
              className="form__control"
              type="url"
              inputMode="url"
              required
              autoComplete="off"
              spellCheck={false}
              aria-describedby="provider-base-url-hint"
              placeholder="https://llm.example.com/v1"
              value={fields.baseUrl}
              onChange={(event) => set("baseUrl", event.target.value)}
            />
            <p className="form__hint" id="provider-base-url-hint">
              A public https address on the default port. Private and internal addresses are refused.
            </p>
          </div>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button button--primary" data-testid="models-add-provider-submit" disabled={busy}>
            {busy ? "Adding…" : "Add provider"}
          </button>
        </div>
        <SubmitFeedback state={state} />
      </form>
    </section>
  );
}
