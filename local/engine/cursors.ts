// Pagination cursors: opaque strings that name a position in one index. A cursor holds the full
// key of the last document a page read (unique, since keys end with `_id`) and the index it
// belongs to, so a cursor from another query is refused instead of silently misreading.
import { convexToJson, type JSONValue, type Value } from "convex/values";

import { valueFromJson, type IndexKey } from "./keys.ts";

/** The cursor after the last document of a range: nothing comes after it. */
export const END_CURSOR = "end";
/** The cursor before the first document of a range: what a page that read nothing continues from. */
export const START_CURSOR = "start";

export type CursorPosition = { kind: "start" } | { kind: "end" } | { kind: "key"; key: IndexKey };

export function encodeCursor(index: string, key: IndexKey): string {
  const json = key.map((value) => (value === undefined ? { $undefined: null } : convexToJson(value as Value)));
  return `k.${Buffer.from(JSON.stringify({ i: index, k: json })).toString("base64url")}`;
}

/** Decodes a cursor for `index`; throws a client-facing error when it is malformed or foreign. */
export function decodeCursor(cursor: string, index: string): CursorPosition {
  if (cursor === END_CURSOR) return { kind: "end" };
  if (cursor === START_CURSOR) return { kind: "start" };
  const invalid = () =>
    new Error("InvalidCursor: Tried to run a query starting from a cursor, but it looks like this cursor is from a different query.");
  if (!cursor.startsWith("k.")) throw invalid();
  let parsed: { i?: unknown; k?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(2), "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== "object" || parsed === null || parsed.i !== index || !Array.isArray(parsed.k)) throw invalid();
  try {
    return { kind: "key", key: (parsed.k as JSONValue[]).map((value) => valueFromJson(value)) };
  } catch {
    throw invalid();
  }
}
