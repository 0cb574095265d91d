// Index keys and ranges: what `withIndex` expressions select, how keys compare at the edges of a
// range, Convex's total order over mixed types, and the JSON forms the `convex` library sends.
import { convexToJson, type Value } from "convex/values";
import { describe, expect, it } from "vitest";

import {
  aboveLower,
  belowUpper,
  comparePrefix,
  fieldValue,
  FULL_RANGE,
  indexKey,
  inRange,
  rangeFromExpressions,
  valueFromJson,
  type Bound,
  type Doc,
  type IndexKey,
  type RangeExpression,
} from "../../../local/engine/keys.ts";

const FIELDS = ["a", "b", "_creationTime", "_id"] as const;
const UNDEFINED_JSON = { $undefined: null } as unknown as RangeExpression["value"];

const eq = (fieldPath: string, value: RangeExpression["value"]): RangeExpression => ({ type: "Eq", fieldPath, value });
const gt = (fieldPath: string, value: RangeExpression["value"]): RangeExpression => ({ type: "Gt", fieldPath, value });
const gte = (fieldPath: string, value: RangeExpression["value"]): RangeExpression => ({ type: "Gte", fieldPath, value });
const lt = (fieldPath: string, value: RangeExpression["value"]): RangeExpression => ({ type: "Lt", fieldPath, value });
const lte = (fieldPath: string, value: RangeExpression["value"]): RangeExpression => ({ type: "Lte", fieldPath, value });
const bound = (values: IndexKey, inclusive: boolean): Bound => ({ values, inclusive });

describe("rangeFromExpressions", () => {
  it.each<[string, RangeExpression[], ReturnType<typeof rangeFromExpressions>]>([
    ["no expression: the whole index", [], { lower: null, upper: null }],
    ["eq on the first field", [eq("a", 1)], { lower: bound([1], true), upper: bound([1], true) }],
    ["eq on a prefix of two fields", [eq("a", 1), eq("b", "x")], { lower: bound([1, "x"], true), upper: bound([1, "x"], true) }],
    ["gt", [gt("a", 1)], { lower: bound([1], false), upper: null }],
    ["gte", [gte("a", 1)], { lower: bound([1], true), upper: null }],
    ["lt", [lt("a", 1)], { lower: null, upper: bound([1], false) }],
    ["lte", [lte("a", 1)], { lower: null, upper: bound([1], true) }],
    ["gt and lt on one field", [gt("a", 1), lt("a", 9)], { lower: bound([1], false), upper: bound([9], false) }],
    ["lte before gte on one field", [lte("a", 9), gte("a", 1)], { lower: bound([1], true), upper: bound([9], true) }],
    ["eq then gt and lte", [eq("a", 1), gt("b", 2), lte("b", 5)], { lower: bound([1, 2], false), upper: bound([1, 5], true) }],
    ["eq then a lower bound only: the upper end is the eq prefix", [eq("a", 1), gte("b", 2)], { lower: bound([1, 2], true), upper: bound([1], true) }],
    ["eq then an upper bound only: the lower end is the eq prefix", [eq("a", 1), lt("b", 2)], { lower: bound([1], true), upper: bound([1, 2], false) }],
    ["eq on every field including the system ones", [eq("a", 1), eq("b", 2), eq("_creationTime", 3), eq("_id", "x")], { lower: bound([1, 2, 3, "x"], true), upper: bound([1, 2, 3, "x"], true) }],
    ["eq undefined, in the library's JSON form", [eq("a", UNDEFINED_JSON)], { lower: bound([undefined], true), upper: bound([undefined], true) }],
    ["eq with a bigint, in JSON form", [eq("a", convexToJson(5n))], { lower: bound([5n], true), upper: bound([5n], true) }],
  ])("%s", (_name, expressions, expected) => {
    expect(rangeFromExpressions(expressions, FIELDS)).toEqual(expected);
  });

  it.each<[string, RangeExpression[], string]>([
    ["eq on the second field first", [eq("b", 1)], 'Incorrect field used in `withIndex`: expected "a", got "b"'],
    ["eq skipping a field", [eq("a", 1), eq("_creationTime", 2)], 'Incorrect field used in `withIndex`: expected "b", got "_creationTime"'],
    ["eq on a field not in the index", [eq("c", 1)], 'Incorrect field used in `withIndex`: expected "a", got "c"'],
    ["eq past the last field", [eq("a", 1), eq("b", 2), eq("_creationTime", 3), eq("_id", "x"), eq("c", 4)], 'Incorrect field used in `withIndex`: expected "(none)", got "c"'],
    ["a bound on a later field", [gt("b", 1)], 'Incorrect field used in `withIndex`: expected "a", got "b"'],
    ["a bound on a field other than the next one", [eq("a", 1), gt("_creationTime", 2)], 'Incorrect field used in `withIndex`: expected "b", got "_creationTime"'],
    ["bounds on two different fields", [gt("a", 1), lt("b", 2)], 'Incorrect field used in `withIndex`: expected "a", got "b"'],
    ["eq after a bound", [gt("a", 1), eq("b", 2)], "Incorrect field used in `withIndex`"],
    ["eq on the bounded field after its bound", [gt("a", 1), eq("a", 2)], "Incorrect field used in `withIndex`"],
    ["two lower bounds", [gt("a", 1), gte("a", 2)], "Incorrect operator used in `withIndex`: a field can have one lower and one upper bound"],
    ["two upper bounds", [lt("a", 1), lte("a", 2)], "Incorrect operator used in `withIndex`: a field can have one lower and one upper bound"],
    ["a second lower bound after eq", [eq("a", 1), gt("b", 1), gt("b", 2)], "Incorrect operator used in `withIndex`"],
  ])("refuses %s", (_name, expressions, message) => {
    expect(() => rangeFromExpressions(expressions, FIELDS)).toThrow(message);
  });
});

describe("aboveLower / belowUpper / inRange at the boundaries", () => {
  const key: IndexKey = [5, "m", 100, "id1"];

  it.each<[string, Bound, boolean, boolean]>([
    // bound, aboveLower(key, bound), belowUpper(key, bound)
    ["[5] inclusive: the whole prefix 5 is at the bound", bound([5], true), true, true],
    ["[5] exclusive: gt(5)/lt(5) exclude every key with a = 5", bound([5], false), false, false],
    ["[4] inclusive", bound([4], true), true, false],
    ["[4] exclusive", bound([4], false), true, false],
    ["[6] inclusive", bound([6], true), false, true],
    ["[6] exclusive", bound([6], false), false, true],
    ["[5, 'm'] inclusive", bound([5, "m"], true), true, true],
    ["[5, 'm'] exclusive", bound([5, "m"], false), false, false],
    ["[5, 'a'] exclusive", bound([5, "a"], false), true, false],
    ["[5, 'z'] exclusive", bound([5, "z"], false), false, true],
    ["the full key, inclusive", bound([5, "m", 100, "id1"], true), true, true],
    ["the full key, exclusive (a cursor's own row)", bound([5, "m", 100, "id1"], false), false, false],
    ["a key one creation time later", bound([5, "m", 101], true), false, true],
    ["empty bound values, exclusive: no key is strictly past an empty prefix", bound([], false), false, false],
    ["empty bound values, inclusive: every key is at an empty prefix", bound([], true), true, true],
  ])("%s", (_name, b, above, below) => {
    expect(aboveLower(key, b)).toBe(above);
    expect(belowUpper(key, b)).toBe(below);
  });

  it("a null bound is open", () => {
    expect(aboveLower(key, null)).toBe(true);
    expect(belowUpper(key, null)).toBe(true);
    expect(inRange(key, FULL_RANGE)).toBe(true);
  });

  it.each<[string, IndexKey, boolean]>([
    ["a = 1 (lower inclusive edge)", [1, "x", 1, "i"], true],
    ["a = 3 (upper exclusive edge)", [3, "x", 1, "i"], false],
    ["a = 2", [2, "x", 1, "i"], true],
    ["a = 0", [0, "x", 1, "i"], false],
    ["a missing: undefined sorts first", [undefined, "x", 1, "i"], false],
    ["a = null sorts before numbers", [null, "x", 1, "i"], false],
    ["a = 2n: bigints sort before numbers", [2n, "x", 1, "i"], false],
    ["a = '2': strings sort after numbers", ["2", "x", 1, "i"], false],
    ["a = 2.5", [2.5, "x", 1, "i"], true],
  ])("inRange [1, 3): %s", (_name, k, expected) => {
    expect(inRange(k, { lower: bound([1], true), upper: bound([3], false) })).toBe(expected);
  });

  it.each<[string, IndexKey, boolean]>([
    ["missing field", [undefined, 1, "i"], true],
    ["null", [null, 1, "i"], false],
    ["a number", [0, 1, "i"], false],
  ])("eq(a, undefined) selects exactly the missing field: %s", (_name, k, expected) => {
    const range = rangeFromExpressions([eq("a", UNDEFINED_JSON)], ["a", "_creationTime", "_id"]);
    expect(inRange(k, range)).toBe(expected);
  });
});

describe("Convex's total order over mixed types", () => {
  // undefined < null < bigint < number < boolean < string < bytes < array < object
  const ascending: [string, Value | undefined][] = [
    ["undefined", undefined],
    ["null", null],
    ["-1n", -1n],
    ["5n", 5n],
    ["-Infinity", -Infinity],
    ["-1", -1],
    ["-0", -0],
    ["0", 0],
    ["3.5", 3.5],
    ["NaN", NaN],
    ["false", false],
    ["true", true],
    ['""', ""],
    ['"B"', "B"],
    ['"a"', "a"],
    ['"ab"', "ab"],
    ["empty bytes", new ArrayBuffer(0)],
    ["bytes [1]", new Uint8Array([1]).buffer],
    ["[]", []],
    ["[1]", [1]],
    ["[1, 2]", [1, 2]],
    ["[2]", [2]],
    ["{}", {}],
    ["{a: 1}", { a: 1 }],
  ];
  const pairs = ascending.flatMap(([lowName, low], i) =>
    ascending.slice(i + 1).map(([highName, high]) => [lowName, highName, low, high] as const),
  );

  it.each(pairs)("%s < %s", (_lowName, _highName, low, high) => {
    expect(comparePrefix([low], [high])).toBeLessThan(0);
    expect(comparePrefix([high], [low])).toBeGreaterThan(0);
    expect(aboveLower([high], bound([low], false))).toBe(true);
    expect(belowUpper([low], bound([high], false))).toBe(true);
    expect(aboveLower([low], bound([high], true))).toBe(false);
  });

  it.each(ascending)("%s equals itself", (_name, value) => {
    expect(comparePrefix([value], [value])).toBe(0);
  });

  it("compares only over the bound's length (prefix order)", () => {
    expect(comparePrefix([1, 2, 3], [1])).toBe(0);
    expect(comparePrefix([1, 2, 3], [1, 3])).toBeLessThan(0);
    expect(comparePrefix([1], [1, 2])).toBeLessThan(0);
  });
});

describe("fieldValue and indexKey", () => {
  const doc = {
    _id: "id1",
    _creationTime: 7,
    name: "n",
    nested: { inner: { deep: 1, nothing: null } },
    list: [{ x: 1 }],
    bytes: new Uint8Array([1]).buffer,
    nil: null,
    "dotted.name": "literal key",
  } as unknown as Doc;

  it.each<[string, Value | undefined]>([
    ["name", "n"],
    ["nested.inner.deep", 1],
    ["nested.inner.nothing", null],
    ["nested.inner", { deep: 1, nothing: null }],
    ["nested.missing", undefined],
    ["nested.inner.deep.further", undefined],
    ["missing.deeper", undefined],
    ["list.0", undefined],
    ["list.0.x", undefined],
    ["bytes.byteLength", undefined],
    ["nil.anything", undefined],
    ["dotted.name", undefined],
    ["_id", "id1"],
    ["_creationTime", 7],
  ])("%s -> %o", (path, expected) => {
    expect(fieldValue(doc, path)).toEqual(expected);
  });

  it("indexKey reads each index field, with undefined for missing ones", () => {
    expect(indexKey(doc, ["name", "nested.inner.deep", "absent", "_creationTime", "_id"])).toEqual(["n", 1, undefined, 7, "id1"]);
  });
});

describe("valueFromJson", () => {
  it.each<[string, unknown, Value | undefined]>([
    ["{ $undefined: null } is undefined", { $undefined: null }, undefined],
    ["an absent value is undefined", undefined, undefined],
    ["null", null, null],
    ["a number", 1.5, 1.5],
    ["a string", "s", "s"],
    ["a boolean", false, false],
    ["a bigint in $integer form", convexToJson(-3n), -3n],
    ["an array", [1, "a"], [1, "a"]],
    ["an object with a bigint inside", { n: convexToJson(2n) }, { n: 2n }],
  ])("%s", (_name, json, expected) => {
    expect(valueFromJson(json as Parameters<typeof valueFromJson>[0])).toEqual(expected);
  });

  it("bytes in $bytes form become an ArrayBuffer", () => {
    const value = valueFromJson({ $bytes: "AQI=" });
    expect(value).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(value as ArrayBuffer)]).toEqual([1, 2]);
  });
});
