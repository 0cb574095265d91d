// Shared query subscriptions. Identical subscriptions (same function, arguments, identity and
// journal) are one instance, evaluated once however many connections hold it. A commit marks the
// instances whose read sets its writes touched; a refresh, run with the lock held right after (or
// before anything else that needs current results), re-runs each marked instance once, however
// many commits marked it, and tells the connections holding them what changed. Commits therefore
// never wait for subscribers, and under load one refresh serves many commits.
import type { JSONValue } from "convex/values";

import type { ResolvedFunction } from "../engine/functions.ts";
import { newRequestId, type CommitEvent, type QueryOutcome, type Runtime } from "../engine/runtime.ts";
import { tableKey, type ReadSet } from "../engine/readSet.ts";
import type { Caller, FunctionPath } from "../engine/types.ts";

export type QueryResult = { ok: true; value: JSONValue } | { ok: false; message: string; data?: JSONValue };

export class QueryInstance {
  /**
   * Each holder with how many of its query ids use this instance: a session may subscribe to the
   * same query twice, and re-authenticating acquires an instance before releasing the old one,
   * which may be the same instance. It is dropped only when the last use is released.
   */
  readonly holders = new Map<QueryHolder, number>();
  result!: QueryResult;
  /** The result serialized, to tell a changed result from a re-run that produced the same one. */
  fingerprint = "";
  journal: string | null = null;
  readSet: ReadSet | null = null;

  constructor(
    readonly key: string,
    readonly target: FunctionPath,
    readonly resolved: ResolvedFunction | null,
    readonly argsJson: JSONValue,
    readonly caller: Caller,
    readonly inputJournal: string | null,
  ) {}
}

/** A connection that holds instances and must hear when their results change. */
export interface QueryHolder {
  instanceChanged(instance: QueryInstance): void;
}

export class SubscriptionManager {
  private readonly instances = new Map<string, QueryInstance>();
  private readonly byTable = new Map<string, Set<QueryInstance>>();
  private readonly dirty = new Set<QueryInstance>();
  private refreshScheduled = false;
  /** How many times a subscribed query has been run; tests use it to prove what does not re-run. */
  evaluations = 0;

  /**
   * @param onRefreshed called (lock held) after every refresh with the timestamp all results are
   * now valid at, so connections can send what changed and acknowledge mutations.
   */
  constructor(
    private readonly runtime: Runtime,
    private readonly onRefreshed: (ts: bigint) => void,
  ) {}

  /**
   * Finds or creates the instance for a subscription and evaluates it if new. Must be called with
   * the runtime lock held, so the result is consistent with the current timestamp.
   */
  async acquire(holder: QueryHolder, target: FunctionPath, argsJson: JSONValue, caller: Caller, journal: string | null): Promise<QueryInstance> {
    const key = JSON.stringify([target.componentPath, target.udfPath, argsJson, identityKey(caller), journal]);
    let instance = this.instances.get(key);
    if (!instance) {
      let resolved: ResolvedFunction | null = null;
      let failure: QueryResult | null = null;
      try {
        resolved = this.runtime.resolveForCaller(target, caller, "query");
      } catch (error) {
        const { message } = this.runtime.failure(error, newRequestId(), target);
        failure = { ok: false, message };
      }
      instance = new QueryInstance(key, target, resolved, argsJson, caller, journal);
      this.instances.set(key, instance);
      if (failure) {
        instance.result = failure;
        instance.fingerprint = JSON.stringify(failure);
      } else {
        await this.evaluate(instance);
      }
    }
    instance.holders.set(holder, (instance.holders.get(holder) ?? 0) + 1);
    return instance;
  }

  release(holder: QueryHolder, instance: QueryInstance): void {
    const uses = (instance.holders.get(holder) ?? 0) - 1;
    if (uses > 0) instance.holders.set(holder, uses);
    else instance.holders.delete(holder);
    if (instance.holders.size > 0) return;
    this.instances.delete(instance.key);
    this.dirty.delete(instance);
    this.unindex(instance);
  }

  /** Commit listener (lock held): marks the instances the commit touched and schedules a refresh. */
  markCommit(event: CommitEvent): void {
    for (const write of event.writes) {
      for (const instance of this.byTable.get(tableKey(write.componentPath, write.table)) ?? []) {
        if (!this.dirty.has(instance) && instance.readSet?.overlaps([write])) this.dirty.add(instance);
      }
    }
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    setImmediate(() => void this.runtime.withLock(() => this.refresh()));
  }

  /**
   * Brings every subscription up to date with the current timestamp. Must run with the lock held;
   * anything that sends results at the current timestamp calls it first.
   */
  async refresh(): Promise<void> {
    this.refreshScheduled = false;
    for (const instance of [...this.dirty]) {
      this.dirty.delete(instance);
      if (this.instances.get(instance.key) !== instance) continue;
      const before = instance.fingerprint;
      await this.evaluate(instance);
      if (instance.fingerprint !== before) for (const holder of instance.holders.keys()) holder.instanceChanged(instance);
    }
    this.onRefreshed(this.runtime.currentTs);
  }

  private async evaluate(instance: QueryInstance): Promise<void> {
    this.evaluations += 1;
    const outcome: QueryOutcome = await this.runtime.executeQuery(
      instance.target,
      instance.resolved!,
      instance.argsJson,
      { caller: instance.caller, meta: { ip: null, userAgent: null } },
      instance.journal ?? instance.inputJournal,
    );
    instance.result = outcome.ok ? { ok: true, value: outcome.value } : { ok: false, message: outcome.failure.message, data: outcome.failure.data };
    instance.fingerprint = JSON.stringify(instance.result);
    instance.journal = outcome.journal;
    this.unindex(instance);
    instance.readSet = outcome.readSet;
    for (const key of outcome.readSet.tableKeys()) {
      let set = this.byTable.get(key);
      if (!set) this.byTable.set(key, (set = new Set()));
      set.add(instance);
    }
  }

  private unindex(instance: QueryInstance): void {
    for (const key of instance.readSet?.tableKeys() ?? []) {
      const set = this.byTable.get(key);
      set?.delete(instance);
      if (set?.size === 0) this.byTable.delete(key);
    }
  }
}

function identityKey(caller: Caller): string {
  return JSON.stringify([caller.isAdmin, caller.identity]);
}
