// Evaluates `.filter(q => ...)` expressions, in the JSON form the `convex` library sends, against a
// document. Comparisons use Convex's total order over values, so mixed types compare as on Convex.
import { compareValues, type JSONValue, type Value } from "convex/values";

import { fieldValue, valueFromJson } from "./keys.ts";

export type FilterExpression = { [operator: string]: JSONValue | FilterExpression | FilterExpression[] };

type Operand = Value | undefined;

/**
 * Arithmetic with no value (mixed types, a non-number operand, integer division by zero). Convex
 * rejects it; here it makes the document not match, instead of an `undefined` that would then
 * compare as less than every value.
 */
class InvalidArithmetic extends Error {}

/** Whether `doc` passes the filter expression. */
export function passesFilter(doc: Record<string, Value>, expression: FilterExpression): boolean {
  try {
    return evaluate(doc, expression) === true;
  } catch (error) {
    if (error instanceof InvalidArithmetic) return false;
    throw error;
  }
}

function evaluate(doc: Record<string, Value>, expression: FilterExpression): Operand {
  const [operator, operand] = Object.entries(expression)[0] ?? [];
  const args = () => operand as unknown as FilterExpression[];
  const pair = (): [Operand, Operand] => [evaluate(doc, args()[0]), evaluate(doc, args()[1])];
  switch (operator) {
    case "$field":
      return fieldValue(doc, operand as string);
    case "$literal":
      return valueFromJson(operand as JSONValue);
    case "$eq":
      return compare(...pair()) === 0;
    case "$neq":
      return compare(...pair()) !== 0;
    case "$lt":
      return compare(...pair()) < 0;
    case "$lte":
      return compare(...pair()) <= 0;
    case "$gt":
      return compare(...pair()) > 0;
    case "$gte":
      return compare(...pair()) >= 0;
    case "$and":
      return args().every((child) => evaluate(doc, child) === true);
    case "$or":
      return args().some((child) => evaluate(doc, child) === true);
    case "$not":
      return evaluate(doc, operand as FilterExpression) !== true;
    case "$neg": {
      const value = evaluate(doc, operand as FilterExpression);
      if (typeof value !== "number" && typeof value !== "bigint") throw new InvalidArithmetic();
      return -value;
    }
    case "$add":
    case "$sub":
    case "$mul":
    case "$div":
    case "$mod":
      return arithmetic(operator, ...pair());
    default:
      throw new Error(`Unsupported filter operator ${String(operator)}`);
  }
}

function compare(left: Operand, right: Operand): number {
  return compareValues(left as Value, right as Value);
}

function arithmetic(operator: string, left: Operand, right: Operand): Operand {
  if (typeof left === "number" && typeof right === "number") {
    switch (operator) {
      case "$add":
        return left + right;
      case "$sub":
        return left - right;
      case "$mul":
        return left * right;
      case "$div":
        return left / right;
      default:
        return left % right;
    }
  }
  if (typeof left === "bigint" && typeof right === "bigint") {
    if ((operator === "$div" || operator === "$mod") && right === 0n) throw new InvalidArithmetic();
    switch (operator) {
      case "$add":
        return left + right;
      case "$sub":
        return left - right;
      case "$mul":
        return left * right;
      case "$div":
        return left / right;
      default:
        return left % right;
    }
  }
  throw new InvalidArithmetic();
}
