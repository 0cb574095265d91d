// The syscall layer: the `Convex` global that `convex/server` calls for every database read and
// write, auth lookup, scheduling, storage and nested function call. Each call is routed to the
// function that made it through the AsyncLocalStorage execution context.
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";

import type { StoredBytes, SyscallReply, SyscallRequest } from "./actionProtocol.ts";
import { currentContext, executionContext, type ExecutionContext } from "./context.ts";
import { answerText, documentJson, JsonText } from "./documentJson.ts";
import { FunctionCallError, isConvexError, SystemError } from "./errors.ts";
import { passesFilter, type FilterExpression } from "./filters.ts";
import { fieldValue, type Doc } from "./keys.ts";
import type { Runtime } from "./runtime.ts";
import { cancelJob, enqueueJob } from "./scheduler.ts";
import type { PageRequest, QueryJson, Transaction } from "./transaction.ts";
import type { FunctionPath, UdfType } from "./types.ts";

type Args = Record<string, JSONValue | undefined>;

/** Installs the `Convex` global that registered functions call into. */
export function installConvexGlobal(runtime: Runtime): void {
  const convex = {
    syscall: (op: string, argsJson: string) => JSON.stringify(syncSyscall(runtime, op, JSON.parse(argsJson) as Args)),
    asyncSyscall: async (op: string, argsJson: string) => {
      try {
        return answerText(await asyncSyscall(runtime, op, JSON.parse(argsJson) as Args));
      } catch (error) {
        throw toSyscallError(error);
      }
    },
    jsSyscall: (op: string, args: Record<string, unknown>) => jsSyscall(runtime, op, args),
  };
  Object.defineProperty(globalThis, "Convex", { value: convex, configurable: true, writable: false });
}

/**
 * `convex/server` turns a syscall error carrying `data` back into a ConvexError, so an action that
 * calls a mutation which throws `ConvexError({ kind })` can catch it with its data intact.
 */
function toSyscallError(error: unknown): Error {
  if (error instanceof FunctionCallError) {
    return Object.assign(new Error(error.failure.message), error.failure.data !== undefined ? { data: error.failure.data } : {});
  }
  if (isConvexError(error)) {
    const data = typeof error.data === "string" ? (JSON.parse(error.data) as JSONValue) : convexToJson(error.data as Value);
    return Object.assign(new Error(error.message), { data });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function transaction(context: ExecutionContext, what: string): Transaction {
  if (!context.txn) throw new Error(`${what} is only available in queries and mutations`);
  return context.txn;
}

function syncSyscall(runtime: Runtime, op: string, args: Args): JSONValue {
  const context = currentContext();
  switch (op) {
    case "1.0/queryStream": {
      const txn = transaction(context, "db.query");
      return { queryId: txn.startQuery(context.componentPath, args.query as unknown as QueryJson) };
    }
    case "1.0/queryCleanup":
      transaction(context, "db.query").closeQuery(args.queryId as number);
      return {};
    case "1.0/db/normalizeId": {
      const txn = transaction(context, "db.normalizeId");
      return { id: txn.normalizeId(context.componentPath, args.table as string, args.idString as string) };
    }
    case "1.0/getSnapshotTs":
      transaction(context, "getSnapshotTs");
      return convexToJson(runtime.currentTs);
    default:
      throw new Error(`Unsupported syscall ${op}`);
  }
}

async function asyncSyscall(runtime: Runtime, op: string, args: Args): Promise<JSONValue | JsonText> {
  const context = currentContext();
  const componentPath = context.componentPath;
  switch (op) {
    // --- database ---
    case "1.0/get": {
      const doc = transaction(context, "db.get").get(componentPath, args.id as string, args.table as string | undefined, args.isSystem === true);
      return new JsonText(doc === null ? "null" : documentJson(doc));
    }
    case "1.0/queryStreamNext": {
      const doc = transaction(context, "db.query").nextRow(args.queryId as number);
      return doc === null ? { value: null, done: true } : new JsonText(`{"value":${documentJson(doc)},"done":false}`);
    }
    case "1.0/queryPage": {
      if (++context.paginateCalls > 1) {
        throw new Error("This query or mutation function ran multiple paginated queries. Convex only supports a single paginated query in each function.");
      }
      const result = transaction(context, "paginate").paginate(componentPath, args as unknown as PageRequest);
      return { ...result, page: result.page.map((doc) => convexToJson(doc)) };
    }
    case "1.0/count":
      return transaction(context, "count").count(componentPath, args.table as string);
    case "1.0/insert": {
      const value = jsonToConvex(args.value as JSONValue) as Record<string, Value>;
      return { _id: transaction(context, "db.insert").insert(componentPath, args.table as string, value) };
    }
    case "1.0/shallowMerge":
      transaction(context, "db.patch").patch(componentPath, args.id as string, args.table as string | undefined, args.value as Record<string, JSONValue>);
      return {};
    case "1.0/replace":
      transaction(context, "db.replace").replace(componentPath, args.id as string, args.table as string | undefined, args.value as Record<string, JSONValue>);
      return {};
    case "1.0/remove":
      transaction(context, "db.delete").remove(componentPath, args.id as string, args.table as string | undefined);
      return {};

    // --- auth and metadata ---
    case "1.0/getUserIdentity":
      return context.caller.identity;
    case "1.0/getFunctionMetadata":
      return { name: context.udfPath, componentPath };
    case "1.0/getRequestMetadata":
      if (context.kind === "query") throw new Error("getRequestMetadata() can only be called from a mutation, action or HTTP action");
      return { ...context.requestMeta, requestId: context.requestId, authToken: context.caller.token };
    case "1.0/getDeploymentMetadata":
      return { name: "local", region: null, class: "s16" };
    case "1.0/getTransactionMetrics":
      throw new Error("getTransactionMetrics() is not supported by the local runtime");
    case "1.0/auditLog":
      return null;

    // --- calling other functions ---
    case "1.0/runUdf": {
      const type = args.udfType as string;
      if (type !== "query" && type !== "mutation" && type !== "snapshotQuery") throw new Error(`Unsupported udf type ${type}`);
      return await runtime.callNested(context, type === "mutation" ? "mutation" : "query", addressOf(context, args), args.args as JSONValue);
    }
    case "1.0/actions/query":
    case "1.0/actions/mutation":
    case "1.0/actions/action": {
      if (context.txn) throw new Error("Functions can only be called this way from actions");
      const type = op.split("/")[2] as UdfType;
      return await runtime.callFromAction(context, type, addressOf(context, args), args.args as JSONValue);
    }
    case "1.0/createFunctionHandle": {
      const target = addressOf(context, args);
      runtime.resolveInternal(target, "any");
      return `function://${target.componentPath};${target.udfPath}`;
    }

    // --- scheduling ---
    case "1.0/schedule": {
      const txn = transaction(context, "ctx.scheduler");
      if (!txn.isMutation) throw new Error("Scheduling is only allowed in mutations and actions");
      return scheduleIn(runtime, txn, context, args);
    }
    case "1.0/actions/schedule":
      return await runtime.systemTransaction((txn) => scheduleIn(runtime, txn, context, args));
    case "1.0/cancel_job":
      cancelJob(transaction(context, "ctx.scheduler"), componentPath, args.id as string);
      return {};
    case "1.0/actions/cancel_job":
      await runtime.systemTransaction((txn) => cancelJob(txn, componentPath, args.id as string));
      return {};

    // --- storage ---
    case "1.0/storageGenerateUploadUrl":
      return `${runtime.options.cloudUrl}/api/storage/upload?token=${runtime.storage.uploadToken(componentPath)}`;
    case "1.0/storageGetUrl": {
      const metadata = storageMetadata(runtime, context, args.storageId as string);
      return metadata === null ? null : `${runtime.options.cloudUrl}/api/storage/${metadata._id}`;
    }
    case "1.0/storageGetMetadata": {
      const metadata = storageMetadata(runtime, context, args.storageId as string);
      return metadata === null
        ? null
        : { storageId: metadata._id, sha256: metadata.sha256 as string, size: metadata.size as number, contentType: (metadata.contentType as string | undefined) ?? null };
    }
    case "1.0/storageDelete": {
      const remove = (txn: Transaction) => txn.removeSystem(componentPath, "_storage", args.storageId as string);
      if (context.txn) remove(transaction(context, "storage.delete"));
      else await runtime.systemTransaction(remove);
      return {};
    }
    case "1.0/storageStore": {
      const txn = transaction(context, "storage.store");
      const bytes = Buffer.from(args.blob as string, "base64");
      return runtime.storage.store(txn, componentPath, bytes, (args.contentType as string | undefined) || undefined);
    }
    case "1.0/storageGet": {
      const metadata = storageMetadata(runtime, context, args.storageId as string);
      const bytes = metadata === null ? null : runtime.storage.read(metadata._id);
      return bytes === null ? null : { blob: Buffer.from(bytes).toString("base64"), contentType: (metadata!.contentType as string | undefined) ?? null };
    }

    // --- vector search (actions) ---
    case "1.0/actions/vectorSearch":
      return { results: vectorSearch(runtime, componentPath, args.query as unknown as VectorQuery) };

    default:
      throw new Error(`Unsupported syscall ${op}`);
  }
}

async function jsSyscall(runtime: Runtime, op: string, args: Record<string, unknown>): Promise<unknown> {
  const context = currentContext();
  switch (op) {
    case "storage/storeBlob": {
      const blob = args.blob as Blob;
      return await storeBytes(runtime, context, { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: blob.type });
    }
    case "storage/getBlob": {
      const stored = readBytes(runtime, context, args.storageId as string);
      return stored === null ? null : new Blob([Buffer.from(stored.bytes)], { type: stored.contentType });
    }
    default:
      throw new Error(`Unsupported syscall ${op}`);
  }
}

async function storeBytes(runtime: Runtime, context: ExecutionContext, stored: StoredBytes): Promise<string> {
  return await runtime.systemTransaction((txn) => runtime.storage.store(txn, context.componentPath, stored.bytes, stored.contentType || undefined));
}

function readBytes(runtime: Runtime, context: ExecutionContext, storageId: string): StoredBytes | null {
  const metadata = runtime.database(context.componentPath).document("_storage", storageId);
  const bytes = metadata === null ? null : runtime.storage.read(metadata._id);
  return bytes === null ? null : { bytes, contentType: (metadata!.contentType as string | undefined) ?? "" };
}

/**
 * Answers a syscall an action worker forwarded for one of its actions: in that action's execution
 * context, with errors shaped as the in-thread `Convex` global shapes them.
 */
export async function answerActionSyscall(runtime: Runtime, context: ExecutionContext, request: SyscallRequest): Promise<SyscallReply> {
  try {
    const result = await executionContext.run(context, async () => {
      switch (request.type) {
        case "syscall":
          return answerText(await asyncSyscall(runtime, request.op, JSON.parse(request.args) as Args));
        case "storeBytes":
          return await storeBytes(runtime, context, request.blob);
        case "getBytes":
          return readBytes(runtime, context, request.storageId);
      }
    });
    return { type: "reply", callId: request.callId, ok: true, result };
  } catch (error) {
    const shaped = toSyscallError(error) as Error & { data?: JSONValue };
    return { type: "reply", callId: request.callId, ok: false, message: shaped.message, ...(shaped.data !== undefined ? { data: JSON.stringify(shaped.data) } : {}) };
  }
}

function storageMetadata(runtime: Runtime, context: ExecutionContext, storageId: string): Doc | null {
  if (typeof storageId !== "string") throw new SystemError("Invalid storage id");
  if (context.txn) return context.txn.get(context.componentPath, storageId, "_storage", true);
  return runtime.database(context.componentPath).document("_storage", storageId);
}

function scheduleIn(runtime: Runtime, txn: Transaction, context: ExecutionContext, args: Args): string {
  const target = addressOf(context, args);
  runtime.resolveInternal(target, "any");
  return enqueueJob(txn, target, args.args as JSONValue, (args.ts as number) * 1000);
}

/** Resolves `{ name }`, `{ reference }` or `{ functionHandle }` relative to the calling component. */
function addressOf(context: ExecutionContext, args: Args): FunctionPath {
  if (typeof args.functionHandle === "string") {
    const match = /^function:\/\/([^;]*);(.+)$/.exec(args.functionHandle);
    if (!match) throw new Error("Invalid function handle");
    return { componentPath: match[1], udfPath: match[2] };
  }
  if (typeof args.name === "string") return { componentPath: context.componentPath, udfPath: args.name };
  if (typeof args.reference === "string") {
    // "_reference/childComponent/<child>/<path/to/module>/<export>"
    const parts = args.reference.split("/");
    if (parts[0] !== "_reference" || parts[1] !== "childComponent" || parts.length < 5) throw new Error(`Unsupported function reference ${args.reference}`);
    const child = parts[2];
    const componentPath = context.componentPath === "" ? child : `${context.componentPath}/${child}`;
    return { componentPath, udfPath: `${parts.slice(3, -1).join("/")}:${parts[parts.length - 1]}` };
  }
  throw new Error("Missing function address");
}

type VectorQuery = { indexName: string; limit: number; vector: number[]; expressions: FilterExpression | null };

/** Exact nearest-neighbour search by cosine similarity; fine at the sizes a local runtime holds. */
function vectorSearch(runtime: Runtime, componentPath: string, query: VectorQuery): { _id: string; _score: number }[] {
  const [tableName, indexName] = query.indexName.split(".");
  const table = runtime.database(componentPath).tables.get(tableName);
  const index = table?.schema?.vectorIndexes.find((candidate) => candidate.indexDescriptor === indexName);
  if (!table || !index) throw new Error(`Vector index ${query.indexName} not found.`);
  const scored: { _id: string; _score: number }[] = [];
  for (const doc of table.docs.values()) {
    if (query.expressions && !passesFilter(doc, query.expressions)) continue;
    const vector = fieldValue(doc, index.vectorField);
    if (!Array.isArray(vector) || vector.length !== query.vector.length) continue;
    scored.push({ _id: doc._id, _score: cosine(query.vector, vector as number[]) });
  }
  scored.sort((a, b) => b._score - a._score);
  return scored.slice(0, Math.min(query.limit ?? 10, 256));
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
