// One sorted index: inserts and removals keep entries in key order, and range starts are found by
// binary search at the right position for inclusive and exclusive bounds, ascending and descending.
import { describe, expect, it } from "vitest";

import type { Bound, IndexKey } from "../../../local/engine/keys.ts";
import { SortedIndex } from "../../../local/engine/sortedIndex.ts";

/** Key of an index over `score`: [score, _creationTime, _id]. */
const key = (score: number | undefined, n: number): IndexKey => [score, n, `id${String(n).padStart(3, "0")}`];

/** A deterministic permutation, so insertion order differs from key order. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Scores 10, 20, 20, 20, 30, 40 plus one document with no score (sorts first). */
function sample(): SortedIndex {
  const index = new SortedIndex();
  const keys = [key(undefined, 0), key(10, 1), key(20, 2), key(20, 3), key(20, 4), key(30, 5), key(40, 6)];
  for (const k of shuffled(keys)) index.insert(k);
  return index;
}

const ids = (index: SortedIndex) => index.entries.map((entry) => entry.id);
const b = (values: IndexKey, inclusive: boolean): Bound => ({ values, inclusive });

describe("SortedIndex insert / remove", () => {
  it("keeps entries in key order whatever the insertion order, and records each entry's id", () => {
    expect(ids(sample())).toEqual(["id000", "id001", "id002", "id003", "id004", "id005", "id006"]);
  });

  it("orders equal field values by creation time, then id", () => {
    const index = new SortedIndex();
    index.insert(["x", 2, "b"]);
    index.insert(["x", 1, "z"]);
    index.insert(["x", 2, "a"]);
    expect(index.entries.map((entry) => entry.key)).toEqual([
      ["x", 1, "z"],
      ["x", 2, "a"],
      ["x", 2, "b"],
    ]);
  });

  it("sorts a large shuffled insert sequence", () => {
    const index = new SortedIndex();
    const keys = Array.from({ length: 500 }, (_, n) => key(n % 7, n));
    for (const k of shuffled(keys)) index.insert(k);
    const sorted = [...keys].sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number));
    expect(index.entries.map((entry) => entry.key)).toEqual(sorted);
  });

  it("removes exactly the given key and keeps the rest in order", () => {
    const index = sample();
    index.remove(key(20, 3));
    index.remove(key(undefined, 0));
    index.remove(key(40, 6));
    expect(ids(index)).toEqual(["id001", "id002", "id004", "id005"]);
  });

  it.each<[string, IndexKey]>([
    ["a key never inserted", key(25, 9)],
    ["a key with an existing score but another id", [20, 3, "id999"]],
    ["a key with an existing id but another score", key(21, 3)],
    ["a key past the end", key(99, 99)],
  ])("removing %s throws the invariant error", (_name, k) => {
    const index = sample();
    expect(() => index.remove(k)).toThrow("index invariant: removing a key that is not in the index");
    expect(index.entries).toHaveLength(7);
  });

  it("removing from an empty index throws", () => {
    expect(() => new SortedIndex().remove(key(1, 1))).toThrow("index invariant");
  });

  it("removing the same key twice throws the second time", () => {
    const index = sample();
    index.remove(key(30, 5));
    expect(() => index.remove(key(30, 5))).toThrow("index invariant");
  });
});

describe("SortedIndex range starts", () => {
  // Positions: 0 undefined, 1 10, 2 20, 3 20, 4 20, 5 30, 6 40.
  it.each<[string, Bound | null, number]>([
    ["no bound: the first entry", null, 0],
    ["gte 20", b([20], true), 2],
    ["gt 20", b([20], false), 5],
    ["gte 25 (between values)", b([25], true), 5],
    ["gt 40 (past the end)", b([40], false), 7],
    ["gte 0 (before the numbers, after undefined)", b([0], true), 1],
    ["gte null: after the missing field", b([null], true), 1],
    ["gt of a full key (a cursor): the next entry", b([20, 3, "id003"], false), 4],
    ["gte of a full key: that entry", b([20, 3, "id003"], true), 3],
  ])("startAscending %s -> %i", (_name, lower, position) => {
    expect(sample().startAscending(lower)).toBe(position);
  });

  it.each<[string, Bound | null, number]>([
    ["no bound: the last entry", null, 6],
    ["lte 20", b([20], true), 4],
    ["lt 20", b([20], false), 1],
    ["lte 25 (between values)", b([25], true), 4],
    ["lt 10: only the missing field", b([10], false), 0],
    ["lt undefined: before the start", b([undefined], false), -1],
    ["lte 99", b([99], true), 6],
    ["lt of a full key (a cursor): the previous entry", b([20, 3, "id003"], false), 2],
    ["lte of a full key: that entry", b([20, 3, "id003"], true), 3],
  ])("startDescending %s -> %i", (_name, upper, position) => {
    expect(sample().startDescending(upper)).toBe(position);
  });

  it("an empty index starts past the end ascending and before the start descending", () => {
    const index = new SortedIndex();
    expect(index.startAscending(null)).toBe(0);
    expect(index.startAscending(b([1], true))).toBe(0);
    expect(index.startDescending(null)).toBe(-1);
    expect(index.startDescending(b([1], true))).toBe(-1);
  });
});
