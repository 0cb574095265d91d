// A skill's secrets: each shown only by name and last 4 characters, and set or replaced here. The
// value goes to the server once, is encrypted there, and is never shown again.
import { useAction, useQuery } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { problemText } from "../../../lib/skills/problems";
import { ConfirmButton } from "../../common/ConfirmButton";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";

interface SkillSecretsProps {
  skillId: Id<"skills">;
  /** The names the skill reads: the only ones it can be given. */
  secretNames: readonly string[];
}

export function SkillSecrets({ skillId, secretNames }: SkillSecretsProps) {
  const secrets = useQuery(api.skillsAdmin.secrets, { skillId });
  if (secrets === undefined) return <Spinner label="Loading secrets…" />;
  if (secretNames.length === 0 && secrets.length === 0) return <EmptyState title="This skill reads no secrets" />;
  const stored = new Map(secrets.map((secret) => [secret.name, secret]));
  const names = [...new Set([...secretNames, ...stored.keys()])];
  return (
    <>
      <ul className="skills-plain-list" data-testid="skill-secrets">
        {names.map((name) => {
          const secret = stored.get(name);
          return (
            <li key={name}>
              <code>{name}</code>:{" "}
              {secret === undefined ? (
                <strong>not set, so calls that need it fail</strong>
              ) : (
                <>
                  set, ending <code>{secret.last4 === "" ? "(too short to show)" : `••••${secret.last4}`}</code>, changed <RelativeTime ms={secret.updatedAt} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      {secretNames.length > 0 ? <SecretForm skillId={skillId} secretNames={secretNames} stored={stored} /> : null}
    </>
  );
}

interface SecretFormProps extends SkillSecretsProps {
  stored: ReadonlyMap<string, unknown>;
}

function SecretForm({ skillId, secretNames, stored }: SecretFormProps) {
  const setSecret = useAction(api.skillsAdmin.setSecret);
  const nameId = useId();
  const valueId = useId();
  const [name, setName] = useState(secretNames[0]);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setError(null);
    setSaved(null);
    if (value === "") {
      setError("Enter the secret's value.");
      return;
    }
    setBusy(true);
    try {
      const result = await setSecret({ skillId, name, value });
      setValue("");
      setSaved(`${result.name} saved, ending ${result.last4 === "" ? "(too short to show)" : `••••${result.last4}`}.`);
    } catch (caught) {
      setError(problemText(caught, "The secret could not be saved. Try again."));
    } finally {
      setBusy(false);
    }
  }

  const replacing = stored.has(name);

  function submit(event: FormEvent) {
    event.preventDefault();
    // Replacing overwrites a value that cannot be read back, so it goes through the confirmation.
    if (!replacing) void save();
  }

  return (
    <form className="form" onSubmit={submit} data-testid="skill-secret-form" noValidate>
      <div className="form__field">
        <label className="form__label" htmlFor={nameId}>
          Secret
        </label>
        <select id={nameId} className="form__control" value={name} onChange={(event) => setName(event.target.value)}>
          {secretNames.map((secretName) => (
            <option key={secretName} value={secretName}>
              {secretName}
            </option>
          ))}
        </select>
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor={valueId}>
          {replacing ? "New value" : "Value"}
        </label>
        <input
          id={valueId}
          className="form__control skills-mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-describedby={`${valueId}-hint`}
          onChange={(event) => setValue(event.target.value)}
        />
        <p id={`${valueId}-hint`} className="form__hint">
          Stored encrypted; afterwards only its last 4 characters are shown.{replacing ? " Saving replaces the current value." : ""}
        </p>
      </div>
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      {saved !== null ? <p role="status">{saved}</p> : null}
      <div className="form__actions">
        {replacing ? (
          <ConfirmButton label="Replace secret" question={`The current value of ${name} is overwritten and cannot be recovered.`} onConfirm={save} disabled={busy} />
        ) : (
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Saving…" : "Save secret"}
          </button>
        )}
      </div>
    </form>
  );
}
