// Runs one owner action and keeps what the page shows about it: whether it is running, and the
// refusal or failure to show next to the control. The server answers a refusal it expects as
// `{ ok: false, error }` (shown as it is: the server wrote it for the owner); anything thrown is a
// failure whose text is never shown, since it may carry internals: the page shows `failure`.
import { useCallback, useState } from "react";

export type Outcome = { ok: true } | { ok: false; error: string };

const FAILED = "That did not work. Check your connection and try again.";

export function useOutcome(failure: string = FAILED) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async <R extends Outcome>(action: () => Promise<R>): Promise<R | null> => {
      setBusy(true);
      setError(null);
      try {
        const result = await action();
        if (!result.ok) setError(result.error);
        return result;
      } catch {
        setError(failure);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [failure],
  );

  return { busy, error, run, clearError: useCallback(() => setError(null), []) };
}
