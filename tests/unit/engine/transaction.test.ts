// A transaction over real component databases: lazy index streams that merge committed rows with
// the transaction's own writes, read sets that cover exactly what was read, nested rollback,
// pagination with journals, schema validation, write guards and the limits of a deployment.
import { defineSchema, defineTable } from "convex/server";
import { CommitTsPlaceholder, v, type Value } from "convex/values";
import { afterEach, describe, expect, it, vi } from "vitest";

import { decodeCursor, END_CURSOR } from "../../../local/engine/cursors.ts";
import { ComponentDatabase, type SchemaJson } from "../../../local/engine/database.ts";
import { newDocumentId } from "../../../local/engine/ids.ts";
import type { FilterExpression } from "../../../local/engine/filters.ts";
import type { Doc, RangeExpression } from "../../../local/engine/keys.ts";
import type { CommittedWrite } from "../../../local/engine/readSet.ts";
import { LIMITS, Transaction, type PageRequest, type QueryJson } from "../../../local/engine/transaction.ts";

/** `export()` is how the runtime reads a schema (it is internal to the `convex` package's types). */
const exportSchema = (schema: unknown) => JSON.parse((schema as { export(): string }).export()) as SchemaJson;

const SCHEMA = exportSchema(
  defineSchema({
    messages: defineTable({ channel: v.string(), body: v.string(), n: v.optional(v.number()) })
      .index("by_channel", ["channel"])
      .index("by_n", ["n"])
      .searchIndex("search_body", { searchField: "body" }),
    users: defineTable({ name: v.string(), friend: v.optional(v.id("users")) }),
  }),
);

type World = ReturnType<typeof world>;

/** A component database and helpers to run transactions against it and commit them as the runtime does. */
function world(schema: SchemaJson | null = SCHEMA) {
  const db = new ComponentDatabase("", schema);
  const databases = (componentPath: string) => {
    if (componentPath !== "") throw new Error(`unknown component ${componentPath}`);
    return db;
  };
  const begin = (isMutation = true, journal: string | null = null) => new Transaction(databases, isMutation, Date.now(), journal);
  /** The commit's writes with their old versions, as the runtime hands them to read sets. */
  const writesOf = (txn: Transaction): CommittedWrite[] =>
    txn.pendingWrites().map((w) => ({ componentPath: w.componentPath, table: w.table, id: w.id, oldDoc: db.document(w.table, w.id), newDoc: w.doc }));
  const commit = (txn: Transaction): CommittedWrite[] => {
    txn.finishReads();
    const writes = writesOf(txn);
    for (const w of txn.pendingWrites()) db.applyWrite(w.table, w.id, w.doc);
    return writes;
  };
  const mutate = (work: (txn: Transaction) => void): CommittedWrite[] => {
    const txn = begin();
    work(txn);
    return commit(txn);
  };
  /** Inserts messages n = each value, in channel "b" unless given; returns their ids in order. */
  const seed = (ns: number[], channel = "b"): string[] => {
    const ids: string[] = [];
    mutate((txn) => ns.forEach((n) => ids.push(txn.insert("", "messages", { channel, body: `m${n}`, n }))));
    return ids;
  };
  return { db, begin, commit, mutate, seed, writesOf };
}

const index = (name: string, range: RangeExpression[] = [], order: "asc" | "desc" = "asc", operators: QueryJson["operators"] = []): QueryJson => ({
  source: { type: "IndexRange", indexName: `messages.${name}`, range, order },
  operators,
});
const scan = (table: string, order: "asc" | "desc" = "asc", operators: QueryJson["operators"] = []): QueryJson => ({
  source: { type: "FullTableScan", tableName: table, order },
  operators,
});
const eqRange = (fieldPath: string, value: Value): RangeExpression => ({ type: "Eq", fieldPath, value: value as RangeExpression["value"] });
const bound = (type: RangeExpression["type"], fieldPath: string, value: Value): RangeExpression => ({ type, fieldPath, value: value as RangeExpression["value"] });
const bodyIs = (body: string): { filter: FilterExpression } => ({ filter: { $eq: [{ $field: "body" }, { $literal: body }] } });

/** Reads up to `max` rows of a query (all by default), then closes the stream. */
function read(txn: Transaction, query: QueryJson, max = Infinity): Doc[] {
  const stream = txn.startQuery("", query);
  const rows: Doc[] = [];
  while (rows.length < max) {
    const row = txn.nextRow(stream);
    if (row === null) break;
    rows.push(row);
  }
  txn.closeQuery(stream);
  return rows;
}
const ns = (docs: Doc[]) => docs.map((doc) => doc.n);

/** Whether a later commit (made by `work`) would re-run a query whose reads `reader` made. */
function rerunAfter(w: World, reader: (txn: Transaction) => void, work: (txn: Transaction) => void): boolean {
  const txn = w.begin(false);
  reader(txn);
  txn.finishReads();
  return txn.readSet.overlaps(w.mutate(work));
}

const pageRequest = (query: QueryJson, cursor: string | null, pageSize: number, extra: Partial<PageRequest> = {}): PageRequest => ({
  query,
  cursor,
  endCursor: null,
  pageSize,
  maximumRowsRead: null,
  ...extra,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("index streams over committed rows", () => {
  it.each<[string, QueryJson, (number | undefined)[]]>([
    ["by_n ascending", index("by_n"), [10, 20, 30, 40, 50]],
    ["by_n descending", index("by_n", [], "desc"), [50, 40, 30, 20, 10]],
    ["by_n gte 20, lt 50", index("by_n", [bound("Gte", "n", 20), bound("Lt", "n", 50)]), [20, 30, 40]],
    ["by_n gt 20, lte 50, descending", index("by_n", [bound("Gt", "n", 20), bound("Lte", "n", 50)], "desc"), [50, 40, 30]],
    ["by_n eq 30", index("by_n", [eqRange("n", 30)]), [30]],
    ["by_n eq 31: nothing", index("by_n", [eqRange("n", 31)]), []],
    ["by_channel eq b, in creation order", index("by_channel", [eqRange("channel", "b")]), [30, 10, 50]],
    ["by_channel eq b, descending", index("by_channel", [eqRange("channel", "b")], "desc"), [50, 10, 30]],
    ["a full table scan, in creation order", scan("messages"), [30, 10, 50, 20, 40]],
    ["a full table scan, descending", scan("messages", "desc"), [40, 20, 50, 10, 30]],
    ["a limit of 2", index("by_n", [], "asc", [{ limit: 2 }]), [10, 20]],
    ["two limits: the smaller wins", index("by_n", [], "asc", [{ limit: 4 }, { limit: 3 }]), [10, 20, 30]],
    ["a limit of 0", index("by_n", [], "asc", [{ limit: 0 }]), []],
    ["a filter", index("by_n", [], "desc", [bodyIs("m20")]), [20]],
    ["a filter and a limit", index("by_n", [], "asc", [{ filter: { $gt: [{ $field: "n" }, { $literal: 15 }] } }, { limit: 2 }]), [20, 30]],
  ])("%s", (_name, query, expected) => {
    const w = world();
    w.seed([30, 10, 50], "b");
    w.seed([20, 40], "c");
    expect(ns(read(w.begin(false), query))).toEqual(expected);
  });

  it("a document missing the indexed field sorts first", () => {
    const w = world();
    w.seed([5]);
    w.mutate((txn) => txn.insert("", "messages", { channel: "b", body: "no n" }));
    expect(read(w.begin(false), index("by_n")).map((doc) => doc.body)).toEqual(["no n", "m5"]);
    expect(read(w.begin(false), index("by_n", [eqRange("n", { $undefined: null } as unknown as Value)])).map((doc) => doc.body)).toEqual(["no n"]);
  });

  it.each<[string, QueryJson, string]>([
    ["an unknown index", index("by_nothing"), "Index messages.by_nothing not found."],
    ["an index range on a field out of order", index("by_n", [eqRange("channel", "b")]), 'Incorrect field used in `withIndex`: expected "n", got "channel"'],
  ])("refuses %s", (_name, query, message) => {
    expect(() => world().begin(false).startQuery("", query)).toThrow(message);
  });

  it("a closed or unknown stream cannot be read", () => {
    const txn = world().begin(false);
    const stream = txn.startQuery("", index("by_n"));
    txn.closeQuery(stream);
    expect(() => txn.nextRow(stream)).toThrow("Query stream is closed or unknown");
    expect(() => txn.nextRow(999)).toThrow("Query stream is closed or unknown");
  });
});

describe("index streams see the transaction's own writes", () => {
  /** Committed n = 10, 20, 30, 40; then, pending: insert 25, move 10 to 35, delete 30, insert 99 in channel c. */
  function withPending() {
    const w = world();
    const [id10, , id30] = w.seed([10, 20, 30, 40]);
    const txn = w.begin();
    txn.insert("", "messages", { channel: "b", body: "m25", n: 25 });
    txn.patch("", id10, "messages", { n: 35, body: "m35" });
    txn.remove("", id30, "messages");
    txn.insert("", "messages", { channel: "c", body: "m99", n: 99 });
    return { w, txn, id10, id30 };
  }

  it.each<[string, QueryJson, number[]]>([
    ["ascending", index("by_n"), [20, 25, 35, 40, 99]],
    ["descending", index("by_n", [], "desc"), [99, 40, 35, 25, 20]],
    ["within bounds", index("by_n", [bound("Gte", "n", 20), bound("Lte", "n", 35)]), [20, 25, 35]],
    ["within bounds, descending", index("by_n", [bound("Gt", "n", 20), bound("Lt", "n", 40)], "desc"), [35, 25]],
    ["with a limit", index("by_n", [], "asc", [{ limit: 3 }]), [20, 25, 35]],
    ["with a limit, descending", index("by_n", [], "desc", [{ limit: 2 }]), [99, 40]],
    ["with a filter on a pending value", index("by_n", [], "asc", [bodyIs("m35")]), [35]],
    ["by_channel eq b: creation order, the patched row in place, the insert into c left out", index("by_channel", [eqRange("channel", "b")]), [35, 20, 40, 25]],
    ["a full table scan: pending inserts come last, the patched row keeps its place", scan("messages"), [35, 20, 40, 25, 99]],
  ])("%s", (_name, query, expected) => {
    const { txn } = withPending();
    expect(ns(read(txn, query))).toEqual(expected);
  });

  it("get sees the pending version, and null for a pending delete", () => {
    const { txn, id10, id30 } = withPending();
    expect(txn.get("", id10, "messages", false)?.n).toBe(35);
    expect(txn.get("", id30, "messages", false)).toBeNull();
  });

  it("another transaction sees none of it", () => {
    const { w } = withPending();
    expect(ns(read(w.begin(false), index("by_n")))).toEqual([10, 20, 30, 40]);
  });

  it("a doc inserted then deleted in the same transaction is never seen", () => {
    const w = world();
    w.seed([1]);
    const txn = w.begin();
    const id = txn.insert("", "messages", { channel: "b", body: "x", n: 2 });
    txn.remove("", id, "messages");
    expect(ns(read(txn, index("by_n")))).toEqual([1]);
    expect(txn.count("", "messages")).toBe(1);
  });
});

describe("the read set covers exactly what was read", () => {
  const TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it.each<[string, (txn: Transaction, ids: string[]) => void, boolean]>([
    ["a change to row 5", (txn, ids) => txn.patch("", ids[4], "messages", { body: "changed" }), false],
    ["deleting row 5", (txn, ids) => txn.remove("", ids[4], "messages"), false],
    ["an insert after the rows read (n = 2.5)", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 2.5 }), false],
    ["an insert past the end (n = 11)", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 11 }), false],
    ["a change to row 2 (the last row read)", (txn, ids) => txn.patch("", ids[1], "messages", { body: "changed" }), true],
    ["a change to row 1", (txn, ids) => txn.patch("", ids[0], "messages", { body: "changed" }), true],
    ["an insert between the rows read (n = 1.5)", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 1.5 }), true],
    ["an insert before the first row (n = 0)", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 0 }), true],
    ["moving row 7 in front of row 2", (txn, ids) => txn.patch("", ids[6], "messages", { n: 1.5 }), true],
    ["moving row 1 past the rows read", (txn, ids) => txn.patch("", ids[0], "messages", { n: 50 }), true],
    ["an insert into another table", (txn) => txn.insert("", "users", { name: "u" }), false],
  ])("a limit-2 read of 10 rows; later commit: %s -> re-run %s", (_name, work, expected) => {
    const w = world();
    const ids = w.seed(TEN);
    expect(rerunAfter(w, (txn) => expect(ns(read(txn, index("by_n", [], "asc", [{ limit: 2 }])))).toEqual([1, 2]), (txn) => work(txn, ids))).toBe(expected);
  });

  it.each<[string, (txn: Transaction, ids: string[]) => void, boolean]>([
    ["a change to row 5", (txn, ids) => txn.patch("", ids[4], "messages", { body: "changed" }), false],
    ["a change to row 9 (the last row read)", (txn, ids) => txn.patch("", ids[8], "messages", { body: "changed" }), true],
    ["an insert at n = 11", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 11 }), true],
    ["an insert at n = 8.5", (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 8.5 }), false],
  ])("a descending limit-2 read; later commit: %s -> re-run %s", (_name, work, expected) => {
    const w = world();
    const ids = w.seed(TEN);
    expect(rerunAfter(w, (txn) => expect(ns(read(txn, index("by_n", [], "desc", [{ limit: 2 }])))).toEqual([10, 9]), (txn) => work(txn, ids))).toBe(expected);
  });

  it("records the interval up to the last row read, inclusive", () => {
    const w = world();
    const ids = w.seed(TEN);
    const txn = w.begin(false);
    read(txn, index("by_n", [], "asc", [{ limit: 2 }]));
    const second = w.db.document("messages", ids[1])!;
    expect(txn.readSet.intervals).toEqual([
      {
        kind: "range",
        componentPath: "",
        table: "messages",
        fields: ["n", "_creationTime", "_id"],
        range: { lower: null, upper: { values: [2, second._creationTime, ids[1]], inclusive: true } },
      },
    ]);
  });

  it("a stream stopped by the function (no limit) covers only what it read", () => {
    const w = world();
    const ids = w.seed(TEN);
    expect(rerunAfter(w, (txn) => read(txn, index("by_n"), 3), (txn) => txn.patch("", ids[4], "messages", { body: "x" }))).toBe(false);
    expect(rerunAfter(w, (txn) => read(txn, index("by_n"), 3), (txn) => txn.patch("", ids[2], "messages", { body: "x" }))).toBe(true);
  });

  it.each<[string, number, boolean]>([
    ["a row before the match starts matching", 2, true],
    ["a row after the match starts matching", 5, false],
  ])("rows a filter rejected are covered too: %s -> re-run %s", (_name, row, expected) => {
    const w = world();
    const ids = w.seed(TEN);
    const reader = (txn: Transaction) => expect(ns(read(txn, index("by_n", [], "asc", [bodyIs("m4"), { limit: 1 }])))).toEqual([4]);
    expect(rerunAfter(w, reader, (txn) => txn.patch("", ids[row], "messages", { body: "m4" }))).toBe(expected);
  });

  it("an exhausted read covers the whole range, including past its last row", () => {
    const w = world();
    w.seed(TEN);
    const reader = (txn: Transaction) => read(txn, index("by_n", [bound("Lt", "n", 20)]));
    expect(rerunAfter(w, reader, (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 15 }))).toBe(true);
    expect(rerunAfter(w, reader, (txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 25 }))).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ["an insert into it", "z", true],
    ["an insert next to it", "y", false],
  ])("an empty result still covers its range: %s -> re-run %s", (_name, channel, expected) => {
    const w = world();
    const reader = (txn: Transaction) => expect(read(txn, index("by_channel", [eqRange("channel", "z")]))).toEqual([]);
    expect(rerunAfter(w, reader, (txn) => txn.insert("", "messages", { channel, body: "x" }))).toBe(expected);
  });

  it("a stream opened but never read records nothing", () => {
    const w = world();
    w.seed([1]);
    const txn = w.begin(false);
    const stream = txn.startQuery("", index("by_n"));
    txn.closeQuery(stream);
    txn.finishReads();
    expect(txn.readSet.intervals).toEqual([]);
  });

  it("a get records a point read of that id only", () => {
    const w = world();
    const [a, b] = w.seed([1, 2]);
    expect(rerunAfter(w, (txn) => txn.get("", a, "messages", false), (txn) => txn.patch("", a, "messages", { body: "x" }))).toBe(true);
    expect(rerunAfter(w, (txn) => txn.get("", a, "messages", false), (txn) => txn.patch("", b, "messages", { body: "x" }))).toBe(false);
  });
});

describe("get and normalizeId", () => {
  it("get refuses malformed ids and ids of another table", () => {
    const w = world();
    const [message] = w.seed([1]);
    let user = "";
    w.mutate((txn) => (user = txn.insert("", "users", { name: "u" })));
    const txn = w.begin(false);
    expect(() => txn.get("", "nonsense", undefined, false)).toThrow('Invalid argument `id`: unable to decode ID "nonsense"');
    expect(() => txn.get("", user, "messages", false)).toThrow('Invalid argument `id`: expected an ID in table "messages" but got an ID in table "users"');
    expect(txn.get("", message, undefined, false)?.n).toBe(1);
  });

  it("get of a well-formed id of a table that does not exist is null", () => {
    expect(world().begin(false).get("", newDocumentId(20000), undefined, false)).toBeNull();
  });

  it("normalizeId accepts only ids of the named table", () => {
    const w = world();
    const [message] = w.seed([1]);
    const txn = w.begin(false);
    expect(txn.normalizeId("", "messages", message)).toBe(message);
    expect(txn.normalizeId("", "users", message)).toBeNull();
    expect(txn.normalizeId("", "messages", "garbage")).toBeNull();
    expect(txn.normalizeId("", "ghosts", message)).toBeNull();
  });
});

describe("nested layers", () => {
  it("a rolled-back layer takes only its own writes with it", () => {
    const w = world();
    const [committed] = w.seed([1]);
    const txn = w.begin();
    const outer = txn.insert("", "messages", { channel: "b", body: "outer", n: 2 });
    txn.beginNested();
    txn.insert("", "messages", { channel: "b", body: "inner", n: 3 });
    txn.patch("", outer, "messages", { body: "patched inside" });
    txn.remove("", committed, "messages");
    expect(read(txn, index("by_n")).map((doc) => doc.body)).toEqual(["patched inside", "inner"]);
    txn.rollbackNested();
    expect(read(txn, index("by_n")).map((doc) => doc.body)).toEqual(["m1", "outer"]);
    expect(txn.pendingWrites().map((write) => write.id)).toEqual([outer]);
    expect(txn.count("", "messages")).toBe(2);
  });

  it("a committed layer merges into its parent", () => {
    const w = world();
    const txn = w.begin();
    txn.beginNested();
    const id = txn.insert("", "messages", { channel: "b", body: "inner", n: 1 });
    txn.commitNested();
    expect(txn.get("", id, "messages", false)?.body).toBe("inner");
    w.commit(txn);
    expect(w.db.document("messages", id)?.body).toBe("inner");
  });

  it("a layer committed into a parent that then rolls back is gone too", () => {
    const w = world();
    const txn = w.begin();
    txn.insert("", "messages", { channel: "b", body: "top", n: 0 });
    txn.beginNested();
    txn.beginNested();
    txn.insert("", "messages", { channel: "b", body: "deepest", n: 2 });
    txn.commitNested();
    txn.rollbackNested();
    expect(read(txn, index("by_n")).map((doc) => doc.body)).toEqual(["top"]);
  });

  it("an inner patch over an outer patch rolls back to the outer version", () => {
    const w = world();
    const [id] = w.seed([1]);
    const txn = w.begin();
    txn.patch("", id, "messages", { body: "outer" });
    txn.beginNested();
    txn.patch("", id, "messages", { body: "inner" });
    txn.rollbackNested();
    expect(txn.get("", id, "messages", false)?.body).toBe("outer");
  });
});

describe("paginate", () => {
  const TEN = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  const byN = index("by_n");

  function pages(w: World, query: QueryJson, pageSize: number, extra: Partial<PageRequest> = {}) {
    const out: { ns: Value[]; isDone: boolean }[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const result = w.begin(false).paginate("", pageRequest(query, cursor, pageSize, extra));
      out.push({ ns: ns(result.page), isDone: result.isDone });
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    return out;
  }

  it.each<[string, QueryJson, number, { ns: Value[]; isDone: boolean }[]]>([
    ["pages of 3", byN, 3, [
      { ns: [10, 20, 30], isDone: false },
      { ns: [40, 50, 60], isDone: false },
      { ns: [70, 80, 90], isDone: false },
      { ns: [100], isDone: true },
    ]],
    ["pages of 5: a full last page is followed by an empty, done one", byN, 5, [
      { ns: [10, 20, 30, 40, 50], isDone: false },
      { ns: [60, 70, 80, 90, 100], isDone: false },
      { ns: [], isDone: true },
    ]],
    ["descending pages of 4", index("by_n", [], "desc"), 4, [
      { ns: [100, 90, 80, 70], isDone: false },
      { ns: [60, 50, 40, 30], isDone: false },
      { ns: [20, 10], isDone: true },
    ]],
    ["a range, pages of 2", index("by_n", [bound("Gt", "n", 30), bound("Lte", "n", 70)]), 2, [
      { ns: [40, 50], isDone: false },
      { ns: [60, 70], isDone: false },
      { ns: [], isDone: true },
    ]],
    ["a filter counts only matching rows toward the page", index("by_n", [], "asc", [{ filter: { $gt: [{ $field: "n" }, { $literal: 65 }] } }]), 3, [
      { ns: [70, 80, 90], isDone: false },
      { ns: [100], isDone: true },
    ]],
    ["more than everything in one page", byN, 50, [{ ns: TEN, isDone: true }]],
  ])("%s", (_name, query, pageSize, expected) => {
    const w = world();
    w.seed(TEN);
    expect(pages(w, query, pageSize)).toEqual(expected);
  });

  it("an empty table: one empty page, done, with the end cursor", () => {
    const result = world().begin(false).paginate("", pageRequest(byN, null, 5));
    expect(result).toEqual({ page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null });
  });

  it("the continue cursor names the last row of the page, and the end cursor is 'end'", () => {
    const w = world();
    const ids = w.seed(TEN);
    const first = w.begin(false).paginate("", pageRequest(byN, null, 3));
    const third = w.db.document("messages", ids[2])!;
    expect(decodeCursor(first.continueCursor, "messages.by_n")).toEqual({ kind: "key", key: [30, third._creationTime, ids[2]] });
    const last = w.begin(false).paginate("", pageRequest(byN, first.continueCursor, 100));
    expect(last.continueCursor).toBe(END_CURSOR);
    expect(w.begin(false).paginate("", pageRequest(byN, END_CURSOR, 3))).toEqual({ page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null });
  });

  it("the split cursor is the middle row of the page", () => {
    const w = world();
    const ids = w.seed(TEN);
    const result = w.begin(false).paginate("", pageRequest(byN, null, 4));
    const second = w.db.document("messages", ids[1])!;
    expect(decodeCursor(result.splitCursor!, "messages.by_n")).toEqual({ kind: "key", key: [20, second._creationTime, ids[1]] });
    expect(w.begin(false).paginate("", pageRequest(byN, null, 1)).splitCursor).toBeNull();
  });

  it("a page sees the transaction's own pending writes", () => {
    const w = world();
    const ids = w.seed(TEN);
    const txn = w.begin();
    txn.insert("", "messages", { channel: "b", body: "x", n: 15 });
    txn.remove("", ids[1], "messages");
    expect(ns(txn.paginate("", pageRequest(byN, null, 3)).page)).toEqual([10, 15, 30]);
  });

  describe("the journal keeps a page's end fixed when the query re-runs", () => {
    function firstRun(w: World, pageSize = 3) {
      const txn = w.begin(false);
      const result = txn.paginate("", pageRequest(byN, null, pageSize));
      expect(txn.journalEndCursor).toBe(result.continueCursor);
      return { result, journal: txn.journalEndCursor };
    }

    it.each<[string, number[], number[]]>([
      ["an insert inside the page: the page grows", [15], [10, 15, 20, 30]],
      ["an insert after the page: the page is unchanged", [35, 1000], [10, 20, 30]],
      ["an insert before the first row: the page grows at the front", [5], [5, 10, 20, 30]],
      ["an insert equal to the last row's value sorts after it (later creation time)", [30], [10, 20, 30]],
    ])("%s", (_name, inserted, expected) => {
      const w = world();
      w.seed(TEN);
      const { journal } = firstRun(w);
      w.seed(inserted);
      const txn = w.begin(false, journal);
      const result = txn.paginate("", pageRequest(byN, null, 3));
      expect(ns(result.page)).toEqual(expected);
      expect(result.continueCursor).toBe(journal);
      expect(result.isDone).toBe(false);
      expect(txn.journalEndCursor).toBe(journal);
    });

    it("a delete inside the page: the page shrinks and still ends at the same row", () => {
      const w = world();
      const ids = w.seed(TEN);
      const { journal } = firstRun(w);
      w.mutate((txn) => txn.remove("", ids[1], "messages"));
      const result = w.begin(false, journal).paginate("", pageRequest(byN, null, 3));
      expect(ns(result.page)).toEqual([10, 30]);
      expect(result.continueCursor).toBe(journal);
    });

    it("the next page starts where the fixed page ends", () => {
      const w = world();
      w.seed(TEN);
      const { journal } = firstRun(w);
      w.seed([15, 35]);
      const next = w.begin(false).paginate("", pageRequest(byN, journal, 3));
      expect(ns(next.page)).toEqual([35, 40, 50]);
    });

    it("the last page's journal is the end: rows appended later join it", () => {
      const w = world();
      w.seed(TEN);
      const middle = w.begin(false).paginate("", pageRequest(byN, null, 8)).continueCursor;
      const txn = w.begin(false);
      const last = txn.paginate("", pageRequest(byN, middle, 8));
      expect(ns(last.page)).toEqual([90, 100]);
      expect(txn.journalEndCursor).toBe(END_CURSOR);
      w.seed([110, 120]);
      const rerun = w.begin(false, END_CURSOR).paginate("", pageRequest(byN, middle, 8));
      expect(ns(rerun.page)).toEqual([90, 100, 110, 120]);
      expect(rerun.isDone).toBe(true);
    });

    it("an explicit end cursor wins over the journal and does not replace it", () => {
      const w = world();
      w.seed(TEN);
      const { journal } = firstRun(w);
      const explicit = w.begin(false).paginate("", pageRequest(byN, null, 5)).continueCursor;
      const txn = w.begin(false, journal);
      const result = txn.paginate("", pageRequest(byN, null, 3, { endCursor: explicit }));
      expect(ns(result.page)).toEqual([10, 20, 30, 40, 50]);
      expect(txn.journalEndCursor).toBe(journal);
    });

    it("the re-run's read set covers the fixed page, and nothing after it", () => {
      const w = world();
      w.seed(TEN);
      const { journal } = firstRun(w);
      const reader = (txn: Transaction) => txn.paginate("", pageRequest(byN, null, 3));
      const rerunWithJournal = (work: (txn: Transaction) => void) => {
        const txn = w.begin(false, journal);
        reader(txn);
        txn.finishReads();
        return txn.readSet.overlaps(w.mutate(work));
      };
      expect(rerunWithJournal((txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 25 }))).toBe(true);
      expect(rerunWithJournal((txn) => txn.insert("", "messages", { channel: "b", body: "x", n: 45 }))).toBe(false);
    });
  });

  it("maximumRowsRead ends the page early with SplitRequired", () => {
    const w = world();
    w.seed(TEN);
    const result = w.begin(false).paginate("", pageRequest(byN, null, 5, { maximumRowsRead: 2 }));
    expect(ns(result.page)).toEqual([10, 20]);
    expect(result.pageStatus).toBe("SplitRequired");
    expect(result.isDone).toBe(false);
    const next = w.begin(false).paginate("", pageRequest(byN, result.continueCursor, 5, { maximumRowsRead: 2 }));
    expect(ns(next.page)).toEqual([30, 40]);
  });

  it("maximumRowsRead counts rows a filter rejects", () => {
    const w = world();
    w.seed(TEN);
    const query = index("by_n", [], "asc", [bodyIs("m90")]);
    const result = w.begin(false).paginate("", pageRequest(query, null, 5, { maximumRowsRead: 3 }));
    expect(result.page).toEqual([]);
    expect(result.pageStatus).toBe("SplitRequired");
    expect(result.isDone).toBe(false);
    const next = w.begin(false).paginate("", pageRequest(query, result.continueCursor, 5));
    expect(ns(next.page)).toEqual([90]);
  });

  it("maximumBytesRead ends the page early with SplitRequired", () => {
    const w = world();
    w.seed(TEN);
    const result = w.begin(false).paginate("", pageRequest(byN, null, 10, { maximumBytesRead: 1 }));
    expect(ns(result.page)).toEqual([10]);
    expect(result.pageStatus).toBe("SplitRequired");
  });

  it("a page that scanned over 1000 rows for few matches recommends a split", () => {
    const w = world();
    w.seed(Array.from({ length: 1100 }, (_, i) => i));
    const query = index("by_n", [], "asc", [bodyIs("m1099")]);
    const result = w.begin(false).paginate("", pageRequest(query, null, 10));
    expect(ns(result.page)).toEqual([1099]);
    expect(result.pageStatus).toBe("SplitRecommended");
  });

  it("a page of 0 items (allowed by the client: numItems >= 0) is empty and loses no rows", () => {
    const w = world();
    w.seed(TEN);
    const empty = w.begin(false).paginate("", pageRequest(byN, null, 0));
    expect(empty.page).toEqual([]);
    expect(empty.isDone).toBe(false);
    expect(ns(w.begin(false).paginate("", pageRequest(byN, empty.continueCursor, 3)).page)).toEqual([10, 20, 30]);
    const middle = w.begin(false).paginate("", pageRequest(byN, null, 2)).continueCursor;
    const emptyInMiddle = w.begin(false).paginate("", pageRequest(byN, middle, 0));
    expect(ns(w.begin(false).paginate("", pageRequest(byN, emptyInMiddle.continueCursor, 2)).page)).toEqual([30, 40]);
  });

  it("gives the journal only to the first paginated query of a transaction", () => {
    const w = world();
    w.seed(TEN);
    const first = w.begin(false).paginate("", pageRequest(byN, null, 2));
    const txn = w.begin(false, first.continueCursor);
    expect(ns(txn.paginate("", pageRequest(byN, null, 5)).page)).toEqual([10, 20]);
    // A second paginated query (another function of the same transaction) ignores that journal.
    expect(ns(txn.paginate("", pageRequest(byN, null, 5)).page)).toEqual([10, 20, 30, 40, 50]);
  });

  it("a cursor from another index is refused", () => {
    const w = world();
    w.seed(TEN);
    const cursor = w.begin(false).paginate("", pageRequest(byN, null, 2)).continueCursor;
    expect(() => w.begin(false).paginate("", pageRequest(index("by_channel", [eqRange("channel", "b")]), cursor, 2))).toThrow("InvalidCursor");
  });

  it("a search query cannot be paginated", () => {
    const query: QueryJson = { source: { type: "Search", indexName: "messages.search_body", filters: [{ type: "Search", fieldPath: "body", value: "m" }] }, operators: [] };
    expect(() => world().begin(false).paginate("", pageRequest(query, null, 2))).toThrow("Search queries cannot be paginated here");
  });
});

describe("schema validation of writes", () => {
  const failure = (detail: string) => `Failed to insert or update a document in table "messages" because it does not match the schema: ${detail}`;

  function oneMessage() {
    const w = world();
    const [id] = w.seed([1]);
    return { w, id, txn: w.begin() };
  }

  it.each<[string, Record<string, Value>, string]>([
    ["an extra field", { channel: "b", body: "x", extra: 1 }, failure("Object contains extra field `extra` that is not in the validator.\nPath: .extra")],
    ["a missing required field", { channel: "b" }, failure("Object is missing the required field `body`.\nPath: .body")],
    ["a field of the wrong type", { channel: "b", body: 5 }, failure("Value does not match validator v.string().\nPath: .body")],
    ["an optional field of the wrong type", { channel: "b", body: "x", n: "1" }, failure("Value does not match validator v.number().\nPath: .n")],
  ])("insert refuses %s", (_name, value, message) => {
    const { txn } = oneMessage();
    expect(() => txn.insert("", "messages", value)).toThrow(message);
    expect(txn.pendingWrites()).toEqual([]);
  });

  it("an id field must name its table", () => {
    const { txn, id } = oneMessage();
    expect(() => txn.insert("", "users", { name: "u", friend: id })).toThrow('Value does not match validator v.id("users").\nPath: .friend');
    const user = txn.insert("", "users", { name: "u" });
    expect(() => txn.insert("", "users", { name: "v", friend: user })).not.toThrow();
  });

  it("insert into a table the schema does not declare is refused", () => {
    expect(() => world().begin().insert("", "ghosts", { a: 1 })).toThrow('Table "ghosts" is not defined in the schema');
  });

  it("patch: { $undefined: null } removes an optional field", () => {
    const { txn, id } = oneMessage();
    txn.patch("", id, "messages", { n: { $undefined: null } as unknown as number });
    const doc = txn.get("", id, "messages", false)!;
    expect("n" in doc).toBe(false);
    expect(doc).toEqual({ _id: id, _creationTime: doc._creationTime, channel: "b", body: "m1" });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["removing a required field", { body: { $undefined: null } }, failure("Object is missing the required field `body`.\nPath: .body")],
    ["adding an extra field", { extra: true }, failure("Object contains extra field `extra` that is not in the validator.\nPath: .extra")],
    ["a wrong type", { n: "one" }, failure("Value does not match validator v.number().\nPath: .n")],
    ["a different _id", { _id: "other" }, "Provided `_id` does not match the document's `_id`"],
    ["a different _creationTime", { _creationTime: 5 }, "Provided `_creationTime` does not match the document's `_creationTime`"],
    ["a field name starting with $", { $bad: 1 }, 'Invalid field name "$bad"'],
  ])("patch refuses %s", (_name, patch, message) => {
    const { txn, id } = oneMessage();
    expect(() => txn.patch("", id, "messages", patch as Record<string, never>)).toThrow(message);
    expect(txn.pendingWrites()).toEqual([]);
  });

  it("patch may repeat the document's own _id and _creationTime", () => {
    const { w, txn, id } = oneMessage();
    const creationTime = w.db.document("messages", id)!._creationTime;
    txn.patch("", id, "messages", { _id: id, _creationTime: creationTime, body: "ok" });
    expect(txn.get("", id, "messages", false)?.body).toBe("ok");
  });

  it("replace keeps _id and _creationTime and drops fields left out", () => {
    const { w, txn, id } = oneMessage();
    const before = w.db.document("messages", id)!;
    txn.replace("", id, "messages", { channel: "c", body: "new" });
    expect(txn.get("", id, "messages", false)).toEqual({ _id: id, _creationTime: before._creationTime, channel: "c", body: "new" });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an extra field", { channel: "c", body: "new", extra: 1 }, failure("Object contains extra field `extra` that is not in the validator.\nPath: .extra")],
    ["a missing required field", { channel: "c" }, failure("Object is missing the required field `body`.\nPath: .body")],
    ["another _id", { _id: "x", channel: "c", body: "new" }, "Provided `_id` does not match the document's `_id`"],
  ])("replace refuses %s", (_name, value, message) => {
    const { txn, id } = oneMessage();
    expect(() => txn.replace("", id, "messages", value as Record<string, never>)).toThrow(message);
  });

  it.each<[string, (txn: Transaction) => void]>([
    ["patch", (txn) => txn.patch("", newDocumentId(10001), "messages", { body: "x" })],
    ["replace", (txn) => txn.replace("", newDocumentId(10001), "messages", { channel: "b", body: "x" })],
    ["delete", (txn) => txn.remove("", newDocumentId(10001), "messages")],
  ])("%s of a document that does not exist is refused", (verb, work) => {
    const { txn } = oneMessage();
    expect(() => work(txn)).toThrow(/on nonexistent document ID/);
  });

  it("a patch of a document deleted earlier in the transaction is refused", () => {
    const { txn, id } = oneMessage();
    txn.remove("", id, "messages");
    expect(() => txn.patch("", id, "messages", { body: "x" })).toThrow(`Update on nonexistent document ID ${id}`);
  });

  it("without schema validation, any table and shape is accepted", () => {
    const w = world({ tables: SCHEMA.tables, schemaValidation: false });
    const txn = w.begin();
    expect(() => txn.insert("", "messages", { whatever: [1, 2] })).not.toThrow();
    expect(() => txn.insert("", "ghosts", { a: 1 })).not.toThrow();
  });

  it.each(["", "_private", "$dollar"])("field name %j is refused on insert even without a schema", (name) => {
    expect(() => world(null).begin().insert("", "things", { [name]: 1 })).toThrow(`Invalid field name "${name}"`);
  });
});

describe("write guards", () => {
  it.each<[string, (txn: Transaction, id: string) => void]>([
    ["insert", (txn) => txn.insert("", "messages", { channel: "b", body: "x" })],
    ["patch", (txn, id) => txn.patch("", id, "messages", { body: "x" })],
    ["replace", (txn, id) => txn.replace("", id, "messages", { channel: "b", body: "x" })],
    ["delete", (txn, id) => txn.remove("", id, "messages")],
  ])("%s is refused in a read-only transaction", (_verb, work) => {
    const w = world();
    const [id] = w.seed([1]);
    const txn = w.begin(false);
    expect(() => work(txn, id)).toThrow("Writes are only allowed in mutations");
    expect(txn.pendingWrites()).toEqual([]);
  });

  it.each(["_scheduled_functions", "_storage", "_anything"])("user inserts into %s are refused", (table) => {
    expect(() => world().begin().insert("", table, { a: 1 })).toThrow('Tables starting with "_" are system tables and cannot be written directly');
  });

  it("user patch, replace and delete of a system document are refused, and get needs db.system", () => {
    const w = world();
    let fileId = "";
    w.mutate((txn) => (fileId = txn.insertSystem("", "_storage", { sha256: "abc", size: 1 })));
    const txn = w.begin();
    expect(() => txn.patch("", fileId, undefined, { size: 2 })).toThrow("System tables cannot be written directly");
    expect(() => txn.replace("", fileId, undefined, { size: 2 })).toThrow("System tables cannot be written directly");
    expect(() => txn.remove("", fileId, undefined)).toThrow("System tables cannot be written directly");
    expect(() => txn.get("", fileId, undefined, false)).toThrow("System tables can only be accessed with `db.system.get`");
    expect(txn.get("", fileId, "_storage", true)?.size).toBe(1);
  });

  it("db.system.get refuses a user document", () => {
    const w = world();
    const [id] = w.seed([1]);
    expect(() => w.begin(false).get("", id, undefined, true)).toThrow("Invalid argument `id` for `db.system.get`: ID is not in a system table");
  });
});

describe("count", () => {
  it("counts committed rows plus the transaction's inserts, minus its deletes", () => {
    const w = world();
    const ids = w.seed([1, 2, 3]);
    const txn = w.begin();
    expect(txn.count("", "messages")).toBe(3);
    txn.insert("", "messages", { channel: "b", body: "x" });
    txn.insert("", "messages", { channel: "b", body: "y" });
    txn.remove("", ids[0], "messages");
    txn.patch("", ids[1], "messages", { body: "patched" });
    expect(txn.count("", "messages")).toBe(4);
    expect(txn.count("", "users")).toBe(0);
    expect(txn.count("", "ghosts")).toBe(0);
  });

  it("depends on every write to the table", () => {
    const w = world();
    w.seed([1]);
    expect(rerunAfter(w, (txn) => txn.count("", "messages"), (txn) => txn.insert("", "messages", { channel: "z", body: "x" }))).toBe(true);
    expect(rerunAfter(w, (txn) => txn.count("", "messages"), (txn) => txn.insert("", "users", { name: "x" }))).toBe(false);
  });
});

describe("creation times", () => {
  it("strictly increase even when the clock stands still or goes back", () => {
    const now = vi.spyOn(Date, "now");
    const w = world();
    const txn = w.begin();
    const times: number[] = [];
    for (const clock of [5000, 5000, 5000, 4000, 6000, 6000]) {
      now.mockReturnValue(clock);
      times.push(txn.get("", txn.insert("", "messages", { channel: "b", body: "x" }), "messages", false)!._creationTime);
    }
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    expect(times[0]).toBe(5000);
    expect(times[4]).toBe(6000);
    expect(times[3]).toBeLessThan(5001);
  });
});

describe("limits", () => {
  it.each<[string, number, boolean]>([
    ["just under 1 MiB", 1_000_000, true],
    ["over 1 MiB", LIMITS.documentBytes + 1, false],
  ])("a document of %s", (_name, size, ok) => {
    const work = () => world().begin().insert("", "messages", { channel: "b", body: "x".repeat(size) });
    if (ok) expect(work).not.toThrow();
    else expect(work).toThrow(/^Document is too large \(\d+ bytes, limit 1048576 bytes\)$/);
  });

  it("a patch that grows a document past 1 MiB is refused", () => {
    const w = world();
    const [id] = w.seed([1]);
    expect(() => w.begin().patch("", id, "messages", { body: "x".repeat(LIMITS.documentBytes) })).toThrow("Document is too large");
  });

  it("reading more than 32,000 documents in one transaction throws", () => {
    const w = world(null);
    w.db.ensureTable("rows");
    const store = w.db.tables.get("rows")!;
    for (let i = 0; i <= LIMITS.documentsScanned; i++) {
      const id = newDocumentId(store.number);
      w.db.applyWrite("rows", id, { _id: id, _creationTime: i + 1 } as Doc);
    }
    expect(read(w.begin(false), scan("rows", "asc", [{ limit: LIMITS.documentsScanned }]))).toHaveLength(LIMITS.documentsScanned);
    expect(() => read(w.begin(false), scan("rows"))).toThrow(
      "Too many documents read in a single function execution (limit: 32000). Use an index range or paginate.",
    );
  });

  it("writing more than 16,000 documents in one transaction throws; rewriting one does not count twice", () => {
    const txn = world(null).begin();
    let last = "";
    for (let i = 0; i < LIMITS.documentsWritten; i++) last = txn.insert("", "rows", { i });
    txn.patch("", last, "rows", { i: -1 });
    expect(() => txn.insert("", "rows", { i: 16_000 })).toThrow("Too many documents written in a single function execution (limit: 16000)");
  });
});

describe("commit timestamps", () => {
  it("db.vars.commitTs placeholders are replaced at commit, nested or not", () => {
    const txn = world(null).begin();
    const id = txn.insert("", "rows", { at: new CommitTsPlaceholder(), nested: { list: [new CommitTsPlaceholder()] } });
    txn.insert("", "rows", { plain: 1 });
    txn.resolvePlaceholders(42n);
    const written = txn.pendingWrites().find((w) => w.id === id)!.doc!;
    expect(written.at).toBe(42n);
    expect(written.nested).toEqual({ list: [42n] });
  });
});
