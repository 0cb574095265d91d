// What a query read, as index ranges, and the test that decides whether a commit changed it.
// A subscription is re-run only when some written document (its old or its new version) falls
// inside one of the ranges its last run read; see docs/local-runtime.md "Reactivity".
import { inRange, indexKey, type Doc, type IndexKey, type KeyRange } from "./keys.ts";

export type ReadInterval =
  | {
      kind: "range";
      componentPath: string;
      table: string;
      /** Index fields including the trailing `_creationTime`, `_id`. */
      fields: readonly string[];
      range: KeyRange;
    }
  | { kind: "point"; componentPath: string; table: string; id: string };

/** One document change of a commit. */
export type CommittedWrite = {
  componentPath: string;
  table: string;
  id: string;
  oldDoc: Doc | null;
  newDoc: Doc | null;
};

export class ReadSet {
  readonly intervals: ReadInterval[] = [];

  add(interval: ReadInterval): void {
    this.intervals.push(interval);
  }

  addPoint(componentPath: string, table: string, id: string): void {
    this.intervals.push({ kind: "point", componentPath, table, id });
  }

  /** `componentPath/table` keys this read set depends on, for indexing subscriptions by table. */
  tableKeys(): Set<string> {
    return new Set(this.intervals.map((interval) => tableKey(interval.componentPath, interval.table)));
  }

  /** Whether any of the writes lands in a range this read set covers. */
  overlaps(writes: readonly CommittedWrite[]): boolean {
    for (const write of writes) {
      for (const interval of this.intervals) {
        if (interval.table !== write.table || interval.componentPath !== write.componentPath) continue;
        if (touches(interval, write.id, write.oldDoc) || touches(interval, write.id, write.newDoc)) return true;
      }
    }
    return false;
  }
}

export function tableKey(componentPath: string, table: string): string {
  return `${componentPath}\u0000${table}`;
}

function touches(interval: ReadInterval, id: string, doc: Doc | null): boolean {
  if (interval.kind === "point") return interval.id === id;
  return doc !== null && inRange(committedIndexKey(doc, interval.fields), interval.range);
}

/**
 * A commit is tested against every subscription on its tables, each asking for the written
 * documents' keys in the indexes it read: compute each key once. Committed documents are never
 * changed in place, so a key cached for one stays right. An index's field list is one array for
 * the life of the runtime, so it serves as the key.
 */
const keyCache = new WeakMap<Doc, Map<readonly string[], IndexKey>>();

function committedIndexKey(doc: Doc, fields: readonly string[]): IndexKey {
  let keys = keyCache.get(doc);
  if (!keys) keyCache.set(doc, (keys = new Map()));
  let key = keys.get(fields);
  if (!key) keys.set(fields, (key = indexKey(doc, fields)));
  return key;
}
