// The single-writer lock: every query and mutation runs alone, in arrival order. Transactions are
// then trivially serializable, and a commit can re-run affected subscriptions before anything else
// changes the database. Functions here are fast and in-process, so waiting is brief.
export class TransactionLock {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
