// The end of a new-skill form: why the last try failed, and the button that creates the skill.
import { OutcomeError } from "../../common/OutcomeError";

export function CreateSkillActions({ error, busy, label }: { error: string | null; busy: boolean; label: string }) {
  return (
    <>
      <OutcomeError error={error} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Creating…" : label}
        </button>
      </div>
    </>
  );
}
