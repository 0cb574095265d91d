// Subscriptions as promises: wait until a live query's value satisfies a condition.
import type { ConvexClient } from "convex/browser";
import type { FunctionReference } from "convex/server";

export type Watch<T> = {
  values: T[];
  errors: Error[];
  /** Resolves with the first value (current or future) that satisfies `test`. */
  until(test: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves with the first error the subscription reports. */
  nextError(timeoutMs?: number): Promise<Error>;
  stop(): void;
};

export function watch<T>(client: ConvexClient, query: FunctionReference<"query">, args: Record<string, unknown>): Watch<T> {
  const values: T[] = [];
  const errors: Error[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  const unsubscribe = client.onUpdate(
    query,
    args,
    (value: T) => {
      values.push(value);
      notify();
    },
    (error: Error) => {
      errors.push(error);
      notify();
    },
  );
  const waitUntil = <R>(find: () => R | undefined, what: string, timeoutMs: number) =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out waiting for ${what}; values so far: ${JSON.stringify(values).slice(0, 500)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    values,
    errors,
    until: (test, timeoutMs = 10_000) => waitUntil(() => values.find(test), "a matching value", timeoutMs),
    nextError: (timeoutMs = 10_000) => waitUntil(() => errors[0], "an error", timeoutMs),
    stop: () => unsubscribe(),
  };
}
