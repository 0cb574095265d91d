// A skill's configuration. A template skill's config is edited in the form built from the
// template's schema; saving sends the skill back for review. A webhook skill's request and a code
// skill's declaration are shown as they are: a different webhook is a new skill, and code changes
// arrive with a deploy.
import { useMutation } from "convex/react";
import { useMemo, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { buildConfigForm, initialValues, readForm, type ConfigField, type FormValues } from "../../../lib/skills/configForm";
import { problemText } from "../../../lib/skills/problems";
import { ConfirmButton } from "../../common/ConfirmButton";
import { ConfigFields } from "./ConfigFields";
import type { SkillDetail } from "./types";

export function SkillConfig({ skill }: { skill: SkillDetail }) {
  return (
    <>
      {skill.template !== null ? <TemplateConfig skill={skill} template={skill.template} /> : null}
      {skill.webhook !== null ? <WebhookSpec webhook={skill.webhook} /> : null}
      {skill.code !== null ? <CodeDeclaration code={skill.code} /> : null}
      <details className="skills-details">
        <summary>Input schema</summary>
        <pre className="skills-pre">{prettyJson(skill.inputSchemaJson)}</pre>
      </details>
      <p className="form__hint">
        Runs for at most {Math.round(skill.timeoutMs / 1000)} s and returns at most {Math.round(skill.maxOutputBytes / 1024)} KB.
      </p>
    </>
  );
}

function TemplateConfig({ skill, template }: { skill: SkillDetail; template: NonNullable<SkillDetail["template"]> }) {
  const form = useMemo(() => buildConfigForm(template.configSchemaJson), [template.configSchemaJson]);
  return (
    <>
      <p>
        Template: <strong>{template.displayName}</strong>
      </p>
      {form.kind === "fields" ? (
        // Keyed by the saved config, so the form starts again from what the server holds after a save.
        <TemplateConfigForm key={template.configJson} skill={skill} fields={form.fields} configJson={template.configJson} />
      ) : (
        <pre className="skills-pre">{prettyJson(template.configJson)}</pre>
      )}
    </>
  );
}

interface TemplateConfigFormProps {
  skill: SkillDetail;
  fields: readonly ConfigField[];
  configJson: string;
}

function TemplateConfigForm({ skill, fields, configJson }: TemplateConfigFormProps) {
  const update = useMutation(api.skillsAdmin.updateConfig);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, parse(configJson)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Saving takes an approved skill out of use until it is approved again, so that case is confirmed.
  const needsConfirmation = skill.approvalStatus === "approved";

  async function save() {
    setError(null);
    const result = readForm(fields, values);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) {
      setError("Some fields need attention: see the messages beside them.");
      return;
    }
    setBusy(true);
    try {
      await update({ skillId: skill._id, configJson: JSON.stringify(result.config) });
    } catch (caught) {
      setError(problemText(caught, "The configuration could not be saved. Try again."));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!needsConfirmation) void save();
  }

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="skill-config-form">
      <ConfigFields fields={fields} values={values} errors={errors} onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))} />
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        {needsConfirmation ? (
          <ConfirmButton label="Save configuration" question="Saving sends the skill back for review: it stops running until approved again." onConfirm={save} disabled={busy} />
        ) : (
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Saving…" : "Save configuration"}
          </button>
        )}
      </div>
    </form>
  );
}

function WebhookSpec({ webhook }: { webhook: NonNullable<SkillDetail["webhook"]> }) {
  return (
    <>
      <dl className="skills-facts">
        <dt>Request</dt>
        <dd>
          <code>
            {webhook.method} {webhook.urlTemplate}
          </code>
        </dd>
        <dt>Headers</dt>
        <dd>
          {webhook.headers.length === 0 ? (
            "None"
          ) : (
            <ul className="skills-plain-list">
              {webhook.headers.map((header, index) => (
                <li key={index}>
                  <code>
                    {header.name}: {header.valueTemplate}
                  </code>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Body</dt>
        <dd>{webhook.bodyTemplate !== undefined ? <pre className="skills-pre">{webhook.bodyTemplate}</pre> : "None"}</dd>
        <dt>Response format</dt>
        <dd>{webhook.responseFormat === "json" ? "JSON" : "Text"}</dd>
      </dl>
      <p className="form__hint">A webhook skill&apos;s request is fixed once created: for a different request, create a new skill.</p>
    </>
  );
}

function CodeDeclaration({ code }: { code: NonNullable<SkillDetail["code"]> }) {
  return (
    <>
      <dl className="skills-facts">
        <dt>Module</dt>
        <dd>
          <code>{code.module}</code>
          {code.missing ? " (no longer in this deployment: it cannot run)" : ""}
        </dd>
        <dt>Declared hosts</dt>
        <dd>{code.allowedDomains.length === 0 ? "None" : code.allowedDomains.join(", ")}</dd>
      </dl>
      <p className="form__hint">A code skill is defined in the deployment&apos;s code; a change arrives with a deploy and waits for review again.</p>
    </>
  );
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}

function prettyJson(json: string): string {
  const value = parse(json);
  return value === null ? json : JSON.stringify(value, null, 2);
}
