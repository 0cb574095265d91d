// The execution context of the function running on the current async path. Functions call the
// process-wide `Convex.syscall` global; AsyncLocalStorage tells each call which function, which
// transaction and which caller it belongs to, so many actions can run concurrently.
import { AsyncLocalStorage } from "node:async_hooks";

import type { Transaction } from "./transaction.ts";
import type { Caller, RequestMeta } from "./types.ts";

export type ExecutionKind = "query" | "mutation" | "action" | "http";

export type ExecutionContext = {
  kind: ExecutionKind;
  componentPath: string;
  udfPath: string;
  /** The open transaction of a query or mutation (nested calls share it); null in actions. */
  txn: Transaction | null;
  caller: Caller;
  requestId: string;
  requestMeta: RequestMeta & { scheduledFunctionId: string | null };
  logLines: string[];
  /** Paginated queries this function ran; Convex allows one per function. */
  paginateCalls: number;
};

export const executionContext = new AsyncLocalStorage<ExecutionContext>();

export function currentContext(): ExecutionContext {
  const context = executionContext.getStore();
  if (!context) throw new Error("Convex syscall outside of a function execution");
  return context;
}
