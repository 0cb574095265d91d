// The runtime: hosts the loaded `convex/` modules and components, runs their queries, mutations,
// actions and HTTP actions against the local database, commits transactions durably, and tells
// listeners (the sync server, the scheduler) about every commit while still holding the lock, so
// they observe each committed state in order.
import path from "node:path";

import { convexToJson, type JSONValue, type Value } from "convex/values";

import { ActionWorkers } from "./actionWorkers.ts";
import { executionContext, type ExecutionContext, type ExecutionKind } from "./context.ts";
import { ComponentDatabase } from "./database.ts";
import { FunctionCallError, SystemError, toFailure, type FunctionFailure } from "./errors.ts";
import { FileStorage } from "./fileStorage.ts";
import { checkArgs, checkReturns, notFoundMessage, resolveFunction, type ResolvedFunction } from "./functions.ts";
import { TransactionLock } from "./lock.ts";
import { allComponents, loadApp, type ComponentNode } from "./modules.ts";
import { Persistence } from "./persistence.ts";
import { randomBytes } from "./random.ts";
import type { CommittedWrite, ReadSet } from "./readSet.ts";
import { scrubText } from "../../convex/security/redact.ts";
import { writeLine } from "./sandbox.ts";
import { answerActionSyscall, installConvexGlobal } from "./syscalls.ts";
import { Transaction } from "./transaction.ts";
import { ANONYMOUS, type Caller, type FunctionPath, type RequestMeta, type UdfType } from "./types.ts";

export type RuntimeOptions = {
  convexDir: string;
  dataDir: string;
  /** The client API origin (`CONVEX_CLOUD_URL`), used for file URLs. */
  cloudUrl: string;
  /** Show callers the message of non-ConvexError failures (off by default, as in production). */
  exposeInternalErrors?: boolean;
  /** Compact the log into a snapshot once it grows past this many bytes. */
  compactAfterBytes?: number;
  log?: (line: string) => void;
  /** Receives a timing record of every top-level function execution (see `TraceEvent`). */
  trace?: (event: TraceEvent) => void;
  /** Worker threads that run actions (default 1). */
  actionWorkers?: number;
};

/**
 * Where one function execution spent its time: waiting for the lock, running, committing. Calls an
 * action makes are their own events naming it as parent; a scheduled run names its job, and the
 * mutation that scheduled it lists the job, so a whole chain of work can be put back together.
 * Records hold no arguments or results, only names and timings.
 */
export type TraceEvent = {
  requestId: string;
  parentRequestId: string | null;
  scheduledFunctionId: string | null;
  kind: UdfType;
  path: string;
  ok: boolean;
  waitMs: number;
  execMs: number;
  commitMs: number;
  /** Jobs this mutation scheduled. */
  scheduled: string[];
};

export type CommitEvent = { ts: bigint; writes: CommittedWrite[] };
export type CommitListener = (event: CommitEvent) => Promise<void> | void;

export type QueryOutcome = ({ ok: true; value: JSONValue } | { ok: false; failure: FunctionFailure }) & { readSet: ReadSet; journal: string | null; requestId: string };
export type CallOutcome<T> = ({ ok: true } & T) | { ok: false; failure: FunctionFailure };

/**
 * Extra steps of one mutation: `beforeCommit` adds runtime bookkeeping to its transaction (a
 * scheduled job's state); `onCommitted` runs once it is durable, before subscriptions hear of it
 * (the sync server answers the mutation there, so the answer precedes the transition).
 */
export type MutationHooks = { beforeCommit?: (txn: Transaction) => void; onCommitted?: (ts: bigint, value: JSONValue) => void };

/** Options for one function execution. */
type ExecutionOptions = { caller: Caller; meta: RequestMeta; scheduledFunctionId?: string | null; parentRequestId?: string };

export class Runtime {
  readonly lock = new TransactionLock();
  readonly storage: FileStorage;
  private readonly components = new Map<string, ComponentNode>();
  private readonly databases = new Map<string, ComponentDatabase>();
  private readonly commitListeners: CommitListener[] = [];
  private lastTs: bigint;
  private closed = false;
  private readonly actionWorkers: ActionWorkers;

  private constructor(
    readonly options: RuntimeOptions,
    root: ComponentNode,
    private readonly persistence: Persistence,
    loaded: ReturnType<typeof Persistence.open>["state"],
  ) {
    for (const component of allComponents(root)) {
      this.components.set(component.path, component);
      const db = new ComponentDatabase(component.path, component.schema, loaded.tableNumbers.get(component.path));
      for (const { table, doc } of loaded.documents.get(component.path) ?? []) db.applyWrite(table, doc._id, doc);
      this.databases.set(component.path, db);
    }
    this.lastTs = loaded.lastTs;
    this.storage = new FileStorage(path.join(options.dataDir, "storage"));
    this.actionWorkers = new ActionWorkers({
      convexDir: options.convexDir,
      size: options.actionWorkers ?? 1,
      answer: (context, request) => answerActionSyscall(this, context, request),
      log: (line) => this.log(line),
    });
  }

  /** Loads the modules and the persisted database, and installs the syscall layer. */
  static async start(options: RuntimeOptions): Promise<Runtime> {
    const root = await loadApp(options.convexDir);
    const { persistence, state } = Persistence.open(options.dataDir);
    const runtime = new Runtime(options, root, persistence, state);
    installConvexGlobal(runtime);
    runtime.actionWorkers.start();
    return runtime;
  }

  get root(): ComponentNode {
    return this.components.get("")!;
  }

  /** Timestamp of the latest commit, in nanoseconds since the epoch. */
  get currentTs(): bigint {
    return this.lastTs;
  }

  component(componentPath: string): ComponentNode | undefined {
    return this.components.get(componentPath);
  }

  database(componentPath: string): ComponentDatabase {
    const db = this.databases.get(componentPath);
    if (!db) throw new SystemError(`Unknown component "${componentPath}"`);
    return db;
  }

  allDatabases(): IterableIterator<ComponentDatabase> {
    return this.databases.values();
  }

  onCommit(listener: CommitListener): void {
    this.commitListeners.push(listener);
  }

  /**
   * Writes a line to the runtime's log. Every line passes the app's scrubber first (finding HIGH-07):
   * a function's console output or an error's message may hold a key or token.
   */
  log(line: string): void {
    (this.options.log ?? writeLine)(scrubText(line));
  }

  // --- entry points for callers outside the deployment ------------------------------------------

  /**
   * Resolves a function a caller outside the deployment asked for. Clients reach only the app's
   * public functions; the admin key reaches internal and component functions too. Anything else
   * gets the same "could not find" answer as a function that does not exist.
   */
  resolveForCaller(target: FunctionPath, caller: Caller, expected: UdfType | "any"): ResolvedFunction {
    const component = this.components.get(target.componentPath);
    const resolved = component ? resolveFunction(component, target.udfPath) : null;
    const visible = resolved !== null && (caller.isAdmin || (target.componentPath === "" && resolved.isPublic));
    if (!visible || (expected !== "any" && resolved.type !== expected)) {
      throw new SystemError(notFoundMessage(target.udfPath, caller.isAdmin ? "any" : "public"));
    }
    return resolved;
  }

  // --- transactions ------------------------------------------------------------------------------

  /**
   * Runs a query. Must be called while holding the lock (the sync server re-runs subscriptions
   * inside a commit); `query` below takes the lock for one-off calls.
   */
  async executeQuery(target: FunctionPath, resolved: ResolvedFunction, argsJson: JSONValue, options: ExecutionOptions, journal: string | null): Promise<QueryOutcome> {
    const txn = new Transaction((p) => this.database(p), false, Date.now(), parseJournal(journal));
    const requestId = newRequestId();
    try {
      const value = await this.invoke("query", target, resolved, argsJson, txn, options, requestId);
      txn.finishReads();
      return { ok: true, value, readSet: txn.readSet, journal: formatJournal(txn.journalEndCursor), requestId };
    } catch (error) {
      txn.finishReads();
      return { ok: false, failure: this.failure(error, requestId, target), readSet: txn.readSet, journal: formatJournal(txn.journalEndCursor), requestId };
    }
  }

  async query(target: FunctionPath, argsJson: JSONValue, options: ExecutionOptions, resolvedFor?: ResolvedFunction): Promise<CallOutcome<{ value: JSONValue }>> {
    let resolved: ResolvedFunction;
    try {
      resolved = resolvedFor ?? this.resolveForCaller(target, options.caller, "query");
    } catch (error) {
      return { ok: false, failure: this.failure(error, newRequestId(), target) };
    }
    const called = performance.now();
    const outcome = await this.lock.run(async () => {
      const started = performance.now();
      const result = await this.executeQuery(target, resolved, argsJson, options, null);
      this.traceCall("query", target, options, result.requestId, result.ok, started - called, performance.now() - started, 0, []);
      return result;
    });
    return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, failure: outcome.failure };
  }

  /**
   * Runs a mutation as one transaction and commits it; resolves after commit listeners ran.
   */
  async mutation(
    target: FunctionPath,
    argsJson: JSONValue,
    options: ExecutionOptions,
    resolvedFor?: ResolvedFunction,
    hooks: MutationHooks = {},
  ): Promise<CallOutcome<{ value: JSONValue; ts: bigint }>> {
    const requestId = newRequestId();
    let resolved: ResolvedFunction;
    try {
      resolved = resolvedFor ?? this.resolveForCaller(target, options.caller, "mutation");
    } catch (error) {
      return { ok: false, failure: this.failure(error, requestId, target) };
    }
    const called = performance.now();
    return await this.lock.run(async () => {
      const started = performance.now();
      const txn = new Transaction((p) => this.database(p), true, Date.now());
      const trace = (ok: boolean, committing: number) =>
        this.traceCall("mutation", target, options, requestId, ok, started - called, committing - started, performance.now() - committing, ok ? scheduledBy(txn) : []);
      let value: JSONValue;
      try {
        value = await this.invoke("mutation", target, resolved, argsJson, txn, options, requestId);
        txn.finishReads();
        hooks.beforeCommit?.(txn);
      } catch (error) {
        this.discard(txn);
        trace(false, performance.now());
        return { ok: false, failure: this.failure(error, requestId, target) };
      }
      const committing = performance.now();
      let ts: bigint;
      try {
        ts = await this.commit(txn, (committedTs) => hooks.onCommitted?.(committedTs, value));
      } catch (error) {
        this.discard(txn);
        trace(false, committing);
        return { ok: false, failure: this.failure(error, requestId, target) };
      }
      trace(true, committing);
      return { ok: true, value, ts };
    });
  }

  /** Runs an action. Actions hold no lock; their queries and mutations each take it. */
  async action(target: FunctionPath, argsJson: JSONValue, options: ExecutionOptions, resolvedFor?: ResolvedFunction): Promise<CallOutcome<{ value: JSONValue }>> {
    const requestId = newRequestId();
    const started = performance.now();
    try {
      const resolved = resolvedFor ?? this.resolveForCaller(target, options.caller, "action");
      const value = await this.invoke("action", target, resolved, argsJson, null, options, requestId);
      this.traceCall("action", target, options, requestId, true, 0, performance.now() - started, 0, []);
      return { ok: true, value };
    } catch (error) {
      this.traceCall("action", target, options, requestId, false, 0, performance.now() - started, 0, []);
      return { ok: false, failure: this.failure(error, requestId, target) };
    }
  }

  private traceCall(
    kind: UdfType,
    target: FunctionPath,
    options: ExecutionOptions,
    requestId: string,
    ok: boolean,
    waitMs: number,
    execMs: number,
    commitMs: number,
    scheduled: string[],
  ): void {
    this.options.trace?.({
      requestId,
      parentRequestId: options.parentRequestId ?? null,
      scheduledFunctionId: options.scheduledFunctionId ?? null,
      kind,
      path: target.componentPath ? `${target.componentPath}/${target.udfPath}` : target.udfPath,
      ok,
      waitMs,
      execMs,
      commitMs,
      scheduled,
    });
  }

  /**
   * Runs a small system transaction (scheduler bookkeeping, storing a file from an action). It
   * commits like a mutation, so subscriptions and persistence see it.
   */
  async systemTransaction<T>(work: (txn: Transaction) => T | Promise<T>): Promise<T> {
    return await this.lock.run(async () => {
      const txn = new Transaction((p) => this.database(p), true, Date.now());
      let result: T;
      try {
        result = await work(txn);
      } catch (error) {
        this.discard(txn);
        throw error;
      }
      await this.commit(txn);
      return result;
    });
  }

  /** Runs `work` with the lock held, for callers that execute several queries at one timestamp. */
  withLock<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run(work);
  }

  /** Handles a request on the site origin with the app's `convex/http.ts` router. */
  async httpAction(request: Request, meta: RequestMeta): Promise<Response> {
    const router = this.root.modules.get("http")?.default as
      | { lookup(path: string, method: string): [{ invokeHttpAction(request: Request): Promise<Response> }, string, string] | null }
      | undefined;
    const pathname = new URL(request.url).pathname;
    const match = router?.lookup(pathname, request.method) ?? null;
    if (!match) return new Response(`No HttpAction routed for ${pathname}`, { status: 404 });
    const requestId = newRequestId();
    const context = this.context("http", { componentPath: "", udfPath: `http:${request.method} ${match[2]}` }, null, { caller: ANONYMOUS, meta }, requestId);
    try {
      return await executionContext.run(context, () => match[0].invokeHttpAction(request));
    } catch (error) {
      const failure = this.failure(error, requestId, { componentPath: "", udfPath: context.udfPath });
      return new Response(failure.message, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    } finally {
      this.flushLogs(context);
    }
  }

  // --- calls made by running functions -----------------------------------------------------------

  /**
   * `ctx.runQuery`/`ctx.runMutation` inside a query or mutation: runs in the same transaction, in a
   * nested layer that is rolled back alone if the callee throws.
   */
  async callNested(parent: ExecutionContext, type: "query" | "mutation", target: FunctionPath, argsJson: JSONValue): Promise<JSONValue> {
    const txn = parent.txn!;
    if (type === "mutation" && !txn.isMutation) throw new Error("Mutations cannot be called from queries");
    const resolved = this.resolveInternal(target, type);
    txn.beginNested();
    try {
      const value = await this.invoke(type, target, resolved, argsJson, txn, { caller: parent.caller, meta: parent.requestMeta }, parent.requestId);
      txn.commitNested();
      return value;
    } catch (error) {
      txn.rollbackNested();
      throw error;
    }
  }

  /** `ctx.runQuery`/`runMutation`/`runAction` inside an action: each a top-level call of its own. */
  async callFromAction(parent: ExecutionContext, type: UdfType, target: FunctionPath, argsJson: JSONValue): Promise<JSONValue> {
    const resolved = this.resolveInternal(target, type);
    const options = { caller: parent.caller, meta: parent.requestMeta, parentRequestId: parent.requestId };
    const outcome =
      type === "query"
        ? await this.query(target, argsJson, options, resolved)
        : type === "mutation"
          ? await this.mutation(target, argsJson, options, resolved)
          : await this.action(target, argsJson, options, resolved);
    if (!outcome.ok) throw new FunctionCallError(outcome.failure);
    return outcome.value;
  }

  /** Resolves a function called from inside the deployment: internal functions are allowed. */
  resolveInternal(target: FunctionPath, expected: UdfType | "any"): ResolvedFunction {
    const component = this.components.get(target.componentPath);
    const resolved = component ? resolveFunction(component, target.udfPath) : null;
    if (!resolved || (expected !== "any" && resolved.type !== expected)) {
      throw new SystemError(notFoundMessage(target.udfPath, "any"));
    }
    return resolved;
  }

  // --- internals ---------------------------------------------------------------------------------

  private async invoke(
    kind: UdfType,
    target: FunctionPath,
    resolved: ResolvedFunction,
    argsJson: JSONValue,
    txn: Transaction | null,
    options: ExecutionOptions,
    requestId: string,
  ): Promise<JSONValue> {
    const db = this.database(target.componentPath);
    const args = checkArgs(resolved, argsJson, db);
    const encodedArgs = JSON.stringify(convexToJson([args] as Value));
    const context = this.context(kind, { componentPath: target.componentPath, udfPath: resolved.udfPath }, txn, options, requestId);
    try {
      const resultJson =
        kind === "action"
          ? await this.actionWorkers.run(context, encodedArgs)
          : await executionContext.run(context, () => (kind === "query" ? resolved.fn.invokeQuery(encodedArgs) : resolved.fn.invokeMutation(encodedArgs)));
      const result = JSON.parse(resultJson) as JSONValue;
      checkReturns(resolved, result, db);
      return result;
    } finally {
      this.flushLogs(context);
    }
  }

  private context(kind: ExecutionKind, target: FunctionPath, txn: Transaction | null, options: ExecutionOptions, requestId: string): ExecutionContext {
    return {
      kind,
      componentPath: target.componentPath,
      udfPath: target.udfPath,
      txn,
      caller: options.caller,
      requestId,
      requestMeta: { ...options.meta, scheduledFunctionId: options.scheduledFunctionId ?? null },
      logLines: [],
      paginateCalls: 0,
    };
  }

  /**
   * Commits a finished transaction: files, then the log, then memory, then `onCommitted`, then the
   * commit listeners. A transaction without writes commits nothing and keeps the current timestamp.
   */
  private async commit(txn: Transaction, onCommitted?: (ts: bigint) => void): Promise<bigint> {
    if (this.closed) throw new SystemError("The runtime is shutting down");
    const pending = txn.pendingWrites();
    if (pending.length === 0) return this.lastTs;
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const ts = nowNs > this.lastTs ? nowNs : this.lastTs + 1n;
    txn.resolvePlaceholders(ts);
    const writes: CommittedWrite[] = pending.map((write) => ({
      componentPath: write.componentPath,
      table: write.table,
      id: write.id,
      oldDoc: this.database(write.componentPath).document(write.table, write.id),
      newDoc: write.doc,
    }));
    this.storage.writeStaged(writes.filter((w) => w.table === "_storage" && w.newDoc && !w.oldDoc).map((w) => w.id));
    this.persistence.append(ts, pending);
    for (const write of writes) this.database(write.componentPath).applyWrite(write.table, write.id, write.newDoc);
    this.lastTs = ts;
    this.storage.removeFiles(writes.filter((w) => w.table === "_storage" && w.newDoc === null).map((w) => w.id));
    onCommitted?.(ts);
    const event = { ts, writes };
    for (const listener of this.commitListeners) {
      try {
        await listener(event);
      } catch (error) {
        this.log(`[clawsync] commit listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
    if (this.persistence.logSize > (this.options.compactAfterBytes ?? 64 << 20)) this.snapshot();
    return ts;
  }

  private discard(txn: Transaction): void {
    this.storage.discardStaged(txn.pendingWrites().filter((w) => w.table === "_storage").map((w) => w.id));
  }

  /** Writes the whole database as a snapshot and empties the log. */
  snapshot(): void {
    this.persistence.writeSnapshot(
      this.lastTs,
      [...this.databases.values()].map((db) => ({
        path: db.componentPath,
        tableNumbers: db.tableNumbers(),
        docs: (function* () {
          for (const table of db.tables.values()) for (const doc of table.docs.values()) yield { table: table.name, doc };
        })(),
      })),
    );
  }

  /** Stops the action workers and accepting commits, snapshots and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.actionWorkers.close();
    await this.lock.run(async () => {
      this.snapshot();
      this.closed = true;
      this.persistence.close();
    });
  }

  failure(error: unknown, requestId: string, target: FunctionPath): FunctionFailure {
    const failure = toFailure(error, requestId, this.options.exposeInternalErrors ?? false);
    if (!(error instanceof SystemError) && !(error instanceof FunctionCallError)) {
      const where = target.componentPath ? `${target.componentPath}/${target.udfPath}` : target.udfPath;
      this.log(`[${where}] [Request ID: ${requestId}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return failure;
  }

  private flushLogs(context: ExecutionContext): void {
    if (context.logLines.length === 0) return;
    const where = context.componentPath ? `${context.componentPath}/${context.udfPath}` : context.udfPath;
    for (const line of context.logLines) this.log(`[${where}] ${line}`);
  }
}

/** Ids of the jobs a transaction scheduled. */
function scheduledBy(txn: Transaction): string[] {
  return txn.pendingWrites().flatMap((write) => (write.table === "_scheduled_functions" && write.doc && (write.doc.state as { kind: string }).kind === "pending" ? [write.id] : []));
}

function parseJournal(journal: string | null): string | null {
  if (!journal) return null;
  try {
    const parsed = JSON.parse(journal) as { endCursor?: unknown };
    return typeof parsed.endCursor === "string" ? parsed.endCursor : null;
  } catch {
    return null;
  }
}

function formatJournal(endCursor: string | null): string | null {
  return endCursor === null ? null : JSON.stringify({ endCursor });
}

/** A random request id, as logged with a failure and shown to its caller. */
export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}
