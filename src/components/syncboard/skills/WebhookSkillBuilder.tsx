// A new webhook skill: one HTTPS request with {placeholders} the model fills, headers that name
// skill secrets rather than hold them, the response format, the input schema the checker enforces,
// and the hosts the owner allows it to call.
import { useMutation } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { LIMITS, type HttpMethod } from "../../../../convex/lib/validators";
import { EMPTY_IDENTITY, identityProblems, type IdentityProblems, type SkillIdentity } from "../../../lib/skills/identity";
import {
  EMPTY_DRAFT,
  HTTP_METHODS,
  MAX_HEADERS,
  draftInputSchema,
  placeholdersOf,
  secretRefsOf,
  templateHost,
  webhookProblems,
  webhookSpec,
  type HeaderDraft,
  type WebhookDraft,
  type WebhookProblems,
} from "../../../lib/skills/webhookDraft";
import { AllowlistEditor } from "./AllowlistEditor";
import { CreateSkillActions } from "./CreateSkillActions";
import { FieldError } from "./FieldError";
import { IdentityFields } from "./IdentityFields";
import { useCreateSkill } from "./useCreateSkill";

export function WebhookSkillBuilder({ onCreated }: { onCreated: (skillId: Id<"skills">) => void }) {
  const create = useMutation(api.skillsAdmin.createWebhook);
  const ids = { method: useId(), url: useId(), body: useId(), format: useId(), schema: useId() };
  const [identity, setIdentity] = useState<SkillIdentity>(EMPTY_IDENTITY);
  const [draft, setDraft] = useState<WebhookDraft>(EMPTY_DRAFT);
  const [hosts, setHosts] = useState<string[]>([]);
  const [identityErrors, setIdentityErrors] = useState<IdentityProblems>({});
  const [problems, setProblems] = useState<WebhookProblems>({});
  const { error, busy, create: createSkill } = useCreateSkill(onCreated);

  const update = (change: Partial<WebhookDraft>) => setDraft((current) => ({ ...current, ...change }));
  const placeholders = placeholdersOf(draft.urlTemplate, draft.bodyTemplate);
  const host = templateHost(draft.urlTemplate);
  const secrets = secretRefsOf(draft.headers);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const identityFound = identityProblems(identity);
    const draftFound = webhookProblems(draft);
    setIdentityErrors(identityFound);
    setProblems(draftFound);
    const fieldsOk = Object.keys(identityFound).length === 0 && Object.keys(draftFound).length === 0;
    await createSkill(
      fieldsOk
        ? () =>
            create({
              ...identity,
              displayName: identity.displayName.trim(),
              description: identity.description.trim(),
              webhook: webhookSpec(draft),
              inputSchemaJson: draft.inputSchemaJson,
              allowedHosts: hosts,
            })
        : null,
    );
  }

  return (
    <form className="form skills-new" onSubmit={(event) => void submit(event)} noValidate>
      <IdentityFields value={identity} problems={identityErrors} onChange={setIdentity} />

      <fieldset className="skills-fieldset">
        <legend className="form__label">Request</legend>
        <div className="form__field">
          <label className="form__label" htmlFor={ids.method}>
            Method
          </label>
          <select id={ids.method} className="form__control" value={draft.method} onChange={(event) => update({ method: event.target.value as HttpMethod })}>
            {HTTP_METHODS.map((method) => (
              <option key={method} value={method}>
                {method}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor={ids.url}>
            URL template
          </label>
          <input
            id={ids.url}
            className="form__control skills-mono"
            type="url"
            spellCheck={false}
            autoComplete="off"
            placeholder="https://api.example.com/v1/forecast?city={city}"
            value={draft.urlTemplate}
            aria-invalid={problems.urlTemplate !== undefined}
            aria-describedby={`${ids.url}-hint ${ids.url}-error`}
            onChange={(event) => update({ urlTemplate: event.target.value })}
          />
          <p id={`${ids.url}-hint`} className="form__hint">
            An https:// address with a fixed host. Write {"{name}"} in the path or query for a value the model fills in; each value is encoded so it cannot change the address.
          </p>
          <FieldError id={`${ids.url}-error`} message={problems.urlTemplate} />
        </div>
        <HeadersEditor headers={draft.headers} problems={problems} onChange={(headers) => update({ headers })} />
        <div className="form__field">
          <label className="form__label" htmlFor={ids.body}>
            Body template (optional)
          </label>
          <textarea
            id={ids.body}
            className="form__control skills-mono"
            rows={4}
            spellCheck={false}
            maxLength={LIMITS.jsonDocChars}
            placeholder={'{"city": {city}}'}
            value={draft.bodyTemplate}
            aria-invalid={problems.bodyTemplate !== undefined}
            aria-describedby={`${ids.body}-hint ${ids.body}-error`}
            onChange={(event) => update({ bodyTemplate: event.target.value })}
          />
          <p id={`${ids.body}-hint`} className="form__hint">
            JSON to send; each {"{name}"} becomes the model&apos;s value as a complete JSON value.
          </p>
          <FieldError id={`${ids.body}-error`} message={problems.bodyTemplate} />
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor={ids.format}>
            Response format
          </label>
          <select id={ids.format} className="form__control" value={draft.responseFormat} onChange={(event) => update({ responseFormat: event.target.value === "text" ? "text" : "json" })}>
            <option value="json">JSON</option>
            <option value="text">Text</option>
          </select>
        </div>
      </fieldset>

      <fieldset className="skills-fieldset">
        <legend className="form__label">Input the model gives</legend>
        <div className="form__field">
          <label className="form__label" htmlFor={ids.schema}>
            Input schema (JSON Schema)
          </label>
          <textarea
            id={ids.schema}
            className="form__control skills-mono"
            rows={8}
            spellCheck={false}
            maxLength={LIMITS.jsonDocChars}
            value={draft.inputSchemaJson}
            aria-invalid={problems.inputSchemaJson !== undefined}
            aria-describedby={`${ids.schema}-hint ${ids.schema}-error`}
            onChange={(event) => update({ inputSchemaJson: event.target.value })}
          />
          <p id={`${ids.schema}-hint`} className="form__hint">
            Every call is checked against it before the request is made.
            {placeholders.length > 0 ? ` The templates use: ${placeholders.join(", ")}.` : ""}
          </p>
          <FieldError id={`${ids.schema}-error`} message={problems.inputSchemaJson} />
        </div>
        <div className="form__actions">
          <button type="button" className="button button--quiet" onClick={() => update({ inputSchemaJson: draftInputSchema(placeholders) })}>
            Fill in from the placeholders
          </button>
        </div>
      </fieldset>

      <fieldset className="skills-fieldset">
        <legend className="form__label">Allowlist</legend>
        <p className="form__hint">The skill may call only the hosts listed here. Each is added by you, exactly as typed.</p>
        <AllowlistEditor
          entries={hosts.map((hostname) => ({ key: hostname, hostname }))}
          suggestion={host !== null && !hosts.includes(host) ? host : null}
          confirmRemoval={false}
          maxEntries={LIMITS.allowedDomainsPerSkill}
          onAdd={async (added) => {
            setHosts((current) => (current.includes(added) ? current : [...current, added]));
            return null;
          }}
          onRemove={(removed) => setHosts((current) => current.filter((hostname) => hostname !== removed))}
        />
      </fieldset>

      <ul className="skills-notes">
        <li>The skill waits, switched off, until an owner approves it.</li>
        {secrets.length > 0 ? <li>Set the secret {secrets.join(", ")} on the skill&apos;s page once it is created.</li> : null}
      </ul>
      <CreateSkillActions error={error} busy={busy} label="Create webhook skill" />
    </form>
  );
}

interface HeadersEditorProps {
  headers: HeaderDraft[];
  problems: WebhookProblems;
  onChange: (headers: HeaderDraft[]) => void;
}

/** Request headers; a value names a secret as {{secret.NAME}} and never holds one. */
function HeadersEditor({ headers, problems, onChange }: HeadersEditorProps) {
  const prefix = useId();
  const change = (index: number, header: HeaderDraft) => onChange(headers.map((current, i) => (i === index ? header : current)));
  return (
    <fieldset className="skills-fieldset skills-headers">
      <legend className="form__label">Headers</legend>
      <p className="form__hint">
        To send a key, store it as a skill secret and write {"{{secret.NAME}}"} here, for example <code>Bearer {"{{secret.API_TOKEN}}"}</code>. A key typed in here is refused.
      </p>
      {headers.map((header, index) => {
        const id = `${prefix}-${index}`;
        return (
          <div key={index} className="skills-headers__row">
            <div className="form__field">
              <label className="form__label" htmlFor={`${id}-name`}>
                Header {index + 1} name
              </label>
              <input
                id={`${id}-name`}
                className="form__control skills-mono"
                spellCheck={false}
                value={header.name}
                aria-invalid={problems[`header${index}`] !== undefined}
                aria-describedby={`${id}-error`}
                onChange={(event) => change(index, { ...header, name: event.target.value })}
              />
              <FieldError id={`${id}-error`} message={problems[`header${index}`]} />
            </div>
            <div className="form__field">
              <label className="form__label" htmlFor={`${id}-value`}>
                Header {index + 1} value
              </label>
              <input id={`${id}-value`} className="form__control skills-mono" spellCheck={false} autoComplete="off" value={header.value} onChange={(event) => change(index, { ...header, value: event.target.value })} />
            </div>
            <button type="button" className="button button--quiet" onClick={() => onChange(headers.filter((_, i) => i !== index))}>
              Remove header {index + 1}
            </button>
          </div>
        );
      })}
      <div className="form__actions">
        <button type="button" className="button button--quiet" onClick={() => onChange([...headers, { name: "", value: "" }])} disabled={headers.length >= MAX_HEADERS}>
          Add header
        </button>
      </div>
    </fieldset>
  );
}
