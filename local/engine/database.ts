// The committed state of one component's database: its tables, documents and sorted indexes.
// Only `applyWrite` changes it, and only the runtime's commit path calls that, one transaction at a
// time, so every reader sees a consistent snapshot between commits.
import { BY_CREATION_TIME, indexKey, type Doc } from "./keys.ts";
import { SortedIndex } from "./sortedIndex.ts";
import type { ValidatorJson } from "./validate.ts";

/** A table as the schema declares it (the JSON of `defineSchema(...).export()`). */
export type TableSchemaJson = {
  tableName: string;
  indexes: { indexDescriptor: string; fields: string[] }[];
  searchIndexes: { indexDescriptor: string; searchField: string; filterFields: string[] }[];
  vectorIndexes: { indexDescriptor: string; vectorField: string; dimensions: number; filterFields: string[] }[];
  documentType: ValidatorJson | null;
};
export type SchemaJson = { tables: TableSchemaJson[]; schemaValidation: boolean };

/** System tables every component has, with fixed table numbers. */
export const SYSTEM_TABLES: Record<string, number> = { _scheduled_functions: 1, _storage: 2 };
const FIRST_USER_TABLE_NUMBER = 10001;

export class TableStore {
  readonly docs = new Map<string, Doc>();
  /** Index name -> fields including the trailing `_creationTime`, `_id`. */
  readonly indexFields = new Map<string, string[]>();
  readonly indexes = new Map<string, SortedIndex>();

  constructor(
    readonly name: string,
    readonly number: number,
    readonly schema: TableSchemaJson | null,
  ) {
    this.defineIndex(BY_CREATION_TIME, ["_creationTime", "_id"]);
    for (const index of schema?.indexes ?? []) {
      this.defineIndex(index.indexDescriptor, [...index.fields, "_creationTime", "_id"]);
    }
  }

  private defineIndex(name: string, fields: string[]): void {
    this.indexFields.set(name, fields);
    this.indexes.set(name, new SortedIndex());
  }

  put(doc: Doc): void {
    const previous = this.docs.get(doc._id);
    if (previous) this.remove(previous);
    this.docs.set(doc._id, doc);
    for (const [name, index] of this.indexes) index.insert(indexKey(doc, this.indexFields.get(name)!));
  }

  remove(doc: Doc): void {
    this.docs.delete(doc._id);
    for (const [name, index] of this.indexes) index.remove(indexKey(doc, this.indexFields.get(name)!));
  }
}

export class ComponentDatabase {
  readonly tables = new Map<string, TableStore>();
  private readonly tablesByNumber = new Map<number, TableStore>();
  private nextTableNumber = FIRST_USER_TABLE_NUMBER;
  private lastCreationTime = 0;

  /**
   * @param tableNumbers table numbers assigned in earlier runs, so ids stay valid across restarts.
   */
  constructor(
    readonly componentPath: string,
    readonly schema: SchemaJson | null,
    tableNumbers: Record<string, number> = {},
  ) {
    for (const [name, number] of Object.entries(tableNumbers)) {
      this.nextTableNumber = Math.max(this.nextTableNumber, number + 1);
      this.createTable(name, number);
    }
    for (const [name, number] of Object.entries(SYSTEM_TABLES)) {
      if (!this.tables.has(name)) this.createTable(name, number);
    }
    for (const table of schema?.tables ?? []) this.ensureTable(table.tableName);
  }

  private createTable(name: string, number: number): TableStore {
    const schema = this.schema?.tables.find((table) => table.tableName === name) ?? null;
    const store = new TableStore(name, number, schema);
    this.tables.set(name, store);
    this.tablesByNumber.set(number, store);
    return store;
  }

  /** The table, created (with a new number) the first time it is written to. */
  ensureTable(name: string): TableStore {
    return this.tables.get(name) ?? this.createTable(name, this.nextTableNumber++);
  }

  tableByNumber(number: number): TableStore | undefined {
    return this.tablesByNumber.get(number);
  }

  /** Whether writes to this table are allowed: declared in the schema, or no schema enforcement. */
  isWritableTable(name: string): boolean {
    if (name in SYSTEM_TABLES) return true;
    if (this.schema === null || !this.schema.schemaValidation) return true;
    return this.schema.tables.some((table) => table.tableName === name);
  }

  /** Creation times are milliseconds, strictly increasing within a database as on Convex. */
  nextCreationTime(now: number): number {
    this.lastCreationTime = now > this.lastCreationTime ? now : this.lastCreationTime + 0.001;
    return this.lastCreationTime;
  }

  /** Applies one committed write: a new version of the document, or null for a deletion. */
  applyWrite(table: string, id: string, doc: Doc | null): void {
    const store = this.ensureTable(table);
    if (doc === null) {
      const previous = store.docs.get(id);
      if (previous) store.remove(previous);
      return;
    }
    if (doc._creationTime > this.lastCreationTime) this.lastCreationTime = doc._creationTime;
    store.put(doc);
  }

  /** Table name -> number, for persistence. */
  tableNumbers(): Record<string, number> {
    return Object.fromEntries([...this.tables.values()].map((table) => [table.name, table.number]));
  }

  document(table: string, id: string): Doc | null {
    return this.tables.get(table)?.docs.get(id) ?? null;
  }
}
