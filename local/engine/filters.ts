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

// Written without per-call closures: filters run on every row a query scans.
function evaluate(doc: Record<string, Value>, expression: FilterExpression): Operand {
  let operator: string | undefined;
  for (const key in expression) {
    operator = key;
    break;
  }
  if (operator === undefined) throw new Error("Unsupported filter operator undefined");
  const operand = expression[operator];
  const children = operand as unknown as FilterExpression[];
  switch (operator) {
    case "$field":
      return fieldValue(doc, operand as string);
    case "$literal":
      return valueFromJson(operand as JSONValue);
    case "$eq":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) === 0;
    case "$neq":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) !== 0;
    case "$lt":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) < 0;
    case "$lte":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) <= 0;
    case "$gt":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) > 0;
    case "$gte":
      return compare(evaluate(doc, children[0]), evaluate(doc, children[1])) >= 0;
    case "$and":
      for (const child of children) if (evaluate(doc, child) !== true) return false;
      return true;
    case "$or":
      for (const child of children) if (evaluate(doc, child) === true) return true;
      return false;
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
      return arithmetic(operator, evaluate(doc, children[0]), evaluate(doc, children[1]));
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
