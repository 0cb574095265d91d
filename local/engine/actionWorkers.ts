// The runtime's pool of action workers. The runtime's own thread runs every query and mutation one
// step at a time; an action run there would interleave its work (a model's reply streaming through
// the AI SDK, JSON, crypto) with those steps and stretch every transaction. Actions therefore run
// in worker threads, as a deployment runs them in their own isolates, and their syscalls come back
// here to be answered in the action's execution context.
import { Worker } from "node:worker_threads";

import type { FromWorker, RunRequest, RunResult, SyscallReply, SyscallRequest, ToWorker, WorkerError } from "./actionProtocol.ts";
import type { ExecutionContext } from "./context.ts";
import { SystemError } from "./errors.ts";

type Running = { context: ExecutionContext; resolve: (result: string) => void; reject: (error: Error) => void };

/** Answers one forwarded syscall (see `answerActionSyscall`). */
export type SyscallAnswerer = (context: ExecutionContext, request: SyscallRequest) => Promise<SyscallReply>;

export type ActionWorkerOptions = {
  convexDir: string;
  /** Threads in the pool; each runs any number of actions concurrently. */
  size: number;
  answer: SyscallAnswerer;
  log: (line: string) => void;
};

const BOOT = new URL("./actionWorkerBoot.mjs", import.meta.url);

/** One worker thread and the actions running in it. */
class ActionWorker {
  readonly running = new Map<string, Running>();
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private stopped = false;

  constructor(
    options: ActionWorkerOptions,
    private readonly onExit: (worker: ActionWorker) => void,
  ) {
    this.worker = new Worker(BOOT, { workerData: { convexDir: options.convexDir } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (message: FromWorker) => {
        switch (message.type) {
          case "ready":
            return resolve();
          case "failed":
            return reject(new Error(`an action worker could not load the app: ${message.message}`));
          case "done":
            return this.finish(message);
          default:
            return void this.answer(options.answer, message);
        }
      });
      this.worker.on("error", (error) => {
        options.log(`[clawsync] an action worker failed: ${error.stack ?? String(error)}`);
        reject(error);
      });
      this.worker.on("exit", (code) => {
        reject(new Error(`an action worker exited with code ${code} while starting`));
        this.failAll(this.stopped ? "The runtime is shutting down" : "The action's worker stopped unexpectedly");
        this.onExit(this);
      });
    });
    // A worker that failed to start is reported to the action that waited for it.
    this.ready.catch(() => {});
  }

  async run(context: ExecutionContext, args: string): Promise<string> {
    await this.ready;
    const request: RunRequest = {
      type: "run",
      requestId: context.requestId,
      componentPath: context.componentPath,
      udfPath: context.udfPath,
      args,
      caller: context.caller,
      requestMeta: context.requestMeta,
    };
    return await new Promise((resolve, reject) => {
      this.running.set(context.requestId, { context, resolve, reject });
      this.post(request);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private async answer(answerer: SyscallAnswerer, request: SyscallRequest): Promise<void> {
    const running = this.running.get(request.requestId);
    if (!running) return;
    this.post(await answerer(running.context, request));
  }

  private finish(result: RunResult): void {
    const running = this.running.get(result.requestId);
    if (!running) return;
    this.running.delete(result.requestId);
    running.context.logLines.push(...result.logLines);
    if (result.ok) running.resolve(result.result);
    else running.reject(rebuildError(result.error));
  }

  private failAll(message: string): void {
    for (const running of this.running.values()) running.reject(new SystemError(message));
    this.running.clear();
  }
}

export class ActionWorkers {
  private readonly workers: ActionWorker[] = [];

  constructor(private readonly options: ActionWorkerOptions) {}

  /** Starts the threads now rather than on the first action, so that action does not wait. */
  start(): void {
    while (this.workers.length < this.options.size) this.spawn();
  }

  /** Runs an action in the least busy worker; resolves with its encoded result. */
  async run(context: ExecutionContext, args: string): Promise<string> {
    this.start();
    const worker = this.workers.reduce((least, candidate) => (candidate.running.size < least.running.size ? candidate : least));
    return await worker.run(context, args);
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.stop()));
  }

  private spawn(): void {
    const worker = new ActionWorker(this.options, (exited) => {
      // A worker that dies is replaced on the next action.
      const index = this.workers.indexOf(exited);
      if (index !== -1) this.workers.splice(index, 1);
    });
    this.workers.push(worker);
  }
}

/**
 * The error an action threw, as the runtime's failure handling expects it: a ConvexError keeps its
 * marker and serialized data, anything else its name, message and stack for the log.
 */
function rebuildError(error: WorkerError): Error {
  const rebuilt = Object.assign(new Error(error.message), { name: error.name });
  rebuilt.stack = error.stack;
  if (error.convexData !== undefined) Object.assign(rebuilt, { data: error.convexData, [Symbol.for("ConvexError")]: true });
  return rebuilt;
}
