// One query or mutation's view of the database: committed state plus this transaction's own pending
// writes (in nested layers, so a failed `ctx.runMutation` rolls back alone), the index streams that
// read it lazily, pagination, and the read set that decides which subscriptions a commit affects.
import { CommitTsPlaceholder, getConvexSize, jsonToConvex, type JSONValue, type Value } from "convex/values";

import { decodeCursor, encodeCursor, END_CURSOR, START_CURSOR } from "./cursors.ts";
import { SYSTEM_TABLES, type ComponentDatabase, type TableStore } from "./database.ts";
import { passesFilter, type FilterExpression } from "./filters.ts";
import { newDocumentId, tableNumberOfId } from "./ids.ts";
import {
  aboveLower,
  belowUpper,
  BY_CREATION_TIME,
  comparePrefix,
  FULL_RANGE,
  fieldValue,
  indexKey,
  inRange,
  rangeFromExpressions,
  valueFromJson,
  type Doc,
  type IndexKey,
  type KeyRange,
  type RangeExpression,
} from "./keys.ts";
import { ReadSet, tableKey } from "./readSet.ts";
import { describeMismatch, findMismatch } from "./validate.ts";

export type Order = "asc" | "desc";
export type SearchFilter = { type: "Search"; fieldPath: string; value: string } | { type: "Eq"; fieldPath: string; value: JSONValue };
export type QueryJson = {
  source:
    | { type: "FullTableScan"; tableName: string; order: Order | null }
    | { type: "IndexRange"; indexName: string; range: RangeExpression[]; order: Order | null }
    | { type: "Search"; indexName: string; filters: SearchFilter[] };
  operators: ({ filter: FilterExpression } | { limit: number })[];
};
export type PageRequest = {
  query: QueryJson;
  cursor: string | null;
  endCursor: string | null;
  pageSize: number;
  maximumRowsRead: number | null;
  maximumBytesRead?: number | null;
};
export type PageResult = {
  page: Doc[];
  isDone: boolean;
  continueCursor: string;
  splitCursor: string | null;
  pageStatus: "SplitRecommended" | "SplitRequired" | null;
};

/** Limits as on a Convex deployment, so unbounded code fails here before it fails in production. */
export const LIMITS = {
  documentsScanned: 32_000,
  documentsWritten: 16_000,
  documentBytes: 1 << 20,
  searchResults: 1024,
} as const;

type PendingWrite = { componentPath: string; table: string; id: string; doc: Doc | null };

/** Reports when a query read no further: everything up to `lastKey`, or the whole range. */
type Scan = { range: KeyRange; lastKey: IndexKey | null; exhausted: boolean };

export class Transaction {
  readonly readSet = new ReadSet();
  private readonly layers: Map<string, PendingWrite>[] = [new Map()];
  private readonly dirtyTables = new Set<string>();
  private readonly placeholderIds = new Set<string>();
  private readonly streams = new Map<number, RowStream>();
  private nextStreamId = 1;
  private documentsScanned = 0;
  private paginateCalls = 0;
  /** The end cursor the first run of a paginated query recorded; see `paginate`. */
  journalEndCursor: string | null;

  constructor(
    private readonly database: (componentPath: string) => ComponentDatabase,
    readonly isMutation: boolean,
    readonly startedAt: number,
    journalEndCursor: string | null = null,
  ) {
    this.journalEndCursor = journalEndCursor;
  }

  // --- nesting ---------------------------------------------------------------------------------

  beginNested(): void {
    this.layers.push(new Map());
  }

  commitNested(): void {
    const top = this.layers.pop()!;
    const below = this.layers[this.layers.length - 1];
    for (const [key, write] of top) below.set(key, write);
  }

  rollbackNested(): void {
    this.layers.pop();
  }

  // --- reads -----------------------------------------------------------------------------------

  /** The document as this transaction sees it, without recording a read. */
  private view(componentPath: string, table: string, id: string): Doc | null {
    const key = writeKey(componentPath, id);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const write = this.layers[i].get(key);
      if (write) return write.doc;
    }
    return this.database(componentPath).document(table, id);
  }

  /** This transaction's pending versions of documents in one table (null = deleted). */
  pendingInTable(componentPath: string, table: string): Map<string, Doc | null> {
    const result = new Map<string, Doc | null>();
    if (!this.dirtyTables.has(tableKey(componentPath, table))) return result;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      for (const write of this.layers[i].values()) {
        if (write.componentPath === componentPath && write.table === table && !result.has(write.id)) {
          result.set(write.id, write.doc);
        }
      }
    }
    return result;
  }

  get(componentPath: string, id: string, expectedTable: string | undefined, isSystem: boolean): Doc | null {
    const table = this.tableOfId(componentPath, id, expectedTable);
    if (table === null) return null;
    if (table.name.startsWith("_") !== isSystem) {
      throw new Error(
        isSystem
          ? `Invalid argument \`id\` for \`db.system.get\`: ID is not in a system table`
          : "System tables can only be accessed with `db.system.get`",
      );
    }
    this.readSet.addPoint(componentPath, table.name, id);
    this.countScanned(1);
    return this.view(componentPath, table.name, id);
  }

  normalizeId(componentPath: string, table: string, id: string): string | null {
    const number = tableNumberOfId(id);
    return number !== null && this.database(componentPath).tables.get(table)?.number === number ? id : null;
  }

  count(componentPath: string, table: string): number {
    const store = this.database(componentPath).tables.get(table);
    this.readSet.add({ kind: "range", componentPath, table, fields: ["_creationTime", "_id"], range: FULL_RANGE });
    let count = store?.docs.size ?? 0;
    for (const [id, doc] of this.pendingInTable(componentPath, table)) {
      const committed = store?.docs.has(id) ?? false;
      if (committed && doc === null) count -= 1;
      if (!committed && doc !== null) count += 1;
    }
    return count;
  }

  /** Starts a lazy stream over a query; rows are read only as `next` asks for them. */
  startQuery(componentPath: string, query: QueryJson): number {
    const id = this.nextStreamId++;
    const filters = query.operators.flatMap((op) => ("filter" in op ? [op.filter] : []));
    const limits = query.operators.flatMap((op) => ("limit" in op ? [op.limit] : []));
    const limit = limits.length > 0 ? Math.min(...limits) : null;
    if (query.source.type === "Search") {
      this.streams.set(id, new SearchStream(this.search(componentPath, query.source, filters, limit)));
    } else {
      this.streams.set(id, new IndexStream(this, this.resolveSource(componentPath, query), filters, limit));
    }
    return id;
  }

  nextRow(streamId: number): Doc | null {
    const stream = this.streams.get(streamId);
    if (!stream) throw new Error("Query stream is closed or unknown");
    return stream.next();
  }

  closeQuery(streamId: number): void {
    this.streams.get(streamId)?.finish();
    this.streams.delete(streamId);
  }

  /** Called when the function returns: every stream records what it read. */
  finishReads(): void {
    for (const stream of this.streams.values()) stream.finish();
    this.streams.clear();
  }

  /**
   * One page of a paginated query. Without an explicit end cursor the page ends after `pageSize`
   * rows and that position is kept as the journal, so when the query re-runs (because a write
   * touched its range) the page keeps the same end and grows or shrinks instead of shifting.
   */
  paginate(componentPath: string, request: PageRequest): PageResult {
    // The journal belongs to the first paginated query of the transaction (the subscribed
    // function's, or the one nested call that paginates for it).
    const isFirstPage = this.paginateCalls++ === 0;
    if (request.query.source.type === "Search") throw new Error("Search queries cannot be paginated here");
    const source = this.resolveSource(componentPath, request.query);
    const endCursor = request.endCursor ?? (isFirstPage ? this.journalEndCursor : null);
    const start = request.cursor === null ? null : decodeCursor(request.cursor, source.indexId);
    const end = endCursor === null ? null : decodeCursor(endCursor, source.indexId);
    if (start?.kind === "end") {
      return { page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null };
    }
    const asc = source.order === "asc";
    const range: KeyRange = { ...source.range };
    if (start?.kind === "key") {
      if (asc) range.lower = { values: start.key, inclusive: false };
      else range.upper = { values: start.key, inclusive: false };
    }
    if (end?.kind === "key") {
      if (asc) range.upper = { values: end.key, inclusive: true };
      else range.lower = { values: end.key, inclusive: true };
    }
    const filters = request.query.operators.flatMap((op) => ("filter" in op ? [op.filter] : []));
    const stream = new IndexStream(this, { ...source, range }, filters, null);
    const page: Doc[] = [];
    const keys: IndexKey[] = [];
    let rowsRead = 0;
    let bytesRead = 0;
    let pageStatus: PageResult["pageStatus"] = null;
    while (end !== null || page.length < request.pageSize) {
      const row = stream.step();
      if (row === null) break;
      rowsRead += 1;
      bytesRead += getConvexSize(row.doc);
      if (row.matches) {
        page.push(row.doc);
        keys.push(row.key);
      }
      const overRows = request.maximumRowsRead != null && rowsRead >= request.maximumRowsRead;
      const overBytes = request.maximumBytesRead != null && bytesRead >= request.maximumBytesRead;
      if (overRows || overBytes) {
        pageStatus = "SplitRequired";
        break;
      }
    }
    const scan = stream.finish();
    let continueCursor: string;
    let isDone: boolean;
    if (scan.exhausted) {
      isDone = end === null || end.kind === "end";
      continueCursor = isDone ? END_CURSOR : endCursor!;
    } else {
      isDone = false;
      // A page that read nothing (numItems 0) continues from where it started.
      continueCursor = scan.lastKey === null ? (request.cursor ?? START_CURSOR) : encodeCursor(source.indexId, scan.lastKey);
    }
    if (request.endCursor === null && isFirstPage) this.journalEndCursor = continueCursor;
    const splitCursor = keys.length >= 2 ? encodeCursor(source.indexId, keys[(keys.length - 1) >> 1]) : null;
    if (pageStatus === null && rowsRead > 8 * Math.max(request.pageSize, 1) && rowsRead > 1000) pageStatus = "SplitRecommended";
    return { page, isDone, continueCursor, splitCursor, pageStatus };
  }

  // --- writes ----------------------------------------------------------------------------------

  insert(componentPath: string, table: string, value: Record<string, Value>): string {
    this.assertWritable();
    const db = this.database(componentPath);
    if (table.startsWith("_")) throw new Error(`Tables starting with "_" are system tables and cannot be written directly`);
    if (!db.isWritableTable(table)) throw new Error(`Table "${table}" is not defined in the schema`);
    checkFieldNames(value);
    const store = db.ensureTable(table);
    const id = newDocumentId(store.number);
    const doc = { ...value, _id: id, _creationTime: db.nextCreationTime(Date.now()) } as Doc;
    this.validateDocument(db, store, doc);
    this.write(componentPath, table, id, doc);
    return id;
  }

  /** Inserts into a system table; only the runtime itself (scheduler, storage) calls this. */
  insertSystem(componentPath: string, table: keyof typeof SYSTEM_TABLES, value: Record<string, Value>): string {
    const db = this.database(componentPath);
    const store = db.ensureTable(table);
    const id = newDocumentId(store.number);
    this.write(componentPath, table, id, { ...value, _id: id, _creationTime: db.nextCreationTime(Date.now()) } as Doc);
    return id;
  }

  /** Replaces a system document; only the runtime itself calls this. */
  replaceSystem(componentPath: string, table: string, doc: Doc): void {
    this.write(componentPath, table, doc._id, doc);
  }

  patch(componentPath: string, id: string, expectedTable: string | undefined, patchJson: Record<string, JSONValue>): void {
    this.assertWritable();
    const { store, existing } = this.existingUserDocument(componentPath, id, expectedTable, "Update");
    const next: Record<string, Value> = { ...existing };
    for (const [field, json] of Object.entries(patchJson)) {
      const value = valueFromJson(json);
      if (field === "_id" || field === "_creationTime") {
        if (value !== existing[field]) throw new Error(`Provided \`${field}\` does not match the document's \`${field}\``);
        continue;
      }
      if (value === undefined) delete next[field];
      else next[field] = value;
    }
    checkFieldNames(next);
    this.validateDocument(this.database(componentPath), store, next as Doc);
    this.write(componentPath, store.name, id, next as Doc);
  }

  replace(componentPath: string, id: string, expectedTable: string | undefined, valueJson: Record<string, JSONValue>): void {
    this.assertWritable();
    const { store, existing } = this.existingUserDocument(componentPath, id, expectedTable, "Replace");
    const value = jsonToConvex(valueJson) as Record<string, Value>;
    for (const field of ["_id", "_creationTime"] as const) {
      if (value[field] !== undefined && value[field] !== existing[field]) {
        throw new Error(`Provided \`${field}\` does not match the document's \`${field}\``);
      }
    }
    const next = { ...value, _id: existing._id, _creationTime: existing._creationTime } as Doc;
    checkFieldNames(next);
    this.validateDocument(this.database(componentPath), store, next);
    this.write(componentPath, store.name, id, next);
  }

  remove(componentPath: string, id: string, expectedTable: string | undefined): void {
    this.assertWritable();
    const { store } = this.existingUserDocument(componentPath, id, expectedTable, "Delete");
    this.write(componentPath, store.name, id, null);
  }

  /** Deletes a system document (a stored file's metadata); only the runtime itself calls this. */
  removeSystem(componentPath: string, table: string, id: string): void {
    if (this.view(componentPath, table, id) !== null) this.write(componentPath, table, id, null);
  }

  /** The writes to commit, in the order they were first made. */
  pendingWrites(): PendingWrite[] {
    return [...this.layers[0].values()];
  }

  /** Replaces `db.vars.commitTs` placeholders with the commit timestamp, at commit time. */
  resolvePlaceholders(commitTs: bigint): void {
    for (const write of this.layers[0].values()) {
      if (write.doc && this.placeholderIds.has(write.id)) write.doc = substituteCommitTs(write.doc, commitTs) as Doc;
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private assertWritable(): void {
    if (!this.isMutation) throw new Error("Writes are only allowed in mutations");
  }

  private existingUserDocument(componentPath: string, id: string, expectedTable: string | undefined, verb: string) {
    const store = this.tableOfId(componentPath, id, expectedTable);
    if (store !== null && store.name.startsWith("_")) throw new Error("System tables cannot be written directly");
    const existing = store === null ? null : this.view(componentPath, store.name, id);
    if (store === null || existing === null) throw new Error(`${verb} on nonexistent document ID ${id}`);
    this.countScanned(1);
    return { store, existing };
  }

  private tableOfId(componentPath: string, id: string, expectedTable: string | undefined): TableStore | null {
    if (typeof id !== "string") throw new Error("Invalid argument `id`: expected a string");
    const number = tableNumberOfId(id);
    if (number === null) throw new Error(`Invalid argument \`id\`: unable to decode ID "${abbreviate(id)}"`);
    const store = this.database(componentPath).tableByNumber(number) ?? null;
    if (expectedTable !== undefined && store !== null && store.name !== expectedTable) {
      throw new Error(`Invalid argument \`id\`: expected an ID in table "${expectedTable}" but got an ID in table "${store.name}"`);
    }
    return store;
  }

  private validateDocument(db: ComponentDatabase, store: TableStore, doc: Doc): void {
    const size = getConvexSize(doc);
    if (size > LIMITS.documentBytes) {
      throw new Error(`Document is too large (${size} bytes, limit ${LIMITS.documentBytes} bytes)`);
    }
    const documentType = store.schema?.documentType;
    if (!documentType || !db.schema?.schemaValidation) return;
    const { _id, _creationTime, ...fields } = doc;
    void _id;
    void _creationTime;
    const mismatch = findMismatch(documentType, fields, (table) => db.tables.get(table)?.number);
    if (mismatch) {
      throw new Error(
        describeMismatch(`Failed to insert or update a document in table "${store.name}" because it does not match the schema`, mismatch),
      );
    }
  }

  private write(componentPath: string, table: string, id: string, doc: Doc | null): void {
    const top = this.layers[this.layers.length - 1];
    const key = writeKey(componentPath, id);
    if (!this.layers.some((layer) => layer.has(key)) && this.pendingCount() >= LIMITS.documentsWritten) {
      throw new Error(`Too many documents written in a single function execution (limit: ${LIMITS.documentsWritten})`);
    }
    top.set(key, { componentPath, table, id, doc });
    this.dirtyTables.add(tableKey(componentPath, table));
    if (doc && containsPlaceholder(doc)) this.placeholderIds.add(id);
  }

  private pendingCount(): number {
    return this.layers.reduce((total, layer) => total + layer.size, 0);
  }

  countScanned(rows: number): void {
    this.documentsScanned += rows;
    if (this.documentsScanned > LIMITS.documentsScanned) {
      throw new Error(`Too many documents read in a single function execution (limit: ${LIMITS.documentsScanned}). Use an index range or paginate.`);
    }
  }

  resolveSource(componentPath: string, query: QueryJson): ResolvedSource {
    const source = query.source;
    if (source.type === "Search") throw new Error("unreachable: search sources are not index sources");
    const tableName = source.type === "FullTableScan" ? source.tableName : source.indexName.split(".")[0];
    const indexName = source.type === "FullTableScan" ? BY_CREATION_TIME : source.indexName.split(".").slice(1).join(".");
    const store = this.database(componentPath).tables.get(tableName);
    let fields = store?.indexFields.get(indexName);
    if (fields === undefined) {
      if (indexName !== BY_CREATION_TIME && (store !== undefined || this.database(componentPath).schema !== null)) {
        throw new Error(`Index ${tableName}.${indexName} not found.`);
      }
      fields = ["_creationTime", "_id"];
    }
    const range = source.type === "IndexRange" ? rangeFromExpressions(source.range, fields) : FULL_RANGE;
    return {
      componentPath,
      tableName,
      store,
      indexId: `${tableName}.${indexName}`,
      fields,
      range,
      order: source.order ?? "asc",
    };
  }

  private search(
    componentPath: string,
    source: Extract<QueryJson["source"], { type: "Search" }>,
    filters: FilterExpression[],
    limit: number | null,
  ): Doc[] {
    const [tableName, indexName] = source.indexName.split(".");
    const store = this.database(componentPath).tables.get(tableName);
    const definition = store?.schema?.searchIndexes.find((index) => index.indexDescriptor === indexName);
    if (!definition) throw new Error(`Search index ${source.indexName} not found.`);
    this.readSet.add({ kind: "range", componentPath, table: tableName, fields: ["_creationTime", "_id"], range: FULL_RANGE });
    const text = source.filters.find((filter) => filter.type === "Search")?.value ?? "";
    const equalities = source.filters.filter((filter) => filter.type === "Eq");
    const terms = tokenize(text);
    const scored: { doc: Doc; score: number }[] = [];
    for (const doc of this.allDocuments(componentPath, tableName)) {
      if (!equalities.every((filter) => sameValue(fieldValue(doc, filter.fieldPath), valueFromJson(filter.value)))) continue;
      if (!filters.every((filter) => passesFilter(doc, filter))) continue;
      const field = fieldValue(doc, definition.searchField);
      if (typeof field !== "string") continue;
      const score = relevance(terms, tokenize(field));
      if (score > 0) scored.push({ doc, score });
    }
    scored.sort((a, b) => b.score - a.score || b.doc._creationTime - a.doc._creationTime);
    return scored.slice(0, Math.min(limit ?? LIMITS.searchResults, LIMITS.searchResults)).map((entry) => entry.doc);
  }

  private *allDocuments(componentPath: string, table: string): Generator<Doc> {
    const pending = this.pendingInTable(componentPath, table);
    for (const [id, doc] of this.database(componentPath).tables.get(table)?.docs ?? []) {
      this.countScanned(1);
      if (!pending.has(id)) yield doc;
    }
    for (const doc of pending.values()) if (doc) yield doc;
  }
}

export type ResolvedSource = {
  componentPath: string;
  tableName: string;
  store: TableStore | undefined;
  /** `table.index`, the identity a cursor is tied to. */
  indexId: string;
  fields: readonly string[];
  range: KeyRange;
  order: Order;
};

interface RowStream {
  next(): Doc | null;
  finish(): void;
}

/** Search results are ranked as a whole, so they are computed up front and handed out in order. */
class SearchStream implements RowStream {
  constructor(private readonly rows: Doc[]) {}
  next(): Doc | null {
    return this.rows.shift() ?? null;
  }
  finish(): void {}
}

/**
 * Walks one index range in order, merging committed entries with the transaction's pending writes,
 * and remembers how far it got so the read set covers exactly what was read.
 */
class IndexStream implements RowStream {
  private position: number;
  private lastKey: IndexKey | null = null;
  private exhausted = false;
  private finished = false;
  private returned = 0;
  private scan: Scan | null = null;

  constructor(
    private readonly txn: Transaction,
    private readonly source: ResolvedSource,
    private readonly filters: FilterExpression[],
    private readonly limit: number | null,
  ) {
    const index = source.store?.indexes.get(indexNameOf(source));
    this.position =
      index === undefined ? -1 : source.order === "asc" ? index.startAscending(source.range.lower) : index.startDescending(source.range.upper);
  }

  next(): Doc | null {
    for (;;) {
      if (this.limit !== null && this.returned >= this.limit) {
        this.finish();
        return null;
      }
      const row = this.step();
      if (row === null) return null;
      if (row.matches) {
        this.returned += 1;
        return row.doc;
      }
    }
  }

  /** The next row of the range, whether or not it passes the filters; null at the end. */
  step(): { doc: Doc; key: IndexKey; matches: boolean } | null {
    if (this.finished || this.exhausted) return null;
    const pending = this.txn.pendingInTable(this.source.componentPath, this.source.tableName);
    const committed = this.peekCommitted(pending);
    const overlay = this.peekPending(pending);
    let row: { doc: Doc; key: IndexKey } | null;
    if (committed && (!overlay || this.precedes(committed.key, overlay.key))) {
      row = committed;
      this.position += this.source.order === "asc" ? 1 : -1;
    } else {
      row = overlay;
    }
    if (row === null) {
      this.exhausted = true;
      this.finish();
      return null;
    }
    this.txn.countScanned(1);
    this.lastKey = row.key;
    return { ...row, matches: this.filters.every((filter) => passesFilter(row.doc, filter)) };
  }

  /** Records the read interval; returns what was scanned. */
  finish(): Scan {
    if (this.scan) return this.scan;
    this.finished = true;
    const { range, order } = this.source;
    let read: KeyRange | null;
    if (this.exhausted) read = range;
    else if (this.lastKey === null) read = null;
    else if (order === "asc") read = { lower: range.lower, upper: { values: this.lastKey, inclusive: true } };
    else read = { lower: { values: this.lastKey, inclusive: true }, upper: range.upper };
    if (read) {
      this.txn.readSet.add({
        kind: "range",
        componentPath: this.source.componentPath,
        table: this.source.tableName,
        fields: this.source.fields,
        range: read,
      });
    }
    this.scan = { range, lastKey: this.lastKey, exhausted: this.exhausted };
    return this.scan;
  }

  private precedes(a: IndexKey, b: IndexKey): boolean {
    const cmp = comparePrefix(a, b);
    return this.source.order === "asc" ? cmp < 0 : cmp > 0;
  }

  private peekCommitted(pending: Map<string, Doc | null>): { doc: Doc; key: IndexKey } | null {
    const store = this.source.store;
    const index = store?.indexes.get(indexNameOf(this.source));
    if (!store || !index) return null;
    const { lower, upper } = this.source.range;
    const step = this.source.order === "asc" ? 1 : -1;
    for (;;) {
      const entry = index.entries[this.position];
      if (entry === undefined) return null;
      if (step === 1 ? !belowUpper(entry.key, upper) : !aboveLower(entry.key, lower)) return null;
      if (pending.has(entry.id)) {
        this.position += step;
        continue;
      }
      return { doc: store.docs.get(entry.id)!, key: entry.key };
    }
  }

  private peekPending(pending: Map<string, Doc | null>): { doc: Doc; key: IndexKey } | null {
    let best: { doc: Doc; key: IndexKey } | null = null;
    for (const doc of pending.values()) {
      if (doc === null) continue;
      const key = indexKey(doc, this.source.fields);
      if (!inRange(key, this.source.range)) continue;
      if (this.lastKey !== null && !this.precedes(this.lastKey, key)) continue;
      if (best === null || this.precedes(key, best.key)) best = { doc, key };
    }
    return best;
  }
}

function indexNameOf(source: ResolvedSource): string {
  return source.indexId.slice(source.tableName.length + 1);
}

function writeKey(componentPath: string, id: string): string {
  return `${componentPath}\u0000${id}`;
}

/** Top-level field names: non-empty, and `_`/`$` prefixes are reserved for the system, as on Convex. */
function checkFieldNames(value: Record<string, unknown>): void {
  for (const field of Object.keys(value)) {
    if (field === "_id" || field === "_creationTime") continue;
    if (field.length === 0 || field.startsWith("_") || field.startsWith("$")) {
      throw new Error(`Invalid field name "${abbreviate(field)}": field names cannot be empty or start with "_" or "$"`);
    }
  }
}

function containsPlaceholder(value: unknown): boolean {
  if (value instanceof CommitTsPlaceholder) return true;
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  if (typeof value === "object" && value !== null && !(value instanceof ArrayBuffer)) {
    return Object.values(value).some(containsPlaceholder);
  }
  return false;
}

function substituteCommitTs(value: unknown, commitTs: bigint): unknown {
  if (value instanceof CommitTsPlaceholder) return commitTs;
  if (Array.isArray(value)) return value.map((item) => substituteCommitTs(item, commitTs));
  if (typeof value === "object" && value !== null && !(value instanceof ArrayBuffer)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteCommitTs(item, commitTs)]));
  }
  return value;
}

function tokenize(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((term) => term.length > 0);
}

/** Counts query terms found in the field; the last term also matches as a prefix (typeahead). */
function relevance(terms: string[], words: string[]): number {
  let score = 0;
  terms.forEach((term, i) => {
    const isLast = i === terms.length - 1;
    if (words.some((word) => word === term || (isLast && word.startsWith(term)))) score += 1;
  });
  return score;
}

function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  return comparePrefix([a], [b]) === 0;
}

function abbreviate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
