// The time limit of a skill run. The work gets an AbortSignal that fires at the deadline, so a
// fetch in flight is cancelled rather than left running, and the caller stops waiting at the
// deadline even if the work ignores the signal.

export type DeadlineResult<T> = { timedOut: false; value: T } | { timedOut: true };

/** Runs `work` for at most `ms` milliseconds. A rejection of `work` before the deadline is passed on. */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<DeadlineResult<T>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<DeadlineResult<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("The skill's time limit was reached"));
      resolve({ timedOut: true });
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal).then((value): DeadlineResult<T> => ({ timedOut: false, value })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
