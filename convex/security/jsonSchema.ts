// Skill input validation against the skill's JSON Schema. A skill's input comes from the model (or
// an MCP client), so it is untrusted and is checked on every call before the skill runs; the schema
// comes from the owner and is checked once, strictly, when the skill is saved (checkSchemaDocument)
// and again, from a bounded cache, on every call (compileSchema). Validation uses
// @cfworker/json-schema, which interprets schemas directly (no eval, no new Function), so it runs in
// Convex's default runtime. Pure: no ctx, no Node imports.
//
// The strict save-time rules exist because the owner's schema is executed against hostile input:
// no remote or dynamic references (a schema is self-contained), no reference cycles or exponential
// fan-out, no regular expressions prone to catastrophic backtracking, no format whose check is slow
// or missing, and no unknown keywords (a typo such as "requried" would silently check nothing).
import { dereference, validate, type OutputUnit, type Schema, type SchemaDraft } from "@cfworker/json-schema";

import { LIMITS } from "../lib/validators";
import { scrubText } from "./redact";

/** Longest schema text accepted (the stored document's limit). */
export const SCHEMA_MAX_CHARS = LIMITS.jsonDocChars;
/** Deepest nesting of objects and arrays in a schema document: inputs nested seven objects deep. */
export const SCHEMA_MAX_DEPTH = 16;
/** Longest `pattern` (or patternProperties key) accepted. */
export const SCHEMA_MAX_PATTERN_CHARS = 256;
/**
 * Most subschemas that may apply to one input value through allOf/anyOf/oneOf/not/if/$ref
 * combined. Without this bound, a few chained `anyOf: [ref, ref]` definitions validate in 2^n steps.
 */
export const SCHEMA_MAX_FANOUT = 256;
/** At most this many errors are reported for one input. */
export const MAX_INPUT_ERRORS = 5;
/** Each reported error is cut to this many characters. */
export const MAX_ERROR_CHARS = 160;
/** Compiled schemas kept, by schema text. */
export const SCHEMA_CACHE_SIZE = 128;

/** A schema that passed checkSchemaDocument: frozen, with the dialect it is validated under. */
export type CheckedSchema = {
  /** The schema text it was parsed from (the cache key). */
  readonly text: string;
  readonly draft: SchemaDraft;
  readonly document: Readonly<Schema>;
};

/** Outcome of checking a schema document: the checked schema, or one owner-readable reason. */
export type SchemaCheck = { ok: true; schema: CheckedSchema } | { ok: false; reason: string };

/** Outcome of validating one input: at most MAX_INPUT_ERRORS short errors that never quote input values. */
export type InputValidation = { ok: true } | { ok: false; errors: string[] };

/** The `$schema` URIs accepted, without a trailing `#`, as http or https; absent means 2020-12. */
const DIALECTS: ReadonlyMap<string, SchemaDraft> = new Map([
  ["json-schema.org/draft-04/schema", "4"],
  ["json-schema.org/draft-07/schema", "7"],
  ["json-schema.org/draft/2019-09/schema", "2019-09"],
  ["json-schema.org/draft/2020-12/schema", "2020-12"],
]);
/** MCP and current model providers speak 2020-12. */
const DEFAULT_DRAFT: SchemaDraft = "2020-12";

/** How a keyword's value is checked. */
type KeywordRule =
  | "schema"
  | "schemaOrSchemaArray"
  | "schemaArray"
  | "schemaMap"
  | "patternSchemaMap"
  | "count"
  | "number"
  | "positiveNumber"
  | "exclusiveBound"
  | "boolean"
  | "string"
  | "stringArray"
  | "stringArrayMap"
  | "dependencies"
  | "type"
  | "enum"
  | "array"
  | "any"
  | "pattern"
  | "format"
  | "ref";

/** Every keyword a skill schema may use. Anything else is refused (typos would check nothing). */
const KEYWORDS: ReadonlyMap<string, KeywordRule> = new Map<string, KeywordRule>([
  ["$comment", "string"],
  ["title", "string"],
  ["description", "string"],
  ["default", "any"],
  ["examples", "array"],
  ["deprecated", "boolean"],
  ["readOnly", "boolean"],
  ["writeOnly", "boolean"],
  ["contentMediaType", "string"],
  ["contentEncoding", "string"],
  ["$defs", "schemaMap"],
  ["definitions", "schemaMap"],
  ["$ref", "ref"],
  ["type", "type"],
  ["enum", "enum"],
  ["const", "any"],
  ["multipleOf", "positiveNumber"],
  ["maximum", "number"],
  ["minimum", "number"],
  ["exclusiveMaximum", "exclusiveBound"],
  ["exclusiveMinimum", "exclusiveBound"],
  ["maxLength", "count"],
  ["minLength", "count"],
  ["pattern", "pattern"],
  ["format", "format"],
  ["items", "schemaOrSchemaArray"],
  ["prefixItems", "schemaArray"],
  ["additionalItems", "schema"],
  ["unevaluatedItems", "schema"],
  ["contains", "schema"],
  ["minContains", "count"],
  ["maxContains", "count"],
  ["maxItems", "count"],
  ["minItems", "count"],
  ["uniqueItems", "boolean"],
  ["properties", "schemaMap"],
  ["patternProperties", "patternSchemaMap"],
  ["additionalProperties", "schema"],
  ["unevaluatedProperties", "schema"],
  ["propertyNames", "schema"],
  ["required", "stringArray"],
  ["maxProperties", "count"],
  ["minProperties", "count"],
  ["dependentRequired", "stringArrayMap"],
  ["dependentSchemas", "schemaMap"],
  ["dependencies", "dependencies"],
  ["allOf", "schemaArray"],
  ["anyOf", "schemaArray"],
  ["oneOf", "schemaArray"],
  ["not", "schema"],
  ["if", "schema"],
  ["then", "schema"],
  ["else", "schema"],
]);

/** Keywords refused with a reason: they name or reach other documents, or re-bind references. */
const UNSUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  "$id",
  "id",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$recursiveRef",
  "$recursiveAnchor",
  "$vocabulary",
]);

/** Formats @cfworker/json-schema checks. "url" is left out: its regex backtracks exponentially. */
const FORMATS: ReadonlySet<string> = new Set([
  "date",
  "time",
  "date-time",
  "duration",
  "uri",
  "uri-reference",
  "uri-template",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "regex",
  "uuid",
  "json-pointer",
  "json-pointer-uri-fragment",
  "relative-json-pointer",
]);

const TYPE_NAMES: ReadonlySet<string> = new Set(["array", "boolean", "integer", "null", "number", "object", "string"]);

/** A problem found while checking a schema, with where it is. */
class SchemaProblem extends Error {
  constructor(pointer: string, problem: string) {
    super(`${pointer === "" ? "top level" : pointer}: ${problem}`);
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Deepest object/array nesting of a parsed JSON value, stopping once past `limit`. */
function jsonDepth(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, jsonDepth(child, limit - 1));
    if (deepest > limit) break;
  }
  return deepest + 1;
}

/**
 * Checks a schema an owner is saving: JSON text of at most SCHEMA_MAX_CHARS characters, nested at
 * most SCHEMA_MAX_DEPTH deep, whose top level is `type: "object"`, in a known dialect (`$schema`
 * draft-04, draft-07, 2019-09 or 2020-12; absent means 2020-12), using only known keywords with
 * well-formed values, with `$ref` only to `#` or `#/...` inside the document and no reference
 * cycle, patterns that compile and cannot backtrack catastrophically, and only formats the
 * validator checks. Returns the frozen schema, or the first problem found, with its location.
 */
export function checkSchemaDocument(schemaJson: string): SchemaCheck {
  try {
    return { ok: true, schema: buildCheckedSchema(schemaJson) };
  } catch (error) {
    return { ok: false, reason: error instanceof SchemaProblem ? error.message : "the schema could not be checked" };
  }
}

/** Compiled checks by schema text, oldest first (re-inserted on use, so eviction is least recent). */
const cache = new Map<string, SchemaCheck>();

/**
 * checkSchemaDocument with a bounded cache by schema text, for the per-call path: a skill's stored
 * schema is parsed and checked once per process, not on every call.
 */
export function compileSchema(schemaJson: string): SchemaCheck {
  const hit = cache.get(schemaJson);
  if (hit) {
    cache.delete(schemaJson);
    cache.set(schemaJson, hit);
    return hit;
  }
  const result = checkSchemaDocument(schemaJson);
  if (typeof schemaJson === "string" && schemaJson.length <= SCHEMA_MAX_CHARS) {
    cache.set(schemaJson, result);
    if (cache.size > SCHEMA_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return result;
}

/** The number of compiled schemas cached (for tests of the bound). */
export function schemaCacheSize(): number {
  return cache.size;
}

/** Reference lookups of checked schemas, built once by dereference and reused for every input. */
type Lookup = Record<string, Schema | boolean>;
const lookups = new WeakMap<CheckedSchema, Lookup>();

function buildCheckedSchema(text: string): CheckedSchema {
  if (typeof text !== "string") throw new SchemaProblem("", "the schema must be JSON text");
  if (text.length > SCHEMA_MAX_CHARS) throw new SchemaProblem("", `the schema is longer than ${SCHEMA_MAX_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SchemaProblem("", "the schema is not valid JSON");
  }
  if (!isObject(parsed)) throw new SchemaProblem("", "the schema must be a JSON object");
  if (jsonDepth(parsed, SCHEMA_MAX_DEPTH) > SCHEMA_MAX_DEPTH) throw new SchemaProblem("", `the schema is nested more than ${SCHEMA_MAX_DEPTH} levels deep`);
  if (parsed.type !== "object") throw new SchemaProblem("", 'the input schema must have type "object"');
  if (hasOwn(parsed, "$ref")) throw new SchemaProblem("", "$ref is not allowed at the top level");
  const draft = dialectOf(parsed.$schema);

  const walker = new SchemaWalker(draft);
  walker.walk(parsed, "", true);

  const document = parsed as Schema;
  let lookup: Lookup;
  try {
    lookup = dereference(document) as Lookup;
  } catch {
    throw new SchemaProblem("", "the schema's references could not be resolved");
  }
  for (const { node, pointer } of walker.refs) {
    const target = lookup[String(node.__absolute_ref__)];
    if (target === undefined) throw new SchemaProblem(pointer, `$ref "${shorten(String(node.$ref), 60)}" does not point to a schema in this document`);
  }
  checkFanout(walker.nodes, lookup);

  const schema: CheckedSchema = Object.freeze({ text, draft, document: deepFreeze(document) });
  lookups.set(schema, lookup);
  return schema;
}

function dialectOf(value: unknown): SchemaDraft {
  if (value === undefined) return DEFAULT_DRAFT;
  if (typeof value !== "string") throw new SchemaProblem("/$schema", "must be a string");
  const normalised = value.replace(/^https?:\/\//, "").replace(/#$/, "");
  const draft = DIALECTS.get(normalised);
  if (!draft) throw new SchemaProblem("/$schema", `unknown dialect "${shorten(value, 80)}" (use draft-04, draft-07, 2019-09 or 2020-12)`);
  return draft;
}

/** Walks every subschema, checking each keyword, and records the schema nodes and the refs. */
class SchemaWalker {
  readonly nodes: JsonObject[] = [];
  readonly refs: Array<{ node: JsonObject; pointer: string }> = [];

  constructor(private readonly draft: SchemaDraft) {}

  walk(schema: unknown, pointer: string, isRoot = false): void {
    if (typeof schema === "boolean") return;
    if (!isObject(schema)) throw new SchemaProblem(pointer, "a schema must be an object or a boolean");
    this.nodes.push(schema);
    for (const [keyword, value] of Object.entries(schema)) {
      const at = `${pointer}/${escapePointerSegment(keyword)}`;
      if (keyword === "$schema") {
        if (!isRoot) throw new SchemaProblem(at, "$schema is only allowed at the top level");
        continue;
      }
      if (UNSUPPORTED_KEYWORDS.has(keyword)) throw new SchemaProblem(at, `${keyword} is not supported: a skill schema must be self-contained`);
      const rule = KEYWORDS.get(keyword);
      if (rule === undefined) throw new SchemaProblem(pointer, `unknown keyword "${shorten(keyword, 40)}"`);
      this.checkKeyword(keyword, rule, value, at, schema);
    }
  }

  private checkKeyword(keyword: string, rule: KeywordRule, value: unknown, at: string, node: JsonObject): void {
    switch (rule) {
      case "schema":
        return this.walk(value, at);
      case "schemaArray":
        if (!Array.isArray(value) || value.length === 0) throw new SchemaProblem(at, "must be a non-empty array of schemas");
        if (keyword === "prefixItems" && this.draft !== "2020-12") throw new SchemaProblem(at, "prefixItems needs the 2020-12 dialect");
        value.forEach((item, index) => this.walk(item, `${at}/${index}`));
        return;
      case "schemaOrSchemaArray":
        if (!Array.isArray(value)) return this.walk(value, at);
        if (this.draft === "2020-12") throw new SchemaProblem(at, "in 2020-12, items is one schema (use prefixItems for tuples)");
        return this.checkKeyword(keyword, "schemaArray", value, at, node);
      case "schemaMap":
      case "patternSchemaMap":
        if (!isObject(value)) throw new SchemaProblem(at, "must be an object of schemas");
        for (const [name, child] of Object.entries(value)) {
          if (rule === "patternSchemaMap") checkPattern(name, `${at}/${escapePointerSegment(name)}`);
          this.walk(child, `${at}/${escapePointerSegment(name)}`);
        }
        return;
      case "count":
        if (!Number.isSafeInteger(value) || (value as number) < 0) throw new SchemaProblem(at, "must be a non-negative integer");
        return;
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) throw new SchemaProblem(at, "must be a number");
        return;
      case "positiveNumber":
        if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new SchemaProblem(at, "must be a number greater than 0");
        return;
      case "exclusiveBound":
        // Draft 4 spells exclusive bounds as a boolean beside minimum/maximum; later drafts as a number.
        if (this.draft === "4" ? typeof value !== "boolean" : typeof value !== "number" || !Number.isFinite(value)) {
          throw new SchemaProblem(at, this.draft === "4" ? "must be a boolean in draft-04" : "must be a number");
        }
        return;
      case "boolean":
        if (typeof value !== "boolean") throw new SchemaProblem(at, "must be true or false");
        return;
      case "string":
        if (typeof value !== "string") throw new SchemaProblem(at, "must be a string");
        return;
      case "stringArray":
        if (!isStringArray(value)) throw new SchemaProblem(at, "must be an array of distinct strings");
        return;
      case "stringArrayMap":
        if (!isObject(value) || !Object.values(value).every(isStringArray)) throw new SchemaProblem(at, "must be an object of string arrays");
        return;
      case "dependencies":
        if (!isObject(value)) throw new SchemaProblem(at, "must be an object");
        for (const [name, child] of Object.entries(value)) {
          if (!isStringArray(child)) this.walk(child, `${at}/${escapePointerSegment(name)}`);
        }
        return;
      case "type":
        if (!(typeof value === "string" ? TYPE_NAMES.has(value) : isStringArray(value) && value.length > 0 && value.every((t) => TYPE_NAMES.has(t)))) {
          throw new SchemaProblem(at, `must be one of ${[...TYPE_NAMES].join(", ")}, or a list of them`);
        }
        return;
      case "enum":
        if (!Array.isArray(value) || value.length === 0) throw new SchemaProblem(at, "must be a non-empty array");
        return;
      case "array":
        if (!Array.isArray(value)) throw new SchemaProblem(at, "must be an array");
        return;
      case "any":
        return;
      case "pattern":
        if (typeof value !== "string") throw new SchemaProblem(at, "must be a string");
        return checkPattern(value, at);
      case "format":
        if (typeof value !== "string" || !FORMATS.has(value)) {
          throw new SchemaProblem(at, `format must be one of ${[...FORMATS].join(", ")}${value === "url" ? ' ("url" is too slow to check; use "uri")' : ""}`);
        }
        return;
      case "ref":
        // Only references into this document: "#" or a JSON pointer "#/...". Remote URLs, relative
        // files and "#anchor" names would need $id/$anchor or a fetch, which a skill schema never has.
        if (typeof value !== "string" || !/^#(?:\/[^#]*)?$/.test(value)) {
          throw new SchemaProblem(at, '$ref must point inside this document ("#" or "#/...")');
        }
        this.refs.push({ node, pointer: at });
        return;
    }
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string") && new Set(value).size === value.length;
}

/**
 * Refuses a regular expression that does not compile (as the validator compiles it, with the `u`
 * flag), is too long, uses a backreference, or repeats (`*`, `+`, `{2}`, `{1,}`, ...) a group that
 * contains a variable quantifier (`*`, `+`, `?`, `{n,m}`) or an alternative, as in `(a+)+`,
 * `(a|ab)*` or `(.*x){12}`: the shapes behind exponential backtracking. Fixed counts inside a group
 * stay allowed (`(\d{3}-){2}`). A heuristic, conservative on purpose: it does not catch polynomial
 * shapes such as `a*a*a*$`, whose cost the input size cap (LIMITS.skillInputChars) bounds.
 */
export function patternProblem(source: string): string | null {
  if (source.length > SCHEMA_MAX_PATTERN_CHARS) return `patterns are limited to ${SCHEMA_MAX_PATTERN_CHARS} characters`;
  try {
    new RegExp(source, "u");
  } catch {
    return "is not a valid regular expression";
  }
  if (/\\(?:[1-9]|k<)/.test(source)) return "backreferences are not allowed in patterns";
  return nestedRepeatProblem(source);
}

function checkPattern(source: string, at: string): void {
  const problem = patternProblem(source);
  if (problem) throw new SchemaProblem(at, `pattern ${problem}`);
}

type GroupFrame = { variable: boolean; alternation: boolean };

/** Scans a (compiling) regular expression for a repeated group holding a variable quantifier or an alternative. */
function nestedRepeatProblem(source: string): string | null {
  const stack: GroupFrame[] = [{ variable: false, alternation: false }];
  const top = () => stack[stack.length - 1] as GroupFrame;
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "\\") {
      // \p{...}, \u{...} carry braces that are not a quantifier.
      i = /[pPu]/.test(source[i + 1] ?? "") && source[i + 2] === "{" ? Math.max(i + 2, source.indexOf("}", i) + 1) : i + 2;
      continue;
    }
    if (ch === "[") {
      i = endOfClass(source, i);
      continue;
    }
    if (ch === "(") {
      stack.push({ variable: false, alternation: false });
      i = source[i + 1] === "?" ? endOfGroupPrefix(source, i + 1) : i + 1;
      continue;
    }
    if (ch === "|") {
      top().alternation = true;
      i++;
      continue;
    }
    if (ch === ")") {
      const group = stack.length > 1 ? (stack.pop() as GroupFrame) : top();
      const after = quantifierAt(source, i + 1);
      if (after?.repeats && (group.variable || group.alternation)) {
        return "repeats a group that contains a quantifier or an alternative, which can take exponential time";
      }
      top().variable ||= group.variable || after?.variable === true;
      top().alternation ||= group.alternation;
      i += 1 + (after?.length ?? 0);
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      top().variable ||= quantifier.variable;
      i += quantifier.length;
      continue;
    }
    i++;
  }
  return null;
}

/**
 * The quantifier starting at `i` (with a lazy `?`): its length, whether its count varies (`*`,
 * `+`, `?`, `{n,m}`), and whether it can match its atom more than once.
 */
function quantifierAt(source: string, i: number): { length: number; variable: boolean; repeats: boolean } | null {
  const ch = source[i];
  let quantifier: { length: number; variable: boolean; repeats: boolean };
  if (ch === "*" || ch === "+") {
    quantifier = { length: 1, variable: true, repeats: true };
  } else if (ch === "?") {
    quantifier = { length: 1, variable: true, repeats: false };
  } else if (ch === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (!match) return null;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
    quantifier = { length: match[0].length, variable: max !== min, repeats: max > 1 };
  } else {
    return null;
  }
  if (source[i + quantifier.length] === "?") quantifier.length++;
  return quantifier;
}

function endOfClass(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Skips `?:`, `?=`, `?!`, `?<=`, `?<!` and `?<name>` after an opening parenthesis. */
function endOfGroupPrefix(source: string, questionMark: number): number {
  const next = source[questionMark + 1];
  if (next === "<" && source[questionMark + 2] !== "=" && source[questionMark + 2] !== "!") {
    return Math.max(questionMark + 1, source.indexOf(">", questionMark) + 1);
  }
  return questionMark + (next === "<" ? 3 : 2);
}

/** Keywords whose subschemas apply to the same input value as the schema holding them. */
const SAME_VALUE_ARRAYS = ["allOf", "anyOf", "oneOf"] as const;
const SAME_VALUE_SINGLE = ["not", "if", "then", "else"] as const;

/**
 * Refuses reference cycles that never descend into the input (`a` refers to `b` refers to `a`, or a
 * schema that reaches itself through allOf), which would recurse forever, and limits how many
 * subschemas can apply to one value (SCHEMA_MAX_FANOUT).
 */
function checkFanout(nodes: readonly JsonObject[], lookup: Lookup): void {
  const cost = new Map<JsonObject, number>();
  const visiting = new Set<JsonObject>();

  const sameValueChildren = (node: JsonObject): JsonObject[] => {
    const children: unknown[] = [];
    for (const key of SAME_VALUE_ARRAYS) if (Array.isArray(node[key])) children.push(...(node[key] as unknown[]));
    for (const key of SAME_VALUE_SINGLE) children.push(node[key]);
    for (const key of ["dependentSchemas", "dependencies"]) if (isObject(node[key])) children.push(...Object.values(node[key] as JsonObject));
    if (typeof node.$ref === "string") children.push(lookup[String(node.__absolute_ref__)]);
    return children.filter(isObject);
  };

  const costOf = (node: JsonObject): number => {
    const known = cost.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) throw new SchemaProblem("", "the schema refers to itself without descending into a property or item (a $ref cycle)");
    visiting.add(node);
    let total = 1;
    for (const child of sameValueChildren(node)) {
      total += costOf(child);
      if (total > SCHEMA_MAX_FANOUT) throw new SchemaProblem("", `too many subschemas apply to one value (more than ${SCHEMA_MAX_FANOUT} through allOf/anyOf/oneOf/$ref)`);
    }
    visiting.delete(node);
    cost.set(node, total);
    return total;
  };

  for (const node of nodes) costOf(node);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Whether an input is small enough to validate: the length of its JSON text at most `maxChars`.
 * A string is taken to be that JSON text as received (the checker passes the raw `inputJson`); any
 * other value is serialised first. A value that cannot be serialised is never small enough.
 */
export function inputSizeOk(input: unknown, maxChars: number): boolean {
  if (typeof input === "string") return input.length <= maxChars;
  try {
    const text = JSON.stringify(input);
    return text !== undefined && text.length <= maxChars;
  } catch {
    return false;
  }
}

/**
 * Validates an input against a checked schema (or schema text, compiled through the cache). Errors
 * are short, at most MAX_INPUT_ERRORS, each at most MAX_ERROR_CHARS, and say where and what in the
 * schema's terms ("input.count: must be at most 10"); they never quote the input's values, and an
 * input property name is shown only when short and plain, so a secret in the input is not copied
 * into an error. A schema text that fails the check is reported as one error.
 */
export function validateInput(schema: CheckedSchema | string, input: unknown): InputValidation {
  let checked: CheckedSchema;
  if (typeof schema === "string") {
    const compiled = compileSchema(schema);
    if (!compiled.ok) return { ok: false, errors: [shorten(`the skill's input schema is invalid: ${compiled.reason}`, MAX_ERROR_CHARS)] };
    checked = compiled.schema;
  } else {
    checked = schema;
  }
  const lookup = lookups.get(checked) ?? lookupFor(checked);
  if (!lookup) return { ok: false, errors: ["the skill's input schema is invalid"] };

  let units: OutputUnit[];
  try {
    const result = validate(input, checked.document as Schema, checked.draft, lookup, false);
    if (result.valid) return { ok: true };
    units = result.errors;
  } catch {
    // Thrown for values JSON cannot hold (undefined, functions, bigint) or runaway recursion.
    return { ok: false, errors: ["input: must be plain JSON data"] };
  }
  const messages = describeErrors(units, checked, lookup, input);
  return { ok: false, errors: messages.length > 0 ? messages : ["input: does not match the skill's input schema"] };
}

/** The lookup for a CheckedSchema built elsewhere (same text): compiled through the cache. */
function lookupFor(schema: CheckedSchema): Lookup | undefined {
  const compiled = compileSchema(schema.text);
  return compiled.ok ? lookups.get(compiled.schema) : undefined;
}

/** Wrapper keywords: the library adds one above the errors of the subschema they apply; those errors say more. */
const WRAPPER_KEYWORDS = new Set([
  "$ref",
  "$recursiveRef",
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "unevaluatedItems",
  "allOf",
  "then",
  "else",
  "dependentSchemas",
  "dependencies",
]);

/** Keywords whose own message is clearer than their subschemas' errors (which are dropped). */
const SUMMARY_KEYWORDS = new Set(["anyOf", "oneOf", "not", "contains", "propertyNames"]);

function describeErrors(units: readonly OutputUnit[], schema: CheckedSchema, lookup: Lookup, input: unknown): string[] {
  const summaries = units.filter((unit) => SUMMARY_KEYWORDS.has(unit.keyword)).map((unit) => `${unit.keywordLocation}/`);
  const messages = new Set<string>();
  for (const unit of units) {
    if (messages.size >= MAX_INPUT_ERRORS) break;
    if (summaries.some((prefix) => unit.keywordLocation.startsWith(prefix))) continue;
    for (const message of describeUnit(unit, schema, lookup, input)) {
      messages.add(shorten(scrubText(message), MAX_ERROR_CHARS));
      if (messages.size >= MAX_INPUT_ERRORS) break;
    }
  }
  return [...messages];
}

/** Owner-readable messages for one library error, from the schema's values and the input's shape only. */
function describeUnit(unit: OutputUnit, schema: CheckedSchema, lookup: Lookup, input: unknown): string[] {
  const segments = pointerSegments(unit.instanceLocation);
  const path = displayPath(segments);
  if (unit.keyword === "false") return [`${path}: is not allowed here`];
  if (WRAPPER_KEYWORDS.has(unit.keyword)) {
    // A dependencies entry that lists names reports itself with keyword "dependencies".
    if (unit.keyword !== "dependencies") return [];
  }
  const node = schemaNodeAt(schema.document, unit.keywordLocation, lookup);
  const value = node?.[unit.keyword];
  const instance = instanceAt(input, segments);
  switch (unit.keyword) {
    case "type": {
      const expected = Array.isArray(value) ? value.join(" or ") : String(value);
      return [`${path}: must be ${withArticle(expected)}, not ${withArticle(jsonType(instance))}`];
    }
    case "required": {
      const missing = Array.isArray(value) && isObject(instance) ? value.filter((key) => typeof key === "string" && !hasOwn(instance, key)) : [];
      return missing.length > 0 ? missing.map((key) => `${path}: missing required property "${shorten(String(key), 40)}"`) : [`${path}: missing a required property`];
    }
    case "dependentRequired":
    case "dependencies":
      return dependencyMessages(path, value, instance);
    case "enum":
      return [`${path}: must be one of ${shorten(Array.isArray(value) ? value.map((item) => JSON.stringify(item)).join(", ") : "the listed values", 80)}`];
    case "const":
      return [`${path}: must be ${shorten(JSON.stringify(value) ?? "the fixed value", 60)}`];
    case "minimum":
      return [`${path}: must be ${node?.exclusiveMinimum === true ? "greater than" : "at least"} ${String(value)}`];
    case "maximum":
      return [`${path}: must be ${node?.exclusiveMaximum === true ? "less than" : "at most"} ${String(value)}`];
    case "exclusiveMinimum":
      return [`${path}: must be greater than ${String(typeof value === "number" ? value : node?.minimum)}`];
    case "exclusiveMaximum":
      return [`${path}: must be less than ${String(typeof value === "number" ? value : node?.maximum)}`];
    case "multipleOf":
      return [`${path}: must be a multiple of ${String(value)}`];
    case "minLength":
      return [`${path}: must be at least ${String(value)} characters long`];
    case "maxLength":
      return [`${path}: must be at most ${String(value)} characters long`];
    case "pattern":
      return [`${path}: must match the pattern ${shorten(String(value), 60)}`];
    case "format":
      return [`${path}: must be a valid ${String(value)}`];
    case "minItems":
      return [`${path}: must have at least ${String(value)} items`];
    case "maxItems":
      return [`${path}: must have at most ${String(value)} items`];
    case "uniqueItems":
      return [`${path}: must not contain duplicate items`];
    case "minProperties":
      return [`${path}: must have at least ${String(value)} properties`];
    case "maxProperties":
      return [`${path}: must have at most ${String(value)} properties`];
    case "contains":
    case "minContains":
      return [`${path}: must contain ${typeof node?.minContains === "number" ? `at least ${node.minContains} items` : "an item"} matching the schema`];
    case "maxContains":
      return [`${path}: must contain at most ${String(value)} items matching the schema`];
    case "anyOf":
      return [`${path}: must match at least one of the allowed shapes`];
    case "oneOf":
      return [`${path}: must match exactly one of the allowed shapes`];
    case "not":
      return [`${path}: must not match the excluded shape`];
    case "propertyNames":
      return [`${path}: has a property name the schema does not allow`];
    default:
      return [`${path}: does not satisfy "${unit.keyword}"`];
  }
}

function dependencyMessages(path: string, value: unknown, instance: unknown): string[] {
  if (!isObject(value) || !isObject(instance)) return [];
  const out: string[] = [];
  for (const [key, needed] of Object.entries(value)) {
    if (!hasOwn(instance, key) || !Array.isArray(needed)) continue;
    for (const other of needed) {
      if (typeof other === "string" && !hasOwn(instance, other)) out.push(`${path}: "${shorten(other, 40)}" is required when "${shorten(key, 40)}" is present`);
    }
  }
  return out;
}

/** The segments of a pointer as the library writes it ("#/a/0"), decoded. */
function pointerSegments(location: string): string[] {
  const body = location.startsWith("#") ? location.slice(1) : location;
  if (body === "") return [];
  return body
    .split("/")
    .slice(1)
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // keep it as written
      }
      return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

/** A plain property name, shown as is; anything else (long, odd characters) is not echoed. */
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,31}$/;

/** `input`, `input.items[2].name`: property names only when short and plain (they come from the input). */
function displayPath(segments: readonly string[]): string {
  let path = "input";
  for (const segment of segments) {
    if (/^(?:0|[1-9][0-9]{0,8})$/.test(segment)) path += `[${segment}]`;
    else if (PLAIN_NAME.test(segment)) path += `.${segment}`;
    else path += "[…]";
  }
  return path;
}

/** The schema object holding the keyword at `keywordLocation`, following `$ref` steps through the lookup. */
function schemaNodeAt(document: Readonly<Schema>, keywordLocation: string, lookup: Lookup): JsonObject | undefined {
  const segments = pointerSegments(keywordLocation);
  let node: unknown = document;
  for (const segment of segments.slice(0, -1)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (segment === "$ref" && isObject(node) && typeof node.$ref === "string") node = lookup[String(node.__absolute_ref__)];
    else node = (node as JsonObject)[segment];
  }
  return isObject(node) ? node : undefined;
}

function instanceAt(input: unknown, segments: readonly string[]): unknown {
  let value = input;
  for (const segment of segments) {
    if (typeof value !== "object" || value === null || !hasOwn(value, segment)) return undefined;
    value = (value as JsonObject)[segment];
  }
  return value;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isInteger(value)) return "integer";
  return typeof value;
}

function withArticle(typeName: string): string {
  return /^(?:array|integer|object)/.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
