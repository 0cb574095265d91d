// The inputs of a form built from a template's config schema (src/lib/skills/configForm.ts).
import { useId } from "react";
import type { ConfigField, FormValues } from "../../../lib/skills/configForm";
import { FieldError } from "./FieldError";

interface ConfigFieldsProps {
  fields: readonly ConfigField[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
}

export function ConfigFields({ fields, values, errors, onChange }: ConfigFieldsProps) {
  const prefix = useId();
  if (fields.length === 0) return <p className="form__hint">This template has nothing to configure.</p>;
  return (
    <>
      {fields.map((field) => (
        <ConfigInput key={field.name} id={`${prefix}-${field.name}`} field={field} value={values[field.name]} error={errors[field.name]} onChange={(value) => onChange(field.name, value)} />
      ))}
    </>
  );
}

interface ConfigInputProps {
  id: string;
  field: ConfigField;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}

function ConfigInput({ id, field, value, error, onChange }: ConfigInputProps) {
  const described = `${id}-hint ${id}-error`;
  const text = typeof value === "string" ? value : "";
  const label = (
    <label className="form__label" htmlFor={id}>
      {field.label}
      {field.required ? " (required)" : ""}
    </label>
  );
  const common = { id, className: "form__control", "aria-invalid": error !== undefined, "aria-describedby": described };

  if (field.kind === "boolean") {
    return (
      <div className="form__field">
        <div className="skills-review__row">
          <input id={id} type="checkbox" checked={value === true} aria-describedby={described} onChange={(event) => onChange(event.target.checked)} />
          <label htmlFor={id}>{field.label}</label>
        </div>
        <Hint id={`${id}-hint`} text={field.hint} />
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  }

  let control;
  switch (field.kind) {
    case "number":
      control = <input {...common} type="number" inputMode={field.integer ? "numeric" : "decimal"} step={field.integer ? 1 : "any"} min={field.minimum} max={field.maximum} value={text} onChange={(event) => onChange(event.target.value)} />;
      break;
    case "choice":
      control = (
        <select {...common} value={text} onChange={(event) => onChange(event.target.value)}>
          <option value="">{field.required ? "Choose…" : "Not set"}</option>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case "list":
      control = <textarea {...common} rows={4} spellCheck={false} value={text} onChange={(event) => onChange(event.target.value)} />;
      break;
    case "text":
      control = (
        <input
          {...common}
          type={field.format === "email" ? "email" : field.format === "uri" ? "url" : "text"}
          spellCheck={false}
          maxLength={field.maxLength}
          value={text}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
  }
  return (
    <div className="form__field">
      {label}
      {control}
      <Hint id={`${id}-hint`} text={field.hint} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function Hint({ id, text }: { id: string; text: string | null }) {
  return (
    <p id={id} className="form__hint">
      {text ?? ""}
    </p>
  );
}
