// The refusal or failure of one action, shown in place next to the control that caused it.
import "../../styles/common.css";

export function OutcomeError({ error, id }: { error: string | null; id?: string }) {
  if (error === null) return null;
  return (
    <p className="form__error" role="alert" id={id}>
      {error}
    </p>
  );
}
