// Validators in their exported JSON form, checked as a deployment checks arguments, return values
// and documents: a truth table per validator kind, the path of the first mismatch, and the message.
import { CommitTsPlaceholder, v, type GenericValidator, type Value } from "convex/values";
import { describe, expect, it } from "vitest";

import { newDocumentId } from "../../../local/engine/ids.ts";
import { describeMismatch, findMismatch, type TableNumberLookup, type ValidatorJson } from "../../../local/engine/validate.ts";

const TABLES: Record<string, number> = { users: 10001, posts: 10002 };
const lookup: TableNumberLookup = (table) => TABLES[table];
/** A validator's exported JSON, as `exportArgs()` and schemas give it (`json` is internal to the `convex` package's types). */
const json = (validator: GenericValidator) => (validator as unknown as { json: ValidatorJson }).json;

const userId = newDocumentId(10001);
const postId = newDocumentId(10002);
const strangerId = newDocumentId(10099);

/** One sample of every kind of value. */
const samples: Record<string, Value | undefined> = {
  undefined: undefined,
  null: null,
  number: 1.5,
  zero: 0,
  bigint: 5n,
  boolean: false,
  string: "text",
  emptyString: "",
  bytes: new Uint8Array([1, 2]).buffer,
  array: [1, 2],
  object: { a: 1 },
};

describe("findMismatch: scalar kinds", () => {
  // For each validator, the samples it accepts; every other sample is refused with `message`.
  const table: [string, ValidatorJson, string[], string][] = [
    ["v.null()", json(v.null()), ["null"], "Value does not match validator v.null()"],
    ["v.number()", json(v.number()), ["number", "zero"], "Value does not match validator v.number()"],
    ["v.int64()", json(v.int64()), ["bigint"], "Value does not match validator v.int64()"],
    ["v.boolean()", json(v.boolean()), ["boolean"], "Value does not match validator v.boolean()"],
    ["v.string()", json(v.string()), ["string", "emptyString"], "Value does not match validator v.string()"],
    ["v.bytes()", json(v.bytes()), ["bytes"], "Value does not match validator v.bytes()"],
    ["v.any()", json(v.any()), Object.keys(samples).filter((name) => name !== "undefined"), "Value is undefined"],
    ["v.literal('text')", json(v.literal("text")), ["string"], 'Value does not match validator v.literal("text")'],
    ["v.literal(0)", json(v.literal(0)), ["zero"], "Value does not match validator v.literal(0)"],
    ["v.literal(false)", json(v.literal(false)), ["boolean"], "Value does not match validator v.literal(false)"],
    ["v.literal(5n), sent as { $integer }", json(v.literal(5n)), ["bigint"], 'Value does not match validator v.literal({"$integer":"BQAAAAAAAAA="})'],
  ];
  const cases = table.flatMap(([name, validator, accepted, message]) =>
    Object.entries(samples).map(([sampleName, value]) => [name, sampleName, validator, value, accepted.includes(sampleName) ? null : message] as const),
  );

  it.each(cases)("%s with %s", (_name, _sampleName, validator, value, message) => {
    expect(findMismatch(validator, value, lookup)).toEqual(message === null ? null : { path: "", message });
  });

  it.each<[string, ValidatorJson, Value, boolean]>([
    ["v.literal(5n) refuses the number 5", json(v.literal(5n)), 5, false],
    ["v.literal(5n) refuses 6n", json(v.literal(6n)), 5n, false],
    ["v.literal(5) refuses 5n", json(v.literal(5)), 5n, false],
    ["v.literal('a') refuses 'A'", json(v.literal("a")), "A", false],
    ["v.number() accepts NaN", json(v.number()), NaN, true],
    ["v.number() accepts -Infinity", json(v.number()), -Infinity, true],
    ["v.bytes() refuses a Uint8Array view (only ArrayBuffer is bytes)", json(v.bytes()), new Uint8Array([1]) as unknown as Value, false],
  ])("%s", (_name, validator, value, ok) => {
    expect(findMismatch(validator, value, lookup) === null).toBe(ok);
  });

  it("v.commitTs() accepts a bigint and the commit placeholder, nothing else", () => {
    const validator: ValidatorJson = { type: "commitTs" };
    expect(findMismatch(validator, 1n, lookup)).toBeNull();
    expect(findMismatch(validator, new CommitTsPlaceholder(), lookup)).toBeNull();
    expect(findMismatch(validator, 1, lookup)).toEqual({ path: "", message: "Value does not match validator v.commitTs()" });
  });
});

describe("findMismatch: v.id", () => {
  const message = 'Value does not match validator v.id("users")';

  it.each<[string, ValidatorJson, Value | undefined, string | null]>([
    ["an id of the table", json(v.id("users")), userId, null],
    ["an id of another table", json(v.id("users")), postId, message],
    ["an id of a table with no number here", json(v.id("users")), strangerId, message],
    ["a string that is not an id", json(v.id("users")), "not-an-id", message],
    ["an id with a flipped character", json(v.id("users")), userId.slice(0, -2) + (userId.at(-2) === "0" ? "1" : "0") + userId.at(-1), message],
    ["a number", json(v.id("users")), 10001, message],
    ["undefined", json(v.id("users")), undefined, message],
    ["a table unknown to the lookup accepts any well-formed id", json(v.id("ghosts")), postId, null],
    ["a table unknown to the lookup still refuses a malformed id", json(v.id("ghosts")), "x".repeat(31), 'Value does not match validator v.id("ghosts")'],
  ])("%s", (_name, validator, value, expected) => {
    expect(findMismatch(validator, value, lookup)).toEqual(expected === null ? null : { path: "", message: expected });
  });
});

describe("findMismatch: containers and the path of the first mismatch", () => {
  const profile = json(
    v.object({
      name: v.string(),
      nickname: v.optional(v.string()),
      owner: v.id("users"),
      tags: v.array(v.string()),
      scores: v.record(v.string(), v.number()),
      likes: v.record(v.id("posts"), v.boolean()),
      address: v.object({ city: v.string(), lines: v.array(v.object({ text: v.string() })) }),
      status: v.union(v.literal("active"), v.literal("away"), v.null()),
    }),
  );
  const valid = {
    name: "Ada",
    owner: userId,
    tags: ["a", "b"],
    scores: { maths: 1, art: 2 },
    likes: { [postId]: true },
    address: { city: "London", lines: [{ text: "1 Road" }] },
    status: null,
  };
  const change = (patch: Record<string, Value | undefined>) => ({ ...valid, ...patch }) as Value;

  it.each<[string, Value | undefined, { path: string; message: string } | null]>([
    ["the valid document", valid, null],
    ["with the optional field set", change({ nickname: "A" }), null],
    ["with the optional field explicitly undefined", change({ nickname: undefined }), null],
    ["an extra field that is undefined is ignored", change({ extra: undefined }), null],
    ["a required field missing", change({ name: undefined }), { path: ".name", message: "Object is missing the required field `name`" }],
    ["an extra field", change({ extra: 1 }), { path: ".extra", message: "Object contains extra field `extra` that is not in the validator" }],
    ["a wrong scalar", change({ name: 1 }), { path: ".name", message: "Value does not match validator v.string()" }],
    ["the optional field with the wrong type", change({ nickname: 3 }), { path: ".nickname", message: "Value does not match validator v.string()" }],
    ["an id of the wrong table", change({ owner: postId }), { path: ".owner", message: 'Value does not match validator v.id("users")' }],
    ["an array element", change({ tags: ["a", 2] }), { path: ".tags[1]", message: "Value does not match validator v.string()" }],
    ["an array that is an object", change({ tags: { 0: "a" } }), { path: ".tags", message: "Value does not match validator v.array()" }],
    ["a record value", change({ scores: { maths: "A" } }), { path: ".scores.maths", message: "Value does not match validator v.number()" }],
    ["a record key outside the key validator", change({ likes: { "not-a-post": true } }), { path: ".likes.not-a-post", message: 'Record key "not-a-post" is not allowed' }],
    ["a record key that is an id of another table", change({ likes: { [userId]: true } }), { path: `.likes.${userId}`, message: `Record key ${JSON.stringify(userId)} is not allowed` }],
    ["a record that is an array", change({ scores: [1] }), { path: ".scores", message: "Value does not match validator v.record()" }],
    ["a record entry that is undefined is ignored", change({ scores: { maths: undefined } }), null],
    ["a nested object field", change({ address: { city: 7, lines: [] } }), { path: ".address.city", message: "Value does not match validator v.string()" }],
    ["deep inside an array of objects", change({ address: { city: "x", lines: [{ text: "ok" }, { text: "ok", more: 1 }] } }), { path: ".address.lines[1].more", message: "Object contains extra field `more` that is not in the validator" }],
    ["a union with no matching member", change({ status: "gone" }), { path: ".status", message: "Value does not match any member of the union validator" }],
    ["a union's second member", change({ status: "away" }), null],
    ["an object that is null", null, { path: "", message: "Value does not match validator v.object()" }],
    ["an object that is an array", [valid], { path: "", message: "Value does not match validator v.object()" }],
    ["an object that is bytes", new ArrayBuffer(1), { path: "", message: "Value does not match validator v.object()" }],
  ])("%s", (_name, value, expected) => {
    expect(findMismatch(profile, value, lookup)).toEqual(expected);
  });

  it("an object validator refuses class instances but accepts null-prototype objects", () => {
    const validator = json(v.object({ a: v.optional(v.number()) }));
    expect(findMismatch(validator, new Date(0) as unknown as Value, lookup)).toEqual({ path: "", message: "Value does not match validator v.object()" });
    expect(findMismatch(validator, Object.assign(Object.create(null), { a: 1 }) as Value, lookup)).toBeNull();
  });

  it.each(["toString", "constructor", "hasOwnProperty", "valueOf", "__proto__"])(
    "an extra field named like an Object.prototype member (%s) is refused",
    (name) => {
      const value = JSON.parse(`{"a":1,${JSON.stringify(name)}:"x"}`) as Value;
      expect(findMismatch(json(v.object({ a: v.number() })), value, lookup)).toEqual({
        path: `.${name}`,
        message: `Object contains extra field \`${name}\` that is not in the validator`,
      });
    },
  );

  it.each(["toString", "constructor"])("a required field named %s is missing when only inherited", (name) => {
    expect(findMismatch(json(v.object({ [name]: v.string() })), {}, lookup)).toEqual({
      path: `.${name}`,
      message: `Object is missing the required field \`${name}\``,
    });
    expect(findMismatch(json(v.object({ [name]: v.optional(v.string()) })), {}, lookup)).toBeNull();
    expect(findMismatch(json(v.object({ [name]: v.string() })), { [name]: "own" }, lookup)).toBeNull();
  });

  it("a union of objects reports the union, not a member's inner path", () => {
    const validator = json(v.union(v.object({ kind: v.literal("a"), x: v.number() }), v.object({ kind: v.literal("b"), y: v.string() })));
    expect(findMismatch(validator, { kind: "a", x: 1 }, lookup)).toBeNull();
    expect(findMismatch(validator, { kind: "b", y: "s" }, lookup)).toBeNull();
    expect(findMismatch(validator, { kind: "a", y: "s" }, lookup)).toEqual({ path: "", message: "Value does not match any member of the union validator" });
  });

  it("an empty union accepts nothing", () => {
    expect(findMismatch({ type: "union", value: [] }, null, lookup)).toEqual({ path: "", message: "Value does not match any member of the union validator" });
  });

});

describe("describeMismatch", () => {
  const mismatch = { path: ".a.b", message: "Value does not match validator v.string()" };

  it("without a value: kind, message and path only", () => {
    expect(describeMismatch("ArgumentValidationError", mismatch)).toBe(
      "ArgumentValidationError: Value does not match validator v.string().\nPath: .a.b",
    );
  });

  it("with a value: the value in Convex JSON form", () => {
    expect(describeMismatch("ArgumentValidationError", mismatch, { a: { b: 5n } })).toBe(
      'ArgumentValidationError: Value does not match validator v.string().\nPath: .a.b\nValue: {"a":{"b":{"$integer":"BQAAAAAAAAA="}}}',
    );
  });

  it("shows null, which is a value, but not undefined, which is none", () => {
    expect(describeMismatch("E", mismatch, null)).toBe("E: Value does not match validator v.string().\nPath: .a.b\nValue: null");
    expect(describeMismatch("E", mismatch, undefined)).toBe("E: Value does not match validator v.string().\nPath: .a.b");
  });

  it("names an empty path (root)", () => {
    expect(describeMismatch("E", { path: "", message: "m" })).toBe("E: m.\nPath: (root)");
  });

  it("abbreviates a long value to 200 characters and an ellipsis", () => {
    const text = describeMismatch("E", mismatch, "x".repeat(500));
    const shown = text.split("\nValue: ")[1];
    expect(shown).toBe(`"${"x".repeat(199)}…`);
  });

  it("keeps a value of exactly 200 characters whole", () => {
    const text = describeMismatch("E", mismatch, "y".repeat(198));
    expect(text.endsWith(`Value: "${"y".repeat(198)}"`)).toBe(true);
  });
});
