// How function failures reach callers. A deployment in production shows callers only errors meant
// for them: `ConvexError` messages and data, and the system's own errors (bad arguments, unknown
// function, limits). Anything else becomes "Server Error" with a request id, and the full error is
// written to the runtime's log under that id, so nothing internal leaks to a browser.
import type { JSONValue } from "convex/values";

/** An error the runtime itself raises with a message safe to show any caller. */
export class SystemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SystemError";
  }
}

/** A function failure as the protocol reports it. */
export type FunctionFailure = { message: string; data?: JSONValue };

/** Thrown through nested calls (an action's `ctx.runMutation`), keeping ConvexError data. */
export class FunctionCallError extends Error {
  constructor(readonly failure: FunctionFailure) {
    super(failure.message);
    this.name = "FunctionCallError";
  }
}

/** Whether a thrown value is a `ConvexError` (possibly from another copy of the library). */
export function isConvexError(thrown: unknown): thrown is Error & { data: unknown } {
  return typeof thrown === "object" && thrown !== null && Symbol.for("ConvexError") in thrown;
}

/**
 * The caller-facing failure for something a function threw. `serializedData` is set for
 * ConvexErrors: the library serializes `data` to a JSON string before it leaves the function.
 */
export function toFailure(thrown: unknown, requestId: string, exposeInternalErrors: boolean): FunctionFailure {
  const prefix = `[Request ID: ${requestId}] Server Error`;
  if (thrown instanceof FunctionCallError) return thrown.failure;
  if (isConvexError(thrown)) {
    const data = typeof thrown.data === "string" ? (safeParse(thrown.data) ?? null) : null;
    return { message: `${prefix}\nUncaught ConvexError: ${thrown.message}`, data };
  }
  if (thrown instanceof SystemError) return { message: `${prefix}\n${thrown.message}` };
  if (exposeInternalErrors && thrown instanceof Error) {
    return { message: `${prefix}\nUncaught ${thrown.name}: ${thrown.message}` };
  }
  return { message: prefix };
}

function safeParse(text: string): JSONValue | undefined {
  try {
    return JSON.parse(text) as JSONValue;
  } catch {
    return undefined;
  }
}
