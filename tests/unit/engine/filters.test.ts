// `.filter(q => ...)` expressions in the JSON form the `convex` library sends: every operator, the
// total order across types, missing fields, and arithmetic that cannot be evaluated.
import { convexToJson, type JSONValue, type Value } from "convex/values";
import { describe, expect, it } from "vitest";

import { passesFilter, type FilterExpression } from "../../../local/engine/filters.ts";

type Expr = FilterExpression;
const field = (path: string): Expr => ({ $field: path });
const lit = (value: Value | undefined): Expr => ({ $literal: value === undefined ? ({ $undefined: null } as unknown as JSONValue) : convexToJson(value) });
const bin = (op: string) => (l: Expr, r: Expr): Expr => ({ [op]: [l, r] });
const [eq, neq, lt, lte, gt, gte] = ["$eq", "$neq", "$lt", "$lte", "$gt", "$gte"].map(bin);
const [add, sub, mul, div, mod] = ["$add", "$sub", "$mul", "$div", "$mod"].map(bin);
const and = (...children: Expr[]): Expr => ({ $and: children });
const or = (...children: Expr[]): Expr => ({ $or: children });
const not = (child: Expr): Expr => ({ $not: child });
const neg = (child: Expr): Expr => ({ $neg: child });

const doc: Record<string, Value> = {
  _id: "id1",
  _creationTime: 1000,
  n: 5,
  big: 7n,
  zero: 0n,
  s: "hello",
  flag: true,
  nil: null,
  list: [1, 2],
  nested: { inner: { value: 3 } },
};

const T = lit(true);
const F = lit(false);

describe("comparison operators", () => {
  it.each<[string, Expr, boolean]>([
    ["$eq number", eq(field("n"), lit(5)), true],
    ["$eq number, different", eq(field("n"), lit(6)), false],
    ["$eq 5 vs 5n: different types are never equal", eq(field("n"), lit(5n)), false],
    ["$eq string", eq(field("s"), lit("hello")), true],
    ["$eq array, deep", eq(field("list"), lit([1, 2])), true],
    ["$eq object, deep", eq(field("nested"), lit({ inner: { value: 3 } })), true],
    ["$eq dotted path", eq(field("nested.inner.value"), lit(3)), true],
    ["$neq", neq(field("n"), lit(6)), true],
    ["$neq equal values", neq(field("n"), lit(5)), false],
    ["$lt below", lt(field("n"), lit(6)), true],
    ["$lt equal", lt(field("n"), lit(5)), false],
    ["$lte equal", lte(field("n"), lit(5)), true],
    ["$lte above", lte(field("n"), lit(4)), false],
    ["$gt above", gt(field("n"), lit(4)), true],
    ["$gt equal", gt(field("n"), lit(5)), false],
    ["$gte equal", gte(field("n"), lit(5)), true],
    ["$gte below", gte(field("n"), lit(6)), false],
    ["$lt on strings", lt(field("s"), lit("help")), true],
    ["$gt on bigints", gt(field("big"), lit(6n)), true],
  ])("%s", (_name, expression, expected) => {
    expect(passesFilter(doc, expression)).toBe(expected);
  });
});

describe("mixed types follow Convex's order: undefined < null < bigint < number < boolean < string < bytes < array < object", () => {
  it.each<[string, Expr, boolean]>([
    ["number > bigint", gt(field("n"), lit(1_000_000n)), true],
    ["number < boolean", lt(field("n"), lit(false)), true],
    ["boolean < string", lt(field("flag"), lit("")), true],
    ["string < bytes", lt(field("s"), lit(new ArrayBuffer(0))), true],
    ["string < array", lt(field("s"), lit([])), true],
    ["array < object", lt(field("list"), lit({})), true],
    ["null < bigint", lt(field("nil"), lit(-100n)), true],
    ["null > missing", gt(field("nil"), field("missing")), true],
    ["string > number", gt(field("s"), lit(1e300)), true],
  ])("%s", (_name, expression, expected) => {
    expect(passesFilter(doc, expression)).toBe(expected);
  });
});

describe("missing fields are undefined", () => {
  it.each<[string, Expr, boolean]>([
    ["missing == undefined", eq(field("missing"), lit(undefined)), true],
    ["missing == null is false", eq(field("missing"), lit(null)), false],
    ["null field == undefined is false", eq(field("nil"), lit(undefined)), false],
    ["missing != 2", neq(field("missing"), lit(2)), true],
    ["missing < null: it sorts before everything", lt(field("missing"), lit(null)), true],
    ["missing < any number", lt(field("missing"), lit(-Infinity)), true],
    ["missing > 0 is false", gt(field("missing"), lit(0)), false],
    ["a missing nested path", eq(field("nested.inner.absent"), lit(undefined)), true],
    ["a path through a scalar", eq(field("n.deeper"), lit(undefined)), true],
    ["two missing fields are equal", eq(field("a"), field("b")), true],
  ])("%s", (_name, expression, expected) => {
    expect(passesFilter(doc, expression)).toBe(expected);
  });
});

describe("logical operators", () => {
  const truthTable: [boolean, boolean][] = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];

  it.each(truthTable)("$and(%s, %s)", (a, b) => {
    expect(passesFilter(doc, and(lit(a), lit(b)))).toBe(a && b);
  });

  it.each(truthTable)("$or(%s, %s)", (a, b) => {
    expect(passesFilter(doc, or(lit(a), lit(b)))).toBe(a || b);
  });

  it.each([true, false])("$not(%s)", (a) => {
    expect(passesFilter(doc, not(lit(a)))).toBe(!a);
  });

  it.each<[string, Expr, boolean]>([
    ["$and of nothing is true", and(), true],
    ["$or of nothing is false", or(), false],
    ["$and of three", and(T, T, F), false],
    ["$or of three", or(F, F, T), true],
    ["nested: not(or(n < 3, s == 'hello'))", not(or(lt(field("n"), lit(3)), eq(field("s"), lit("hello")))), false],
    ["nested: and(gte(n, 5), not(eq(flag, false)))", and(gte(field("n"), lit(5)), not(eq(field("flag"), lit(false)))), true],
    ["a field that is true passes on its own", field("flag"), true],
    ["a literal true passes", T, true],
    ["a truthy non-boolean does not pass", lit(1), false],
    ["a missing field does not pass", field("missing"), false],
  ])("%s", (_name, expression, expected) => {
    expect(passesFilter(doc, expression)).toBe(expected);
  });
});

describe("arithmetic", () => {
  it.each<[string, Expr, Value]>([
    ["$add numbers", add(field("n"), lit(2.5)), 7.5],
    ["$sub numbers", sub(field("n"), lit(7)), -2],
    ["$mul numbers", mul(field("n"), lit(3)), 15],
    ["$div numbers", div(field("n"), lit(2)), 2.5],
    ["$mod numbers", mod(field("n"), lit(3)), 2],
    ["$div number by zero is Infinity, as in IEEE 754", div(field("n"), lit(0)), Infinity],
    ["$neg number", neg(field("n")), -5],
    ["$add bigints", add(field("big"), lit(3n)), 10n],
    ["$sub bigints", sub(field("big"), lit(10n)), -3n],
    ["$mul bigints", mul(field("big"), lit(-2n)), -14n],
    ["$div bigints truncates toward zero", div(field("big"), lit(2n)), 3n],
    ["$div negative bigint truncates toward zero", div(neg(field("big")), lit(2n)), -3n],
    ["$mod bigints", mod(field("big"), lit(4n)), 3n],
    ["$mod negative bigint keeps the dividend's sign", mod(neg(field("big")), lit(4n)), -3n],
    ["$neg bigint", neg(field("big")), -7n],
    ["nested: -((3 * 5) + (5 - 11 % 3)) / 3", div(neg(add(mul(lit(3), lit(5)), sub(lit(5), mod(lit(11), lit(3))))), lit(3)), -6],
  ])("%s = %o", (_name, expression, expected) => {
    expect(passesFilter(doc, eq(expression, lit(expected)))).toBe(true);
  });

  it("a NaN result equals NaN in the total order", () => {
    expect(passesFilter(doc, eq(mod(field("n"), lit(0)), lit(NaN)))).toBe(true);
  });

  const comparisons: [string, (l: Expr, r: Expr) => Expr][] = [
    ["$eq", eq],
    ["$neq", neq],
    ["$lt", lt],
    ["$lte", lte],
    ["$gt", gt],
    ["$gte", gte],
  ];
  const invalid: [string, Expr][] = [
    ["bigint $div by zero", div(field("big"), field("zero"))],
    ["bigint $mod by zero", mod(field("big"), lit(0n))],
    ["bigint $add number", add(field("big"), field("n"))],
    ["number $mul bigint", mul(field("n"), lit(2n))],
    ["string $add string", add(field("s"), lit("!"))],
    ["$sub with a missing field", sub(field("missing"), lit(1))],
    ["$neg of a string", neg(field("s"))],
    ["$neg of a missing field", neg(field("missing"))],
  ];
  const cases = invalid.flatMap(([what, expression]) =>
    comparisons.flatMap(([opName, op]) =>
      [lit(undefined), lit(null), lit(0n), lit(-1000n), lit(1000n), lit(0), lit("")].map(
        (other, i) => [`${what}, ${opName} against operand #${i}`, op(expression, other)] as const,
      ),
    ),
  );

  it.each(cases)("%s: no match", (_name, expression) => {
    expect(passesFilter(doc, expression)).toBe(false);
  });

  it.each(invalid)("%s inside $not, $or and the right-hand side: no match", (_name, expression) => {
    expect(passesFilter(doc, not(eq(expression, lit(1n))))).toBe(false);
    expect(passesFilter(doc, or(F, lt(lit(-1000n), expression)))).toBe(false);
    expect(passesFilter(doc, gt(lit(5), expression))).toBe(false);
  });

  it("invalid arithmetic only affects the document it happens on", () => {
    const filter = lt(div(lit(10n), field("d")), lit(100n));
    expect(passesFilter({ d: 0n }, filter)).toBe(false);
    expect(passesFilter({ d: 2n }, filter)).toBe(true);
  });
});

describe("malformed expressions", () => {
  it("an unknown operator throws", () => {
    expect(() => passesFilter(doc, { $regex: [field("s"), lit("h.*")] })).toThrow("Unsupported filter operator $regex");
  });

  it("an empty expression throws", () => {
    expect(() => passesFilter(doc, {})).toThrow("Unsupported filter operator undefined");
  });
});
