// The name, display name and description every new skill has. The tool name follows the display
// name until the owner edits it.
import { useId, useState } from "react";
import { LIMITS } from "../../../../convex/lib/validators";
import { suggestName, type IdentityProblems, type SkillIdentity } from "../../../lib/skills/identity";
import { FieldError } from "./FieldError";

interface IdentityFieldsProps {
  value: SkillIdentity;
  problems: IdentityProblems;
  onChange: (value: SkillIdentity) => void;
}

export function IdentityFields({ value, problems, onChange }: IdentityFieldsProps) {
  const ids = { displayName: useId(), name: useId(), description: useId() };
  const [nameEdited, setNameEdited] = useState(value.name !== "");

  return (
    <fieldset className="skills-fieldset">
      <legend className="form__label">About the skill</legend>
      <div className="form__field">
        <label className="form__label" htmlFor={ids.displayName}>
          Display name
        </label>
        <input
          id={ids.displayName}
          className="form__control"
          value={value.displayName}
          maxLength={LIMITS.nameChars}
          aria-invalid={problems.displayName !== undefined}
          aria-describedby={`${ids.displayName}-error`}
          onChange={(event) => onChange({ ...value, displayName: event.target.value, ...(nameEdited ? {} : { name: suggestName(event.target.value) }) })}
        />
        <FieldError id={`${ids.displayName}-error`} message={problems.displayName} />
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor={ids.name}>
          Tool name
        </label>
        <input
          id={ids.name}
          className="form__control skills-mono"
          value={value.name}
          maxLength={64}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problems.name !== undefined}
          aria-describedby={`${ids.name}-hint ${ids.name}-error`}
          onChange={(event) => {
            setNameEdited(true);
            onChange({ ...value, name: event.target.value });
          }}
        />
        <p id={`${ids.name}-hint`} className="form__hint">
          What the model calls: lowercase letters, digits and underscores.
        </p>
        <FieldError id={`${ids.name}-error`} message={problems.name} />
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor={ids.description}>
          Description
        </label>
        <textarea
          id={ids.description}
          className="form__control"
          rows={3}
          value={value.description}
          maxLength={LIMITS.descriptionChars}
          aria-invalid={problems.description !== undefined}
          aria-describedby={`${ids.description}-hint ${ids.description}-error`}
          onChange={(event) => onChange({ ...value, description: event.target.value })}
        />
        <p id={`${ids.description}-hint`} className="form__hint">
          The model reads this to decide when to use the skill; reviewers read it too.
        </p>
        <FieldError id={`${ids.description}-error`} message={problems.description} />
      </div>
    </fieldset>
  );
}
