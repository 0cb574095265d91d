// Messages between the runtime and its action workers (see actionWorkers.ts). An action runs in a
// worker; everything it asks of the deployment (queries, mutations, scheduling, storage) comes back
// to the runtime's thread as a syscall, answered there exactly as for an action run in-thread.
import type { Caller, RequestMeta } from "./types.ts";

/** What a worker needs to run one action: which function, its encoded arguments and its caller. */
export type RunRequest = {
  type: "run";
  requestId: string;
  componentPath: string;
  udfPath: string;
  args: string;
  caller: Caller;
  requestMeta: RequestMeta & { scheduledFunctionId: string | null };
};

/** A thrown error as it crosses threads; `convexData` is a ConvexError's serialized data. */
export type WorkerError = { name: string; message: string; stack: string | undefined; convexData?: string };

/** Storage payloads cross as bytes: a Blob is rebuilt on the side that needs one. */
export type StoredBytes = { bytes: Uint8Array; contentType: string };

export type SyscallRequest =
  | { type: "syscall"; callId: number; requestId: string; op: string; args: string }
  | { type: "storeBytes"; callId: number; requestId: string; blob: StoredBytes }
  | { type: "getBytes"; callId: number; requestId: string; storageId: string };

export type SyscallReply = { type: "reply"; callId: number } & (
  | { ok: true; result: string | StoredBytes | null }
  | { ok: false; message: string; data?: string }
);

export type RunResult = { type: "done"; requestId: string; logLines: string[] } & ({ ok: true; result: string } | { ok: false; error: WorkerError });

export type ToWorker = RunRequest | SyscallReply;
export type FromWorker = { type: "ready" } | { type: "failed"; message: string } | SyscallRequest | RunResult;
