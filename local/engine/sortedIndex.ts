// One database index: entries kept sorted by key so a range is found by binary search and read in
// order, making an indexed query cost O(log n + rows read) whatever the table size.
import { aboveLower, belowUpper, comparePrefix, type Bound, type IndexKey } from "./keys.ts";

export type IndexEntry = { key: IndexKey; id: string };

export class SortedIndex {
  readonly entries: IndexEntry[] = [];

  /** Adds an entry; keys end with the document id, so they are unique. */
  insert(key: IndexKey): void {
    const position = this.firstPosition((entry) => comparePrefix(entry.key, key) >= 0);
    this.entries.splice(position, 0, { key, id: key[key.length - 1] as string });
  }

  remove(key: IndexKey): void {
    const position = this.firstPosition((entry) => comparePrefix(entry.key, key) >= 0);
    const found = this.entries[position];
    if (found === undefined || comparePrefix(found.key, key) !== 0) {
      throw new Error("index invariant: removing a key that is not in the index");
    }
    this.entries.splice(position, 1);
  }

  /** Position of the first entry at or above `lower` (entries.length if none). */
  startAscending(lower: Bound | null): number {
    return lower === null ? 0 : this.firstPosition((entry) => aboveLower(entry.key, lower));
  }

  /** Position of the last entry at or below `upper` (-1 if none). */
  startDescending(upper: Bound | null): number {
    return upper === null
      ? this.entries.length - 1
      : this.firstPosition((entry) => !belowUpper(entry.key, upper)) - 1;
  }

  /** Binary search for the first entry where a monotonic predicate turns true. */
  private firstPosition(isAtOrPast: (entry: IndexEntry) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isAtOrPast(this.entries[middle])) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
