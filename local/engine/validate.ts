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
export function findMismatch(
  validator: ValidatorJson,
  value: Value | undefined,
  tableNumber: TableNumberLookup,
  path = "",
): Mismatch | null {
  const fail = (message: string): Mismatch => ({ path, message });
  switch (validator.type) {
    case "any":
      return value === undefined ? fail("Value is undefined") : null;
    case "null":
      return value === null ? null : fail("Value does not match validator v.null()");
    case "number":
      return typeof value === "number" ? null : fail("Value does not match validator v.number()");
    case "bigint":
      return typeof value === "bigint" ? null : fail("Value does not match validator v.int64()");
    case "commitTs":
      return typeof value === "bigint" || value instanceof CommitTsPlaceholder
        ? null
        : fail("Value does not match validator v.commitTs()");
    case "boolean":
      return typeof value === "boolean" ? null : fail("Value does not match validator v.boolean()");
    case "string":
      return typeof value === "string" ? null : fail("Value does not match validator v.string()");
    case "bytes":
      return value instanceof ArrayBuffer ? null : fail("Value does not match validator v.bytes()");
    case "literal":
      return value !== undefined && sameJson(value, validator.value)
        ? null
        : fail(`Value does not match validator v.literal(${JSON.stringify(validator.value)})`);
    case "id": {
      if (typeof value !== "string") return fail(`Value does not match validator v.id("${validator.tableName}")`);
      const expected = tableNumber(validator.tableName);
      const actual = tableNumberOfId(value);
      return actual !== null && (expected === undefined || actual === expected)
        ? null
        : fail(`Value does not match validator v.id("${validator.tableName}")`);
    }
    case "array": {
      if (!Array.isArray(value)) return fail("Value does not match validator v.array()");
      for (let i = 0; i < value.length; i++) {
        const inner = findMismatch(validator.value, value[i], tableNumber, `${path}[${i}]`);
        if (inner) return inner;
      }
      return null;
    }
    case "record": {
      if (!isPlainObject(value)) return fail("Value does not match validator v.record()");
      for (const [key, fieldValue] of Object.entries(value)) {
        if (fieldValue === undefined) continue;
        const keyMismatch = findMismatch(validator.keys, key, tableNumber, `${path}.${key}`);
        if (keyMismatch) return { ...keyMismatch, message: `Record key ${JSON.stringify(key)} is not allowed` };
        const inner = findMismatch(validator.values.fieldType, fieldValue, tableNumber, `${path}.${key}`);
        if (inner) return inner;
      }
      return null;
    }
    case "object": {
      if (!isPlainObject(value)) return fail("Value does not match validator v.object()");
      // Own properties only: a field named like an Object.prototype member ("toString") is
      // neither present by inheritance nor allowed as an extra.
      for (const [field, { fieldType, optional }] of Object.entries(validator.value)) {
        const fieldValue = Object.hasOwn(value, field) ? value[field] : undefined;
        if (fieldValue === undefined) {
          if (!optional) return { path: `${path}.${field}`, message: `Object is missing the required field \`${field}\`` };
          continue;
        }
        const inner = findMismatch(fieldType, fieldValue, tableNumber, `${path}.${field}`);
        if (inner) return inner;
      }
      for (const field of Object.keys(value)) {
        if (value[field] !== undefined && !Object.hasOwn(validator.value, field)) {
          return { path: `${path}.${field}`, message: `Object contains extra field \`${field}\` that is not in the validator` };
        }
      }
      return null;
    }
    case "union": {
      for (const member of validator.value) {
        if (findMismatch(member, value, tableNumber, path) === null) return null;
      }
      return fail("Value does not match any member of the union validator");
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
