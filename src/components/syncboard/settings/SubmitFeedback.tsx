// What a save did, shown in place under the form that made it: the refusal as an alert, or a
// short confirmation announced politely.
import type { SubmitState } from "./useSubmit";
import "../../../styles/syncboard-settings.css";

export function SubmitFeedback({ state, id }: { state: SubmitState; id?: string }) {
  if (state.status === "failed") {
    return (
      <p className="form__error" role="alert" id={id}>
        {state.error}
      </p>
    );
  }
  return (
    <p className="settings-status" role="status" id={id}>
      {state.status === "done" ? state.message : state.status === "busy" ? "Saving…" : ""}
    </p>
  );
}
