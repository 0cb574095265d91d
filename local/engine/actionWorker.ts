// An action worker: a thread that loads the app's modules and runs actions, so a reply streaming
// from a model (or any slow, CPU-heavy action) never runs between the steps of a transaction on
// the runtime's thread. Every syscall an action makes is sent to the runtime, which answers it in
// the action's execution context; the worker keeps only what the action itself computes.
import { parentPort, workerData } from "node:worker_threads";

import type { FromWorker, RunRequest, StoredBytes, SyscallReply, SyscallRequest, ToWorker, WorkerError } from "./actionProtocol.ts";
import { currentContext, executionContext, type ExecutionContext } from "./context.ts";
import { isConvexError } from "./errors.ts";
import { resolveFunction } from "./functions.ts";
import { allComponents, loadApp, type ComponentNode } from "./modules.ts";
import { installSandbox } from "./sandbox.ts";
import { lowerThisThreadPriority } from "./threadPriority.ts";

type Pending = { resolve: (result: SyscallReply & { ok: true }) => void; reject: (error: Error) => void };

const port = parentPort!;
const pending = new Map<number, Pending>();
let nextCallId = 0;

function post(message: FromWorker): void {
  port.postMessage(message);
}

/** A syscall request before the worker stamps it with its call and the running action. */
type Unstamped<T> = T extends SyscallRequest ? Omit<T, "callId" | "requestId"> : never;

/** Sends a syscall of the running action to the runtime and waits for the answer. */
function call(request: Unstamped<SyscallRequest>): Promise<SyscallReply & { ok: true }> {
  const callId = nextCallId++;
  const { requestId } = currentContext();
  return new Promise((resolve, reject) => {
    pending.set(callId, { resolve, reject });
    post({ ...request, callId, requestId } as SyscallRequest);
  });
}

function installForwardingGlobal(): void {
  const convex = {
    syscall: (op: string) => {
      throw new Error(`${op} is only available in queries and mutations`);
    },
    asyncSyscall: async (op: string, args: string) => (await call({ type: "syscall", op, args })).result as string,
    jsSyscall: async (op: string, args: Record<string, unknown>) => {
      if (op === "storage/storeBlob") {
        const blob = args.blob as Blob;
        const bytes: StoredBytes = { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: blob.type };
        return (await call({ type: "storeBytes", blob: bytes })).result as string;
      }
      if (op === "storage/getBlob") {
        const stored = (await call({ type: "getBytes", storageId: args.storageId as string })).result as StoredBytes | null;
        return stored === null ? null : new Blob([Buffer.from(stored.bytes)], { type: stored.contentType });
      }
      throw new Error(`Unsupported syscall ${op}`);
    },
  };
  Object.defineProperty(globalThis, "Convex", { value: convex, configurable: true, writable: false });
}

function serializeError(error: unknown): WorkerError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), stack: undefined };
  // The library has already serialized a ConvexError's data to a JSON string on its way out.
  const convexData = isConvexError(error) && typeof error.data === "string" ? { convexData: error.data } : {};
  return { name: error.name, message: error.message, stack: error.stack, ...convexData };
}

async function run(components: Map<string, ComponentNode>, request: RunRequest): Promise<void> {
  const context: ExecutionContext = {
    kind: "action",
    componentPath: request.componentPath,
    udfPath: request.udfPath,
    txn: null,
    caller: request.caller,
    requestId: request.requestId,
    requestMeta: request.requestMeta,
    logLines: [],
    paginateCalls: 0,
  };
  try {
    // The runtime resolved and checked this function before sending it; it exists here too.
    const resolved = resolveFunction(components.get(request.componentPath)!, request.udfPath)!;
    const result = await executionContext.run(context, () => resolved.fn.invokeAction(request.requestId, request.args));
    post({ type: "done", requestId: request.requestId, logLines: context.logLines, ok: true, result });
  } catch (error) {
    post({ type: "done", requestId: request.requestId, logLines: context.logLines, ok: false, error: serializeError(error) });
  }
}

async function main(): Promise<void> {
  const { convexDir } = workerData as { convexDir: string };
  lowerThisThreadPriority();
  installSandbox();
  installForwardingGlobal();
  let components: Map<string, ComponentNode>;
  try {
    components = new Map(allComponents(await loadApp(convexDir)).map((component) => [component.path, component]));
  } catch (error) {
    post({ type: "failed", message: (error as Error).stack ?? String(error) });
    return;
  }
  port.on("message", (message: ToWorker) => {
    if (message.type === "run") {
      void run(components, message);
      return;
    }
    const waiting = pending.get(message.callId);
    pending.delete(message.callId);
    if (!waiting) return;
    if (message.ok) waiting.resolve(message);
    // Shaped as the runtime's own syscall errors, so `convex/server` rebuilds a ConvexError.
    else waiting.reject(Object.assign(new Error(message.message), message.data !== undefined ? { data: JSON.parse(message.data) as unknown } : {}));
  });
  post({ type: "ready" });
}

await main();
