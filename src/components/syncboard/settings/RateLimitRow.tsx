// One rate limit: shown as a sentence, or, while edited, as three number fields with save and
// cancel. Reset fills in the default for review; nothing changes until save.
import { useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { describeRate, SCOPE_WORDS } from "./rateLimitWords";
import { SubmitFeedback } from "./SubmitFeedback";
import { useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

type Limit = FunctionReturnType<typeof api.rateLimitSettings.list>[number];
type Config = Limit["config"];
/** The edit form's fields as typed; the period is edited in seconds. */
type Draft = { rate: string; periodSeconds: string; capacity: string };

function draftOf(config: Config): Draft {
  return { rate: String(config.rate), periodSeconds: String(config.period / 1000), capacity: config.capacity === undefined ? "" : String(config.capacity) };
}

function configOf(draft: Draft, base: Config): Config {
  const { capacity: _dropped, ...rest } = base;
  return {
    ...rest,
    rate: Number(draft.rate),
    period: Math.round(Number(draft.periodSeconds) * 1000),
    ...(draft.capacity.trim() !== "" ? { capacity: Number(draft.capacity) } : {}),
  };
}

export function RateLimitRow({ limit }: { limit: Limit }) {
  const update = useMutation(api.rateLimitSettings.update);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { state, busy, submit, reset } = useSubmit();
  const { name } = limit;
  const formId = `config-rate-limit-form-${name}`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    const result = await submit(() => update({ name, config: configOf(draft, limit.config) }), () => "Saved.");
    if (result?.ok) setDraft(null);
  }

  const field = (key: keyof Draft, label: string, min: number) => (
    <label className="rate-limit__field">
      <span className="rate-limit__label">{label}</span>
      <input
        className="form__control settings-number"
        form={formId}
        type="number"
        inputMode="numeric"
        min={min}
        step={1}
        required={key !== "capacity"}
        data-testid={`config-rate-limit-${key}-${name}`}
        value={draft?.[key] ?? ""}
        onChange={(event) => setDraft((previous) => (previous ? { ...previous, [key]: event.target.value } : previous))}
      />
    </label>
  );

  return (
    <tr data-testid={`config-rate-limit-${name}`}>
      <th scope="row">
        {limit.label} {limit.fromSpec ? <Badge>spec</Badge> : null}
        {limit.isDefault ? null : <span className="settings-muted rate-limit__changed">changed from {describeRate(limit.defaultConfig.rate, limit.unit, limit.defaultConfig.period)}</span>}
      </th>
      <td>{SCOPE_WORDS[limit.scope]}</td>
      {draft === null ? (
        <>
          <td>{describeRate(limit.config.rate, limit.unit, limit.config.period)}</td>
          <td>{limit.config.capacity?.toLocaleString() ?? "none"}</td>
          <td>
            <button
              type="button"
              className="button button--quiet"
              data-testid={`config-rate-limit-edit-${name}`}
              aria-label={`Edit ${limit.label}`}
              onClick={() => {
                reset();
                setDraft(draftOf(limit.config));
              }}
            >
              Edit
            </button>
            <SubmitFeedback state={state} />
          </td>
        </>
      ) : (
        <>
          <td>
            {field("rate", limit.unit === "seconds" ? "Seconds" : "Requests", 1)}
            {field("periodSeconds", "Period (seconds)", 1)}
          </td>
          <td>{field("capacity", "Burst", 1)}</td>
          <td>
            <form id={formId} className="rate-limit__actions" onSubmit={onSubmit} aria-label={`Edit ${limit.label}`}>
              <button type="submit" className="button button--primary" data-testid={`config-rate-limit-save-${name}`} disabled={busy}>
                {busy ? "Saving…" : "Save"}
              </button>
              <button type="button" className="button button--quiet" onClick={() => setDraft(null)} disabled={busy}>
                Cancel
              </button>
              {limit.isDefault ? null : (
                <button type="button" className="button button--quiet" onClick={() => setDraft(draftOf(limit.defaultConfig))} disabled={busy}>
                  Use default
                </button>
              )}
            </form>
            <SubmitFeedback state={state} />
          </td>
        </>
      )}
    </tr>
  );
}
