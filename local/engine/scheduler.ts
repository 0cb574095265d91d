// The scheduler: `ctx.scheduler.runAfter/runAt` write a `_scheduled_functions` document in the
// caller's transaction; a timer is armed only once that commit lands (so a rolled-back mutation
// schedules nothing) and fires on real time. A scheduled mutation runs exactly once: its writes
// and its job's "success" state commit together. An action is marked in progress first, so after a
// crash it is reported failed rather than run twice, as on Convex.
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";

import type { Doc } from "./keys.ts";
import type { CommitEvent, Runtime } from "./runtime.ts";
import type { Transaction } from "./transaction.ts";
import { ANONYMOUS, NO_REQUEST_META, type FunctionPath } from "./types.ts";

const TABLE = "_scheduled_functions";
/** setTimeout cannot wait longer than this; longer delays re-arm on expiry. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type JobState = { kind: "pending" | "inProgress" | "success" | "canceled" } | { kind: "failed"; error: string };

/** Records a job in the caller's transaction; returns its id. */
export function enqueueJob(txn: Transaction, target: FunctionPath, argsJson: JSONValue, scheduledTimeMs: number): string {
  if (!Number.isFinite(scheduledTimeMs)) throw new Error("The scheduled time must be a finite number");
  return txn.insertSystem(target.componentPath, TABLE, {
    name: target.udfPath,
    args: [jsonToConvex(argsJson)],
    scheduledTime: scheduledTimeMs,
    state: { kind: "pending" },
  });
}

/** Cancels a pending job in the caller's transaction; finished or running jobs are left alone. */
export function cancelJob(txn: Transaction, componentPath: string, jobId: string): void {
  const job = txn.get(componentPath, jobId, TABLE, true);
  if (job && (job.state as JobState).kind === "pending") {
    txn.replaceSystem(componentPath, TABLE, { ...job, state: { kind: "canceled" }, completedTime: Date.now() });
  }
}

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly runtime: Runtime) {
    runtime.onCommit((event) => this.onCommit(event));
  }

  /** Arms timers for jobs left pending by the last run, and fails actions a crash interrupted. */
  async recover(): Promise<void> {
    const interrupted: { componentPath: string; job: Doc }[] = [];
    for (const db of this.runtime.allDatabases()) {
      for (const job of db.tables.get(TABLE)?.docs.values() ?? []) {
        const state = (job.state as JobState).kind;
        if (state === "pending") this.arm(db.componentPath, job);
        if (state === "inProgress") interrupted.push({ componentPath: db.componentPath, job });
      }
    }
    if (interrupted.length === 0) return;
    await this.runtime.systemTransaction((txn) => {
      for (const { componentPath, job } of interrupted) {
        txn.replaceSystem(componentPath, TABLE, { ...job, state: { kind: "failed", error: "Transient error while executing action" }, completedTime: Date.now() });
      }
    });
  }

  /** Stops firing; waits for jobs already running to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private onCommit(event: CommitEvent): void {
    for (const write of event.writes) {
      if (write.table !== TABLE) continue;
      const key = timerKey(write.componentPath, write.id);
      if (write.newDoc && (write.newDoc.state as JobState).kind === "pending") {
        if (!this.timers.has(key)) this.arm(write.componentPath, write.newDoc);
      } else {
        clearTimeout(this.timers.get(key));
        this.timers.delete(key);
      }
    }
  }

  private arm(componentPath: string, job: Doc): void {
    if (this.stopped) return;
    const key = timerKey(componentPath, job._id);
    const delay = Math.max(0, (job.scheduledTime as number) - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (delay > MAX_TIMER_MS) {
        this.arm(componentPath, job);
        return;
      }
      const run = this.fire(componentPath, job._id).finally(() => this.running.delete(run));
      this.running.add(run);
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private async fire(componentPath: string, jobId: string): Promise<void> {
    const job = this.runtime.database(componentPath).document(TABLE, jobId);
    if (this.stopped || !job || (job.state as JobState).kind !== "pending") return;
    const target = { componentPath, udfPath: job.name as string };
    const argsJson = (job.args as Value[]).length > 0 ? convexToJson((job.args as Value[])[0]) : {};
    const options = { caller: ANONYMOUS, meta: NO_REQUEST_META, scheduledFunctionId: jobId };
    let resolved;
    try {
      resolved = this.runtime.resolveInternal(target, "any");
    } catch (error) {
      await this.finish(componentPath, jobId, { kind: "failed", error: (error as Error).message });
      return;
    }
    if (resolved.type === "mutation") {
      const outcome = await this.runtime.mutation(target, argsJson, options, resolved, {
        beforeCommit: (txn) => markJob(txn, componentPath, jobId, { kind: "success" }),
      });
      if (!outcome.ok) await this.finish(componentPath, jobId, { kind: "failed", error: outcome.failure.message });
      return;
    }
    await this.finish(componentPath, jobId, { kind: "inProgress" });
    const outcome = resolved.type === "action" ? await this.runtime.action(target, argsJson, options, resolved) : await this.runtime.query(target, argsJson, options, resolved);
    await this.finish(componentPath, jobId, outcome.ok ? { kind: "success" } : { kind: "failed", error: outcome.failure.message });
  }

  private async finish(componentPath: string, jobId: string, state: JobState): Promise<void> {
    await this.runtime.systemTransaction((txn) => markJob(txn, componentPath, jobId, state));
  }
}

function markJob(txn: Transaction, componentPath: string, jobId: string, state: JobState): void {
  const job = txn.get(componentPath, jobId, TABLE, true);
  if (!job) return;
  const done = state.kind !== "inProgress";
  txn.replaceSystem(componentPath, TABLE, { ...job, state, ...(done ? { completedTime: Date.now() } : {}) });
}

function timerKey(componentPath: string, jobId: string): string {
  return `${componentPath}\u0000${jobId}`;
}
