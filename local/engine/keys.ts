// Index keys and key ranges. An index key is the tuple of a document's indexed field values followed
// by `_creationTime` and `_id`, compared with Convex's total order over values; a range is what a
// `withIndex(...)` expression selects, expressed as prefix bounds on that tuple. The same ranges are
// a query's read set, so "does this write touch that subscription" is a membership test.
import { compareValues, jsonToConvex, type JSONValue, type Value } from "convex/values";

export type Doc = Record<string, Value> & { _id: string; _creationTime: number };
/** A full index key: indexed values then `_creationTime`, `_id`. `undefined` stands for a missing field. */
export type IndexKey = (Value | undefined)[];

/** One side of a range: keys whose first `values.length` entries compare against `values`. */
export type Bound = { values: IndexKey; inclusive: boolean };
export type KeyRange = { lower: Bound | null; upper: Bound | null };

export const FULL_RANGE: KeyRange = { lower: null, upper: null };

/** The implicit index every table has, ordered by creation time. */
export const BY_CREATION_TIME = "by_creation_time";

/** Reads a dotted field path out of a document, as Convex does for indexes and filters. */
export function fieldValue(doc: Record<string, Value | undefined>, fieldPath: string): Value | undefined {
  let current: Value | undefined = doc;
  for (const part of fieldPath.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current) || current instanceof ArrayBuffer) {
      return undefined;
    }
    current = (current as Record<string, Value | undefined>)[part];
  }
  return current;
}

/** The key of `doc` in an index over `fields` (which already end with `_creationTime`, `_id`). */
export function indexKey(doc: Doc, fields: readonly string[]): IndexKey {
  return fields.map((field) => fieldValue(doc, field));
}

/** Compares two keys entry by entry, over the shorter length: the prefix order ranges are built on. */
export function comparePrefix(key: IndexKey, bound: IndexKey): number {
  for (let i = 0; i < bound.length; i++) {
    const cmp = compareValues(key[i] as Value, bound[i] as Value);
    if (cmp !== 0) return cmp;
  }
  return 0;
}

export function aboveLower(key: IndexKey, lower: Bound | null): boolean {
  if (lower === null) return true;
  const cmp = comparePrefix(key, lower.values);
  return lower.inclusive ? cmp >= 0 : cmp > 0;
}

export function belowUpper(key: IndexKey, upper: Bound | null): boolean {
  if (upper === null) return true;
  const cmp = comparePrefix(key, upper.values);
  return upper.inclusive ? cmp <= 0 : cmp < 0;
}

export function inRange(key: IndexKey, range: KeyRange): boolean {
  return aboveLower(key, range.lower) && belowUpper(key, range.upper);
}

/** Decodes a value the `convex` library encoded, where `{ $undefined: null }` stands for undefined. */
export function valueFromJson(json: JSONValue | undefined): Value | undefined {
  if (json === undefined) return undefined;
  if (typeof json === "object" && json !== null && !Array.isArray(json) && "$undefined" in json) return undefined;
  return jsonToConvex(json);
}

/** The `withIndex` range expression as sent by the `convex` library. */
export type RangeExpression = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue | undefined };

/**
 * Turns a `withIndex` expression into bounds, enforcing the shape Convex allows: equalities on a
 * prefix of the index fields, then at most one lower and one upper bound on the next field.
 */
export function rangeFromExpressions(expressions: RangeExpression[], fields: readonly string[]): KeyRange {
  const prefix: IndexKey = [];
  let lower: Bound | null = null;
  let upper: Bound | null = null;
  let boundField: string | null = null;
  for (const expression of expressions) {
    const value = valueFromJson(expression.value);
    if (expression.type === "Eq") {
      if (boundField !== null || fields[prefix.length] !== expression.fieldPath) {
        throw new Error(
          `Incorrect field used in \`withIndex\`: expected "${fields[prefix.length] ?? "(none)"}", got "${expression.fieldPath}"`,
        );
      }
      prefix.push(value);
      continue;
    }
    const field: string | undefined = boundField ?? fields[prefix.length];
    if (field !== expression.fieldPath) {
      throw new Error(`Incorrect field used in \`withIndex\`: expected "${field ?? "(none)"}", got "${expression.fieldPath}"`);
    }
    boundField = field;
    const isLower = expression.type === "Gt" || expression.type === "Gte";
    if ((isLower && lower) || (!isLower && upper)) {
      throw new Error("Incorrect operator used in `withIndex`: a field can have one lower and one upper bound");
    }
    const bound = { values: [...prefix, value], inclusive: expression.type === "Gte" || expression.type === "Lte" };
    if (isLower) lower = bound;
    else upper = bound;
  }
  if (prefix.length > 0) {
    lower ??= { values: prefix, inclusive: true };
    upper ??= { values: prefix, inclusive: true };
  }
  return { lower, upper };
}
