// A countdown clock: re-renders the caller every quarter second until a deadline passes.
import { useEffect, useState } from "react";

const TICK_MS = 250;

/**
 * Milliseconds left until `deadline` (0 once passed, or without one). `initialRemainingMs` is
 * the wait as it was when the deadline was set, shown until the first tick.
 */
export function useRemainingMs(deadline: number | null, initialRemainingMs: number): number {
  const [state, setState] = useState({ deadline, remaining: initialRemainingMs });
  let current = state;
  if (state.deadline !== deadline) {
    // A new deadline: start from its own wait, not from the previous countdown.
    current = { deadline, remaining: initialRemainingMs };
    setState(current);
  }

  useEffect(() => {
    if (deadline === null) return;
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, deadline - Date.now());
      setState({ deadline, remaining });
      if (remaining === 0) window.clearInterval(timer);
    }, TICK_MS);
    return () => window.clearInterval(timer);
  }, [deadline]);

  return current.deadline === null ? 0 : Math.max(0, current.remaining);
}
