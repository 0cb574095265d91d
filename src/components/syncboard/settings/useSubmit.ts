// The state of one settings form's save: what the server answered, kept next to the form. The
// server's refusals come back as `{ ok: false, error }` and are shown as they are; anything thrown
// (a lost connection) is shown as one fixed sentence, never as the error's own text.
import { useCallback, useState } from "react";

type Outcome = { ok: true } | { ok: false; error: string };

export type SubmitState = { status: "idle" } | { status: "busy" } | { status: "done"; message: string } | { status: "failed"; error: string };

export const UNREACHABLE = "ClawSync could not be reached. Check your connection and try again.";

export function useSubmit() {
  const [state, setState] = useState<SubmitState>({ status: "idle" });

  const submit = useCallback(async <R extends Outcome>(work: () => Promise<R>, doneMessage: (result: Extract<R, { ok: true }>) => string): Promise<R | null> => {
    setState({ status: "busy" });
    try {
      const result = await work();
      setState(result.ok ? { status: "done", message: doneMessage(result as Extract<R, { ok: true }>) } : { status: "failed", error: result.error });
      return result;
    } catch {
      setState({ status: "failed", error: UNREACHABLE });
      return null;
    }
  }, []);

  const reset = useCallback(() => setState({ status: "idle" }), []);

  return { state, busy: state.status === "busy", submit, reset };
}
