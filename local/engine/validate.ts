// Checks a Convex value against a validator in its exported JSON form (what `exportArgs()`,
// `exportReturns()` and a schema's `documentType` produce), the way a deployment checks function
// arguments, return values and documents. Returns a readable mismatch or null.
import { CommitTsPlaceholder, convexToJson, type Value } from "convex/values";

import { tableNumberOfId } from "./ids.ts";

/** The JSON shape of a Convex validator. */
export type ValidatorJson =
  | { type: "null" | "number" | "bigint" | "boolean" | "string" | "bytes" | "any" | "commitTs" }
  | { type: "literal"; value: unknown }
  | { type: "id"; tableName: string }
  | { type: "array"; value: ValidatorJson }
  | { type: "record"; keys: ValidatorJson; values: { fieldType: ValidatorJson; optional: boolean } }
  | { type: "object"; value: Record<string, { fieldType: ValidatorJson; optional: boolean }> }
  | { type: "union"; value: ValidatorJson[] };

/** Resolves a table name to its number in the current component, for `v.id` checks. */
export type TableNumberLookup = (tableName: string) => number | undefined;

export type Mismatch = { path: string; message: string };

/** Returns the first place `value` does not match `validator`, or null when it matches. */
export function findMismatch(validator: ValidatorJson, value: Value | undefined, tableNumber: TableNumberLookup): Mismatch | null {
  const path: (string | number)[] = [];
  const message = check(validator, value, tableNumber, path);
  return message === null ? null : { path: formatPath(path), message };
}

function formatPath(path: (string | number)[]): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  return out;
}

/**
 * The mismatch message, or null. `path` is a stack of the segments being checked: on a mismatch it
 * is left pointing at the offending value. This runs on every argument, result and document, so it
 * builds no strings or closures unless something fails.
 */
function check(validator: ValidatorJson, value: Value | undefined, tableNumber: TableNumberLookup, path: (string | number)[]): string | null {
  switch (validator.type) {
    case "any":
      return value === undefined ? "Value is undefined" : null;
    case "null":
      return value === null ? null : "Value does not match validator v.null()";
    case "number":
      return typeof value === "number" ? null : "Value does not match validator v.number()";
    case "bigint":
      return typeof value === "bigint" ? null : "Value does not match validator v.int64()";
    case "commitTs":
      return typeof value === "bigint" || value instanceof CommitTsPlaceholder ? null : "Value does not match validator v.commitTs()";
    case "boolean":
      return typeof value === "boolean" ? null : "Value does not match validator v.boolean()";
    case "string":
      return typeof value === "string" ? null : "Value does not match validator v.string()";
    case "bytes":
      return value instanceof ArrayBuffer ? null : "Value does not match validator v.bytes()";
    case "literal":
      return value !== undefined && sameJson(value, validator.value) ? null : `Value does not match validator v.literal(${JSON.stringify(validator.value)})`;
    case "id": {
      const expected = typeof value === "string" ? tableNumber(validator.tableName) : undefined;
      const actual = typeof value === "string" ? tableNumberOfId(value) : null;
      return actual !== null && (expected === undefined || actual === expected) ? null : `Value does not match validator v.id("${validator.tableName}")`;
    }
    case "array": {
      if (!Array.isArray(value)) return "Value does not match validator v.array()";
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const inner = check(validator.value, value[i], tableNumber, path);
        if (inner !== null) return inner;
        path.pop();
      }
      return null;
    }
    case "record": {
      if (!isPlainObject(value)) return "Value does not match validator v.record()";
      for (const key of Object.keys(value)) {
        const fieldValue = value[key];
        if (fieldValue === undefined) continue;
        path.push(key);
        if (check(validator.keys, key, tableNumber, path) !== null) return `Record key ${JSON.stringify(key)} is not allowed`;
        const inner = check(validator.values.fieldType, fieldValue, tableNumber, path);
        if (inner !== null) return inner;
        path.pop();
      }
      return null;
    }
    case "object": {
      if (!isPlainObject(value)) return "Value does not match validator v.object()";
      // Own properties only: a field named like an Object.prototype member ("toString") is
      // neither present by inheritance nor allowed as an extra.
      const fields = validator.value;
      for (const field in fields) {
        if (!Object.hasOwn(fields, field)) continue;
        const fieldValue = Object.hasOwn(value, field) ? value[field] : undefined;
        if (fieldValue === undefined) {
          if (!fields[field].optional) {
            path.push(field);
            return `Object is missing the required field \`${field}\``;
          }
          continue;
        }
        path.push(field);
        const inner = check(fields[field].fieldType, fieldValue, tableNumber, path);
        if (inner !== null) return inner;
        path.pop();
      }
      for (const field of Object.keys(value)) {
        if (value[field] !== undefined && !Object.hasOwn(fields, field)) {
          path.push(field);
          return `Object contains extra field \`${field}\` that is not in the validator`;
        }
      }
      return null;
    }
    case "union": {
      const depth = path.length;
      for (const member of validator.value) {
        if (check(member, value, tableNumber, path) === null) return null;
        path.length = depth;
      }
      return "Value does not match any member of the union validator";
    }
  }
}

/**
 * Formats a mismatch the way a deployment reports it. The offending value is shown (abbreviated)
 * only when given: for return values it is left out, since a returns validator is often what keeps
 * an internal field from reaching the caller.
 */
export function describeMismatch(kind: string, mismatch: Mismatch, value?: Value): string {
  const shown = value === undefined ? "" : `\nValue: ${abbreviate(JSON.stringify(convexToJson(value)))}`;
  return `${kind}: ${mismatch.message}.\nPath: ${mismatch.path || "(root)"}${shown}`;
}

function abbreviate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, Value | undefined> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (value instanceof ArrayBuffer) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || proto?.constructor?.name === "Object";
}

function sameJson(value: Value, literalJson: unknown): boolean {
  return JSON.stringify(convexToJson(value)) === JSON.stringify(literalJson);
}
