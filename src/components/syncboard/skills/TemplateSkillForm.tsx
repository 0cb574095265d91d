// A new skill from a built-in template: pick the template, describe the skill, and fill in the form
// built from the template's config schema (or its JSON, for a schema the form cannot show).
import { useMutation, useQuery } from "convex/react";
import { useId, useMemo, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { buildConfigForm, initialValues, readForm, type FormValues } from "../../../lib/skills/configForm";
import { EMPTY_IDENTITY, identityProblems, type IdentityProblems, type SkillIdentity } from "../../../lib/skills/identity";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import { ConfigFields } from "./ConfigFields";
import { CreateSkillActions } from "./CreateSkillActions";
import { FieldError } from "./FieldError";
import { IdentityFields } from "./IdentityFields";
import type { TemplateListing } from "./types";
import { useCreateSkill } from "./useCreateSkill";

export function TemplateSkillForm({ onCreated }: { onCreated: (skillId: Id<"skills">) => void }) {
  const templates = useQuery(api.skillsAdmin.templates, {});
  const [picked, setPicked] = useState<TemplateListing | null>(null);
  const legendId = useId();

  if (templates === undefined) return <Spinner label="Loading templates…" />;
  if (templates.length === 0) {
    return (
      <EmptyState title="No templates yet">
        <p>The deployment adds its built-in templates when it syncs its skills, at start-up and every few minutes.</p>
      </EmptyState>
    );
  }
  return (
    <div className="skills-new">
      <fieldset className="skills-fieldset" aria-labelledby={legendId}>
        <legend id={legendId} className="form__label">
          Template
        </legend>
        <div className="skills-templates">
          {templates.map((template) => (
            <label key={template.key} className={`skills-template${picked?.key === template.key ? " is-picked" : ""}`}>
              <input type="radio" name="template" value={template.key} checked={picked?.key === template.key} onChange={() => setPicked(template)} />
              <span className="skills-template__name">{template.displayName}</span>
              <span className="form__hint">{template.description}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {picked !== null ? <TemplateDetailsForm key={picked.key} template={picked} onCreated={onCreated} /> : null}
    </div>
  );
}

function TemplateDetailsForm({ template, onCreated }: { template: TemplateListing; onCreated: (skillId: Id<"skills">) => void }) {
  const create = useMutation(api.skillsAdmin.createFromTemplate);
  const form = useMemo(() => buildConfigForm(template.configSchemaJson), [template.configSchemaJson]);
  const jsonId = useId();
  const [identity, setIdentity] = useState<SkillIdentity>(EMPTY_IDENTITY);
  const [values, setValues] = useState<FormValues>(() => (form.kind === "fields" ? initialValues(form.fields) : {}));
  const [configText, setConfigText] = useState("{}");
  const [identityErrors, setIdentityErrors] = useState<IdentityProblems>({});
  const [configErrors, setConfigErrors] = useState<Record<string, string>>({});
  const { error, busy, create: createSkill } = useCreateSkill(onCreated);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = identityProblems(identity);
    const config = form.kind === "fields" ? readForm(form.fields, values) : readJson(configText);
    setIdentityErrors(problems);
    setConfigErrors(config.ok ? {} : config.errors);
    const fieldsOk = Object.keys(problems).length === 0 && config.ok;
    await createSkill(
      fieldsOk
        ? () => create({ ...identity, displayName: identity.displayName.trim(), description: identity.description.trim(), templateKey: template.key, configJson: JSON.stringify(config.config) })
        : null,
    );
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <IdentityFields value={identity} problems={identityErrors} onChange={setIdentity} />
      <fieldset className="skills-fieldset">
        <legend className="form__label">{template.displayName} configuration</legend>
        {form.kind === "fields" ? (
          <ConfigFields fields={form.fields} values={values} errors={configErrors} onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))} />
        ) : (
          <div className="form__field">
            <label className="form__label" htmlFor={jsonId}>
              Configuration (JSON)
            </label>
            <textarea id={jsonId} className="form__control skills-mono" rows={6} value={configText} onChange={(event) => setConfigText(event.target.value)} aria-describedby={`${jsonId}-hint ${jsonId}-error`} />
            <p id={`${jsonId}-hint`} className="form__hint">
              {form.reason} Enter the configuration as JSON.
            </p>
            <FieldError id={`${jsonId}-error`} message={configErrors.json} />
          </div>
        )}
      </fieldset>
      <TemplateNotes template={template} />
      <CreateSkillActions error={error} busy={busy} label="Create skill" />
    </form>
  );
}

function TemplateNotes({ template }: { template: TemplateListing }) {
  return (
    <ul className="skills-notes">
      <li>The skill waits, switched off, until an owner approves it.</li>
      {template.secretNames.length > 0 ? <li>It reads the secret {template.secretNames.join(", ")}: set it on the skill&apos;s page once created.</li> : null}
      {template.usesNetwork ? <li>It calls the network: every host it calls must be on its allowlist, which you edit on the skill&apos;s page.</li> : null}
    </ul>
  );
}

function readJson(text: string): { ok: true; config: unknown } | { ok: false; errors: Record<string, string> } {
  try {
    return { ok: true, config: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, errors: { json: "This is not valid JSON." } };
  }
}
