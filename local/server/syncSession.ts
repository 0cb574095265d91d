// One websocket connection speaking Convex's sync protocol. It keeps the connection's state version
// (query set, identity, timestamp), processes messages in order, and sends a Transition whenever
// its queries' results change or a mutation it ran must be acknowledged. A mutation's answer is
// sent before the Transition that reaches its timestamp, which is what lets the client resolve
// the mutation's promise only once its writes are visible.
import { randomBytes } from "node:crypto";

import type { JSONValue } from "convex/values";
import type { WebSocket } from "ws";

import type { Runtime } from "../engine/runtime.ts";
import { ANONYMOUS, type Caller, type FunctionPath } from "../engine/types.ts";
import type { CallerAuthenticator } from "./callerAuth.ts";
import { clientMessage, encodeTs, type AddQuery, type ClientMessage } from "./protocol.ts";
import type { MutationReplayCache } from "./mutationReplay.ts";
import type { QueryHolder, QueryInstance, SubscriptionManager } from "./subscriptions.ts";

export type SessionDeps = {
  runtime: Runtime;
  subscriptions: SubscriptionManager;
  auth: CallerAuthenticator;
  replay: MutationReplayCache;
  meta: { ip: string | null; userAgent: string | null };
  log: (line: string) => void;
};

type StateVersion = { querySet: number; identity: number; ts: bigint };
type Modification =
  | { type: "QueryUpdated"; queryId: number; value: JSONValue; logLines: string[]; journal: string | null }
  | { type: "QueryFailed"; queryId: number; errorMessage: string; logLines: string[]; errorData?: JSONValue; journal: string | null }
  | { type: "QueryRemoved"; queryId: number };
export type MutationResponse =
  | { type: "MutationResponse"; requestId: number; success: true; result: JSONValue; ts: string; logLines: string[] }
  | { type: "MutationResponse"; requestId: number; success: false; result: string; logLines: string[]; errorData?: JSONValue };

/** Transitions larger than this are sent as TransitionChunk parts of CHUNK_SIZE characters. */
const CHUNK_THRESHOLD = 4 << 20;
const CHUNK_SIZE = 1 << 20;
const MAX_ACTIONS_IN_FLIGHT = 64;

export class SyncSession implements QueryHolder {
  private version: StateVersion = { querySet: 0, identity: 0, ts: 0n };
  private sessionId: string | null = null;
  private clockSkewMs: number | undefined;
  private caller: Caller = ANONYMOUS;
  private readonly queries = new Map<number, QueryInstance>();
  private readonly changed = new Set<number>();
  /** Timestamp a sent MutationResponse needs the client to reach. */
  private ackTs: bigint | null = null;
  private chain: Promise<void> = Promise.resolve();
  private actionsInFlight = 0;
  private expiryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
  ) {}

  /** Validates a frame and queues it; a malformed frame closes the connection. */
  receive(raw: string): void {
    let message: ClientMessage;
    try {
      message = clientMessage.parse(JSON.parse(raw));
    } catch {
      this.protocolError("the message is not valid JSON of a known type");
      return;
    }
    // Checked on arrival, not when the queue reaches the message: the client sends its first
    // ModifyQuerySet right behind Connect.
    if (message.type === "Connect") {
      if (this.sessionId !== null) return this.protocolError("Connect was sent twice");
      this.sessionId = message.sessionId;
      if (message.clientTs !== undefined) this.clockSkewMs = message.clientTs - Date.now();
      return;
    }
    if (this.sessionId === null) {
      this.protocolError("the first message must be Connect");
      return;
    }
    if (message.type === "Action") {
      // Actions run concurrently; they are independent of the ordered message stream.
      void this.runAction(message);
      return;
    }
    this.chain = this.chain.then(() => this.handle(message)).catch((error: unknown) => {
      this.deps.log(`[sync] connection error: ${(error as Error).stack ?? String(error)}`);
      this.close(1011, "InternalServerError");
    });
  }

  /** The connection went away: drop its subscriptions. */
  dispose(): void {
    this.closed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    for (const instance of new Set(this.queries.values())) this.deps.subscriptions.release(this, instance);
    this.queries.clear();
  }

  instanceChanged(instance: QueryInstance): void {
    for (const [queryId, held] of this.queries) if (held === instance) this.changed.add(queryId);
  }

  /** After a refresh (lock held): sends what changed, and acknowledges mutations up to `ts`. */
  flush(ts: bigint): void {
    if (this.closed) return;
    const needsAck = this.ackTs !== null && this.ackTs <= ts;
    if (this.changed.size === 0 && !needsAck) return;
    const modifications = [...this.changed].flatMap((queryId) => {
      const instance = this.queries.get(queryId);
      return instance ? [modificationFor(queryId, instance)] : [];
    });
    this.changed.clear();
    if (needsAck) this.ackTs = null;
    this.sendTransition(modifications, { ...this.version, ts });
  }

  ping(): void {
    this.send({ type: "Ping" });
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.closed) return;
    switch (message.type) {
      case "ModifyQuerySet":
        return await this.modifyQuerySet(message);
      case "Authenticate":
        return await this.authenticate(message);
      case "Mutation":
        return await this.runMutation(message);
      case "Connect":
      case "Event":
      case "Action":
        return;
    }
  }

  private async modifyQuerySet(message: Extract<ClientMessage, { type: "ModifyQuerySet" }>): Promise<void> {
    if (message.baseVersion !== this.version.querySet || message.newVersion <= message.baseVersion) {
      return this.protocolError(`query set version ${message.baseVersion} does not follow ${this.version.querySet}`);
    }
    await this.deps.runtime.withLock(async () => {
      // Results sent now are stamped with the current timestamp: every held query must be current.
      await this.deps.subscriptions.refresh();
      const modifications: Modification[] = [];
      for (const modification of message.modifications) {
        if (modification.type === "Add") {
          if (this.queries.has(modification.queryId)) return this.protocolError(`query ${modification.queryId} was added twice`);
          const instance = await this.subscribe(modification);
          if (this.closed) return;
          this.queries.set(modification.queryId, instance);
          modifications.push(modificationFor(modification.queryId, instance));
        } else {
          const instance = this.queries.get(modification.queryId);
          if (!instance) continue;
          this.queries.delete(modification.queryId);
          this.changed.delete(modification.queryId);
          this.deps.subscriptions.release(this, instance);
          modifications.push({ type: "QueryRemoved", queryId: modification.queryId });
        }
      }
      this.sendTransition(modifications, { ...this.version, querySet: message.newVersion, ts: this.deps.runtime.currentTs });
    });
  }

  private async subscribe(add: AddQuery): Promise<QueryInstance> {
    const target: FunctionPath = { componentPath: add.componentPath ?? "", udfPath: add.udfPath };
    return await this.deps.subscriptions.acquire(this, target, add.args[0] as JSONValue, this.caller, add.journal ?? null);
  }

  private async authenticate(message: Extract<ClientMessage, { type: "Authenticate" }>): Promise<void> {
    if (message.baseVersion !== this.version.identity) {
      return this.protocolError(`identity version ${message.baseVersion} does not follow ${this.version.identity}`);
    }
    const result =
      message.tokenType === "None"
        ? { ok: true as const, caller: ANONYMOUS, expiresAtMs: null }
        : message.tokenType === "Admin"
          ? this.deps.auth.admin(message.value, message.impersonating)
          : await this.deps.auth.user(message.value);
    if (!result.ok) {
      this.send({ type: "AuthError", error: result.error, baseVersion: message.baseVersion, authUpdateAttempted: true });
      return;
    }
    this.setExpiry(result.expiresAtMs);
    await this.deps.runtime.withLock(async () => {
      await this.deps.subscriptions.refresh();
      this.caller = result.caller;
      const modifications: Modification[] = [];
      // Every query re-runs as the new identity: results may depend on who is asking.
      for (const [queryId, old] of [...this.queries]) {
        const instance = await this.deps.subscriptions.acquire(this, old.target, old.argsJson, this.caller, old.journal ?? old.inputJournal);
        this.deps.subscriptions.release(this, old);
        this.queries.set(queryId, instance);
        this.changed.delete(queryId);
        modifications.push(modificationFor(queryId, instance));
      }
      this.sendTransition(modifications, { ...this.version, identity: message.baseVersion + 1, ts: this.deps.runtime.currentTs });
    });
  }

  /** When the token expires the client must present a fresh one; until then it is anonymous. */
  private setExpiry(expiresAtMs: number | null): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (expiresAtMs === null) return;
    this.expiryTimer = setTimeout(() => {
      this.send({ type: "AuthError", error: "Token expired", baseVersion: this.version.identity - 1, authUpdateAttempted: false });
      this.close(1000, "AuthTokenExpired");
    }, Math.max(0, Math.min(expiresAtMs - Date.now(), 2 ** 31 - 1)));
    this.expiryTimer.unref?.();
  }

  private async runMutation(message: Extract<ClientMessage, { type: "Mutation" }>): Promise<void> {
    const target: FunctionPath = { componentPath: message.componentPath ?? "", udfPath: message.udfPath };
    const sessionId = this.sessionId!;
    let answered = false;
    const response = this.deps.replay.run(sessionId, message.requestId, async () => {
      const outcome = await this.deps.runtime.mutation(target, message.args[0] as JSONValue, { caller: this.caller, meta: this.deps.meta }, undefined, {
        onCommitted: (ts, value) => {
          // Answer before the commit's Transition goes out (it is sent by the commit listeners).
          answered = true;
          this.answerMutation({ type: "MutationResponse", requestId: message.requestId, success: true, result: value, ts: encodeTs(ts), logLines: [] }, ts);
        },
      });
      return outcome.ok
        ? ({ type: "MutationResponse", requestId: message.requestId, success: true, result: outcome.value, ts: encodeTs(outcome.ts), logLines: [] } as const)
        : ({ type: "MutationResponse", requestId: message.requestId, success: false, result: outcome.failure.message, logLines: [], ...errorData(outcome.failure.data) } as const);
    });
    const final = await response.promise;
    if (answered && !response.replayed) return;
    // A mutation that wrote nothing, failed, or was re-sent after a reconnect is answered here.
    await this.deps.runtime.withLock(async () => {
      const ts = final.success ? decodeTs(final.ts) : null;
      this.answerMutation(final, ts);
      // The refresh brings every connection to the current timestamp, this one's ack included.
      if (ts !== null) await this.deps.subscriptions.refresh();
    });
  }

  /**
   * The client resolves a successful mutation only on the next Transition at or past its
   * timestamp, so one must follow every success, even when this connection is already there.
   */
  private answerMutation(response: MutationResponse, ts: bigint | null): void {
    this.send(response);
    if (ts !== null) this.ackTs = this.ackTs === null || ts > this.ackTs ? ts : this.ackTs;
  }

  private async runAction(message: Extract<ClientMessage, { type: "Action" }>): Promise<void> {
    if (this.actionsInFlight >= MAX_ACTIONS_IN_FLIGHT) {
      this.send({ type: "ActionResponse", requestId: message.requestId, success: false, result: "TooManyConcurrentRequests: too many actions in flight on this connection", logLines: [] });
      return;
    }
    this.actionsInFlight += 1;
    try {
      const target: FunctionPath = { componentPath: message.componentPath ?? "", udfPath: message.udfPath };
      const outcome = await this.deps.runtime.action(target, message.args[0] as JSONValue, { caller: this.caller, meta: this.deps.meta });
      this.send(
        outcome.ok
          ? { type: "ActionResponse", requestId: message.requestId, success: true, result: outcome.value, logLines: [] }
          : { type: "ActionResponse", requestId: message.requestId, success: false, result: outcome.failure.message, logLines: [], ...errorData(outcome.failure.data) },
      );
    } finally {
      this.actionsInFlight -= 1;
    }
  }

  private sendTransition(modifications: Modification[], endVersion: StateVersion): void {
    const transition = {
      type: "Transition",
      startVersion: wireVersion(this.version),
      endVersion: wireVersion(endVersion),
      modifications,
      ...(this.clockSkewMs !== undefined ? { clientClockSkew: this.clockSkewMs } : {}),
      // Nanoseconds, as the client divides by 1e6.
      serverTs: Date.now() * 1e6,
    };
    this.version = endVersion;
    const json = JSON.stringify(transition);
    if (json.length <= CHUNK_THRESHOLD) {
      this.sendRaw(json);
      return;
    }
    const transitionId = randomBytes(8).toString("hex");
    const totalParts = Math.ceil(json.length / CHUNK_SIZE);
    for (let partNumber = 0; partNumber < totalParts; partNumber++) {
      this.send({ type: "TransitionChunk", chunk: json.slice(partNumber * CHUNK_SIZE, (partNumber + 1) * CHUNK_SIZE), partNumber, totalParts, transitionId });
    }
  }

  private protocolError(reason: string): void {
    this.deps.log(`[sync] closing a connection: protocol error: ${reason}`);
    this.close(1008, `ProtocolError: ${reason}`.slice(0, 120));
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.ws.close(code, reason);
  }

  private send(message: object): void {
    this.sendRaw(JSON.stringify(message));
  }

  private sendRaw(json: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(json);
  }
}

function modificationFor(queryId: number, instance: QueryInstance): Modification {
  const result = instance.result;
  return result.ok
    ? { type: "QueryUpdated", queryId, value: result.value, logLines: [], journal: instance.journal }
    : { type: "QueryFailed", queryId, errorMessage: result.message, logLines: [], ...errorData(result.data), journal: instance.journal };
}

function errorData(data: JSONValue | undefined): { errorData?: JSONValue } {
  return data === undefined ? {} : { errorData: data };
}

function wireVersion(version: StateVersion) {
  return { querySet: version.querySet, identity: version.identity, ts: encodeTs(version.ts) };
}

function decodeTs(encoded: string): bigint {
  return Buffer.from(encoded, "base64").readBigUInt64LE();
}
