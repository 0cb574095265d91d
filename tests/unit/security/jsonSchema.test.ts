// Skill input validation (convex/security/jsonSchema.ts): what a skill schema may contain when an
// owner saves it, what inputs pass and what owner-readable errors the rest get, that errors never
// copy a secret from the input, the input size check and the compiled-schema cache. Secret-like
// inputs are assembled at run time (tests/unit/repo/secrets.test.ts scans this file).
import { describe, expect, it } from "vitest";

import {
  checkSchemaDocument,
  compileSchema,
  inputSizeOk,
  MAX_ERROR_CHARS,
  MAX_INPUT_ERRORS,
  patternProblem,
  SCHEMA_CACHE_SIZE,
  SCHEMA_MAX_CHARS,
  schemaCacheSize,
  validateInput,
  type CheckedSchema,
} from "../../../convex/security/jsonSchema.ts";

type Json = Record<string, unknown>;

/** An input schema: an object with these properties (and optional extra keywords). */
function objectSchema(properties: Json, extra: Json = {}): string {
  return JSON.stringify({ type: "object", properties, ...extra });
}

function checked(text: string): CheckedSchema {
  const result = checkSchemaDocument(text);
  if (!result.ok) throw new Error(`schema refused: ${result.reason}`);
  return result.schema;
}

function errorsOf(schema: string, input: unknown): string[] {
  const result = validateInput(checked(schema), input);
  return result.ok ? [] : result.errors;
}

/** Token-like filler assembled at run time, as a model might echo a key into an input. */
function secretLike(length: number): string {
  const alphabet = "aZ3kQ9xL2mP7vR4tY8wB6nC1dF5gH0j";
  return ["s", "k-", Array.from({ length }, (_, i) => alphabet[(i * 11 + 5) % alphabet.length]).join("")].join("");
}

describe("validateInput: one row per keyword", () => {
  const cases: ReadonlyArray<readonly [string, Json, Json, unknown, string[]]> = [
    ["string type", { name: { type: "string" } }, {}, { name: "Oslo" }, []],
    ["wrong type", { name: { type: "string" } }, {}, { name: 5 }, ["input.name: must be a string, not an integer"]],
    ["integer rejects a fraction", { days: { type: "integer" } }, {}, { days: 1.5 }, ["input.days: must be an integer, not a number"]],
    ["type list", { id: { type: ["string", "integer"] } }, {}, { id: true }, ["input.id: must be a string or integer, not a boolean"]],
    ["null type", { note: { type: "null" } }, {}, { note: null }, []],
    ["required present", { a: { type: "string" } }, { required: ["a"] }, { a: "x" }, []],
    ["required missing", { a: { type: "string" }, b: { type: "string" } }, { required: ["a", "b"] }, {}, ['input: missing required property "a"', 'input: missing required property "b"']],
    ["enum match", { unit: { enum: ["c", "f"] } }, {}, { unit: "c" }, []],
    ["enum miss", { unit: { enum: ["c", "f"] } }, {}, { unit: "k" }, ['input.unit: must be one of "c", "f"']],
    ["const", { v: { const: 2 } }, {}, { v: 3 }, ["input.v: must be 2"]],
    ["minimum", { n: { type: "number", minimum: 1 } }, {}, { n: 0 }, ["input.n: must be at least 1"]],
    ["maximum", { n: { type: "number", maximum: 7 } }, {}, { n: 8 }, ["input.n: must be at most 7"]],
    ["exclusiveMinimum", { n: { type: "number", exclusiveMinimum: 0 } }, {}, { n: 0 }, ["input.n: must be greater than 0"]],
    ["exclusiveMaximum", { n: { type: "number", exclusiveMaximum: 10 } }, {}, { n: 10 }, ["input.n: must be less than 10"]],
    ["multipleOf", { n: { type: "number", multipleOf: 5 } }, {}, { n: 12 }, ["input.n: must be a multiple of 5"]],
    ["minLength", { s: { type: "string", minLength: 2 } }, {}, { s: "a" }, ["input.s: must be at least 2 characters long"]],
    ["maxLength", { s: { type: "string", maxLength: 3 } }, {}, { s: "abcd" }, ["input.s: must be at most 3 characters long"]],
    ["pattern match", { s: { type: "string", pattern: "^[A-Z]{3}$" } }, {}, { s: "OSL" }, []],
    ["pattern miss", { s: { type: "string", pattern: "^[A-Z]{3}$" } }, {}, { s: "oslo" }, ["input.s: must match the pattern ^[A-Z]{3}$"]],
    ["format", { e: { type: "string", format: "email" } }, {}, { e: "not-an-address" }, ["input.e: must be a valid email"]],
    ["additionalProperties false", { a: { type: "string" } }, { additionalProperties: false }, { a: "x", extra: 1 }, ["input.extra: is not allowed here"]],
    ["additionalProperties schema", {}, { additionalProperties: { type: "number" } }, { x: "1" }, ["input.x: must be a number, not a string"]],
    ["nested object", { where: { type: "object", properties: { lat: { type: "number", minimum: -90 } }, required: ["lat"] } }, {}, { where: { lat: -91 } }, ["input.where.lat: must be at least -90"]],
    ["nested required", { where: { type: "object", required: ["lat"] } }, {}, { where: {} }, ['input.where: missing required property "lat"']],
    ["array items", { tags: { type: "array", items: { type: "string" } } }, {}, { tags: ["a", 2] }, ["input.tags[1]: must be a string, not an integer"]],
    ["minItems", { tags: { type: "array", minItems: 1 } }, {}, { tags: [] }, ["input.tags: must have at least 1 items"]],
    ["maxItems", { tags: { type: "array", maxItems: 1 } }, {}, { tags: [1, 2] }, ["input.tags: must have at most 1 items"]],
    ["uniqueItems", { tags: { type: "array", uniqueItems: true } }, {}, { tags: [1, 1] }, ["input.tags: must not contain duplicate items"]],
    ["array of objects", { rows: { type: "array", items: { type: "object", properties: { q: { type: "integer" } } } } }, {}, { rows: [{ q: 1 }, { q: "2" }] }, ["input.rows[1].q: must be an integer, not a string"]],
    ["anyOf", { v: { anyOf: [{ type: "string" }, { type: "integer" }] } }, {}, { v: true }, ["input.v: must match at least one of the allowed shapes"]],
    ["oneOf", { v: { oneOf: [{ type: "number" }, { type: "integer" }] } }, {}, { v: 1 }, ["input.v: must match exactly one of the allowed shapes"]],
    ["not", { v: { not: { type: "string" } } }, {}, { v: "x" }, ["input.v: must not match the excluded shape"]],
    ["maxProperties", {}, { maxProperties: 1 }, { a: 1, b: 2 }, ["input: must have at most 1 properties"]],
    ["dependentRequired", { card: { type: "string" } }, { dependentRequired: { card: ["cvc"] } }, { card: "x" }, ['input: "cvc" is required when "card" is present']],
    ["$ref to $defs", { where: { $ref: "#/$defs/point" } }, { $defs: { point: { type: "object", properties: { lat: { type: "number", maximum: 90 } } } } }, { where: { lat: 91 } }, ["input.where.lat: must be at most 90"]],
  ];

  it.each(cases)("%s", (_name, properties, extra, input, expected) => {
    expect(errorsOf(objectSchema(properties, extra), input)).toEqual(expected);
  });

  it("refuses an input that is not an object", () => {
    expect(errorsOf(objectSchema({}), "text")).toEqual(["input: must be an object, not a string"]);
    expect(errorsOf(objectSchema({}), [1])).toEqual(["input: must be an object, not an array"]);
  });

  it("accepts a recursive schema that descends into the input", () => {
    const tree = objectSchema({ name: { type: "string" }, children: { type: "array", items: { $ref: "#" } } });
    expect(validateInput(checked(tree), { name: "a", children: [{ name: "b", children: [] }] })).toEqual({ ok: true });
    expect(errorsOf(tree, { children: [{ children: [{ name: 3 }] }] })).toEqual(["input.children[0].children[0].name: must be a string, not an integer"]);
  });

  it("validates under the declared dialect (draft-04 exclusive bounds are booleans)", () => {
    const draft4 = objectSchema({ n: { type: "number", maximum: 5, exclusiveMaximum: true } }, { $schema: "http://json-schema.org/draft-04/schema#" });
    expect(errorsOf(draft4, { n: 5 })).toEqual(["input.n: must be less than 5"]);
    expect(errorsOf(draft4, { n: 4 })).toEqual([]);
  });

  it("reports at most MAX_INPUT_ERRORS errors", () => {
    const properties = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, { type: "string" }]));
    const input = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, i]));
    expect(errorsOf(objectSchema(properties), input)).toHaveLength(MAX_INPUT_ERRORS);
  });

  it("answers with one error for values JSON cannot hold", () => {
    expect(validateInput(checked(objectSchema({ a: { type: "string" } })), { a: undefined })).toEqual({ ok: false, errors: ["input: must be plain JSON data"] });
  });
});

describe("validateInput: errors never copy input values", () => {
  const secret = secretLike(48);
  const schema = objectSchema(
    {
      count: { type: "integer", maximum: 10 },
      city: { type: "string", maxLength: 20, pattern: "^[A-Za-z ]+$" },
      unit: { enum: ["c", "f"] },
      at: { type: "string", format: "date-time" },
    },
    { additionalProperties: false },
  );

  it.each([
    ["a secret where a number belongs", { count: secret }],
    ["a secret too long for its field", { city: secret }],
    ["a secret outside an enum", { unit: secret }],
    ["a secret that is not a date", { at: secret }],
    ["a secret as an extra property's value", { [`note`]: secret }],
    ["a secret as an extra property's name", { [secret]: 1 }],
    ["a long plain extra property name", { ["x".repeat(200)]: 1 }],
  ])("%s", (_name, input) => {
    const errors = errorsOf(schema, input);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(MAX_INPUT_ERRORS);
    for (const error of errors) {
      expect(error.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
      for (let i = 0; i + 8 <= secret.length; i++) expect(error).not.toContain(secret.slice(i, i + 8));
      expect(error).not.toContain("x".repeat(40));
    }
  });

  it("shows a short plain extra property name, so the owner can see which one", () => {
    expect(errorsOf(schema, { colour: "red" })).toEqual(["input.colour: is not allowed here"]);
  });
});

describe("checkSchemaDocument: what an owner may save", () => {
  const deep = (levels: number) => {
    let schema: Json = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { child: schema } };
    return JSON.stringify(schema);
  };
  const fanout = () => {
    const defs: Json = { leaf: { type: "string" } };
    for (let i = 0; i < 12; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
    defs.d12 = { $ref: "#/$defs/leaf" };
    return objectSchema({ x: { $ref: "#/$defs/d0" } }, { $defs: defs });
  };

  const refused: ReadonlyArray<readonly [string, string, string]> = [
    ["not JSON", "{type: object}", "not valid JSON"],
    ["a JSON array", "[]", "must be a JSON object"],
    ["no type", "{}", 'type "object"'],
    ["not an object type", JSON.stringify({ type: "array" }), 'type "object"'],
    ["a type list at the top", JSON.stringify({ type: ["object", "null"] }), 'type "object"'],
    ["too long", objectSchema({ a: { description: "d".repeat(SCHEMA_MAX_CHARS) } }), "longer than"],
    ["too deep", deep(8), "nested more than"],
    ["a remote $ref", objectSchema({ a: { $ref: "https://example.com/schema.json" } }), "inside this document"],
    ["a relative file $ref", objectSchema({ a: { $ref: "other.json#/a" } }), "inside this document"],
    ["an anchor $ref", objectSchema({ a: { $ref: "#point" } }), "inside this document"],
    ["a $ref that resolves nowhere", objectSchema({ a: { $ref: "#/$defs/missing" } }), "does not point to a schema"],
    ["a $ref into a non-schema", objectSchema({ a: { enum: [1] }, b: { $ref: "#/properties/a/enum/0" } }), "does not point to a schema"],
    ["a $ref at the top", JSON.stringify({ type: "object", $ref: "#/$defs/a", $defs: { a: {} } }), "not allowed at the top"],
    ["a $ref cycle", objectSchema({ a: { $ref: "#/$defs/a" } }, { $defs: { a: { $ref: "#/$defs/b" }, b: { allOf: [{ $ref: "#/$defs/a" }] } } }), "cycle"],
    ["exponential fan-out", fanout(), "too many subschemas"],
    ["$id", objectSchema({}, { $id: "https://example.com/s" }), "$id is not supported"],
    ["$dynamicRef", objectSchema({ a: { $dynamicRef: "#meta" } }), "not supported"],
    ["an unknown dialect", objectSchema({}, { $schema: "https://example.com/my-dialect" }), "unknown dialect"],
    ["draft-06", objectSchema({}, { $schema: "http://json-schema.org/draft-06/schema#" }), "unknown dialect"],
    ["$schema below the top", objectSchema({ a: { $schema: "https://json-schema.org/draft/2020-12/schema" } }), "only allowed at the top"],
    ["a typo in a keyword", objectSchema({}, { requried: ["a"] }), 'unknown keyword "requried"'],
    ["a bad type name", objectSchema({ a: { type: "text" } }), "must be one of"],
    ["a negative maxLength", objectSchema({ a: { type: "string", maxLength: -1 } }), "non-negative integer"],
    ["an empty enum", objectSchema({ a: { enum: [] } }), "non-empty array"],
    ["required with duplicates", objectSchema({}, { required: ["a", "a"] }), "distinct strings"],
    ["a pattern that does not compile", objectSchema({ a: { type: "string", pattern: "([a-z" } }), "not a valid regular expression"],
    ["a nested-quantifier pattern", objectSchema({ a: { type: "string", pattern: "^(a+)+$" } }), "exponential"],
    ["a bad patternProperties key", objectSchema({}, { patternProperties: { "(x*)*": { type: "string" } } }), "exponential"],
    ["the url format (slow regex)", objectSchema({ a: { type: "string", format: "url" } }), 'use "uri"'],
    ["an unknown format", objectSchema({ a: { type: "string", format: "credit-card" } }), "format must be one of"],
    ["items as a list in 2020-12", objectSchema({ a: { type: "array", items: [{ type: "string" }] } }), "prefixItems"],
    ["a draft-04 numeric exclusiveMaximum", objectSchema({ n: { exclusiveMaximum: 5 } }, { $schema: "http://json-schema.org/draft-04/schema#" }), "boolean in draft-04"],
  ];

  it.each(refused)("refuses %s", (_name, text, reason) => {
    const result = checkSchemaDocument(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("says where the problem is", () => {
    const result = checkSchemaDocument(objectSchema({ city: { type: "string", maxLenght: 3 } }));
    expect(result).toEqual({ ok: false, reason: '/properties/city: unknown keyword "maxLenght"' });
  });

  it.each([
    ["a minimal object schema", JSON.stringify({ type: "object" })],
    ["the 2020-12 dialect named", objectSchema({}, { $schema: "https://json-schema.org/draft/2020-12/schema" })],
    ["draft-07 with tuple items", objectSchema({ p: { type: "array", items: [{ type: "number" }, { type: "number" }] } }, { $schema: "http://json-schema.org/draft-07/schema#" })],
    ["annotations", objectSchema({ q: { type: "string", title: "Query", description: "What to search", default: "", examples: ["cats"] } })],
    ["a property called id, $ref or type", objectSchema({ id: { type: "string" }, $ref: { type: "string" }, type: { type: "string" } })],
    ["local refs to $defs and definitions", objectSchema({ a: { $ref: "#/$defs/x" }, b: { $ref: "#/definitions/y" } }, { $defs: { x: { type: "string" } }, definitions: { y: { type: "number" } } })],
    ["a fixed count inside a repeated group", objectSchema({ phone: { type: "string", pattern: "^(\\d{3}-){2}\\d{4}$" } })],
    ["the deepest nesting allowed", deep(7)],
  ])("accepts %s", (_name, text) => {
    const result = checkSchemaDocument(text);
    expect(result.ok ? "ok" : result.reason).toBe("ok");
  });

  it("returns a frozen schema that remembers its text and dialect", () => {
    const text = objectSchema({ a: { type: "string" } });
    const schema = checked(text);
    expect(schema.text).toBe(text);
    expect(schema.draft).toBe("2020-12");
    expect(Object.isFrozen(schema.document)).toBe(true);
    expect(Object.isFrozen((schema.document.properties as Json).a)).toBe(true);
  });
});

describe("patternProblem: regular expressions run against model input", () => {
  it.each(["(a+)+$", "(a|a)*$", "(a*)*b", "^(\\w+\\s?)+$", "(.*a){12}", "((ab)*c)+", "(?:x+y?)+", "(a|b)+"])("refuses %s", (pattern) => {
    expect(patternProblem(pattern)).toContain("exponential");
  });

  it.each(["^[a-z]+$", "^\\d{3}-\\d{4}$", "^(\\d{3}-){2}\\d{4}$", "^(https?://)?[a-z.]+$", "^(?<year>\\d{4})-(?<month>\\d{2})$", "^\\p{L}+$", "[(+*]+", "^(ab){3}$"])(
    "accepts %s",
    (pattern) => {
      expect(patternProblem(pattern)).toBeNull();
    },
  );

  it("refuses backreferences and overlong patterns", () => {
    expect(patternProblem("(a)\\1")).toContain("backreferences");
    expect(patternProblem("(?<x>a)\\k<x>")).toContain("backreferences");
    expect(patternProblem("a".repeat(300))).toContain("limited to");
  });
});

describe("inputSizeOk", () => {
  it.each([
    ["JSON text within the limit", '{"a":1}', 7, true],
    ["JSON text over the limit", '{"a":12}', 7, false],
    ["a value serialised within the limit", { a: 1 }, 7, true],
    ["a value serialised over the limit", { a: "x".repeat(10) }, 10, false],
    ["undefined (not JSON)", undefined, 100, false],
    ["a bigint (not JSON)", { n: 1n }, 100, false],
  ] as const)("%s", (_name, input, max, ok) => {
    expect(inputSizeOk(input, max)).toBe(ok);
  });

  it("refuses a value with a cycle", () => {
    const cyclic: Json = {};
    cyclic.self = cyclic;
    expect(inputSizeOk(cyclic, 1000)).toBe(false);
  });
});

describe("compileSchema: the per-call path", () => {
  it("returns the same compiled schema for the same text", () => {
    const text = objectSchema({ cached: { type: "boolean" } });
    const first = compileSchema(text);
    expect(first.ok).toBe(true);
    expect(compileSchema(text)).toBe(first);
  });

  it("keeps the cache bounded", () => {
    for (let i = 0; i < SCHEMA_CACHE_SIZE + 40; i++) compileSchema(objectSchema({ [`p${i}`]: { type: "string" } }));
    expect(schemaCacheSize()).toBeLessThanOrEqual(SCHEMA_CACHE_SIZE);
  });

  it("lets validateInput take schema text directly", () => {
    const text = objectSchema({ n: { type: "integer" } }, { required: ["n"] });
    expect(validateInput(text, { n: 1 })).toEqual({ ok: true });
    expect(validateInput(text, {})).toEqual({ ok: false, errors: ['input: missing required property "n"'] });
  });

  it("reports a stored schema that no longer passes the check as one error", () => {
    const result = validateInput(JSON.stringify({ type: "object", properties: { u: { format: "url" } } }), {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^the skill's input schema is invalid: /);
    }
  });
});
