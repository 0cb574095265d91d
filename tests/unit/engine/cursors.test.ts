// Pagination cursors: a full index key tied to one index, round-tripped exactly (undefined and
// bigints included), and anything foreign, garbled or tampered refused with InvalidCursor.
import { describe, expect, it } from "vitest";

import { decodeCursor, encodeCursor, END_CURSOR } from "../../../local/engine/cursors.ts";
import type { IndexKey } from "../../../local/engine/keys.ts";

const INVALID = "InvalidCursor: Tried to run a query starting from a cursor, but it looks like this cursor is from a different query.";

describe("encodeCursor / decodeCursor round trip", () => {
  it.each<[string, IndexKey]>([
    ["a by_creation_time key", [1700000000000.5, "abc"]],
    ["a missing field (undefined)", [undefined, 12, "id"]],
    ["several undefined entries", [undefined, undefined, 1, "id"]],
    ["null", [null, 1, "id"]],
    ["a bigint", [-(2n ** 63n), 1, "id"]],
    ["bytes", [new Uint8Array([0, 255, 7]).buffer, 1, "id"]],
    ["nested array and object", [[1, { a: 2n }], { b: [null] }, 1, "id"]],
    ["booleans and unicode strings", [true, "é✓\u0000", 1, "id"]],
    ["special numbers", [-0, Infinity, NaN, "id"]],
    ["an empty key", []],
  ])("%s", (_name, key) => {
    const cursor = encodeCursor("messages.by_channel", key);
    expect(cursor.startsWith("k.")).toBe(true);
    expect(cursor).toMatch(/^k\.[A-Za-z0-9_-]*$/);
    expect(decodeCursor(cursor, "messages.by_channel")).toEqual({ kind: "key", key });
  });

  it("keeps -0 distinct from 0", () => {
    const decoded = decodeCursor(encodeCursor("t.i", [-0]), "t.i");
    expect(decoded.kind === "key" && Object.is(decoded.key[0], -0)).toBe(true);
  });

  it("END_CURSOR decodes to the end, for any index", () => {
    expect(END_CURSOR).toBe("end");
    expect(decodeCursor(END_CURSOR, "messages.by_channel")).toEqual({ kind: "end" });
    expect(decodeCursor(END_CURSOR, "other.by_creation_time")).toEqual({ kind: "end" });
  });
});

describe("decodeCursor refuses", () => {
  const good = encodeCursor("messages.by_channel", ["general", 5, "id1"]);
  const body = (payload: string) => `k.${Buffer.from(payload).toString("base64url")}`;

  it.each<[string, string, string]>([
    ["a cursor for another index of the same table", good, "messages.by_creation_time"],
    ["a cursor for the same index name on another table", good, "posts.by_channel"],
    ["an index name that only shares a prefix", encodeCursor("messages.by", ["x"]), "messages.by_channel"],
    ["the empty string", "", "messages.by_channel"],
    ["END in another case", "END", "messages.by_channel"],
    ["no k. prefix", good.slice(2), "messages.by_channel"],
    ["another prefix", `j.${good.slice(2)}`, "messages.by_channel"],
    ["garbage", "k.!!!not base64!!!", "messages.by_channel"],
    ["base64 of non-JSON", body("not json"), "messages.by_channel"],
    ["a truncated cursor", good.slice(0, good.length - 6), "messages.by_channel"],
    ["JSON null", body("null"), "messages.by_channel"],
    ["a JSON array", body('["messages.by_channel", []]'), "messages.by_channel"],
    ["a key that is not an array", body('{"i":"messages.by_channel","k":"x"}'), "messages.by_channel"],
    ["a missing key", body('{"i":"messages.by_channel"}'), "messages.by_channel"],
    ["an index that is not a string", body('{"i":["messages.by_channel"],"k":[]}'), "messages.by_channel"],
    ["a key entry that is not valid Convex JSON", body('{"i":"messages.by_channel","k":[{"$integer":"!"}]}'), "messages.by_channel"],
    ["a key entry with an unknown $ type", body('{"i":"messages.by_channel","k":[{"$date":1}]}'), "messages.by_channel"],
    ["a Convex cloud cursor (opaque bytes)", "ApKVy2xyb3VuZGVkX2tleZOoZ2VuZXJhbA==", "messages.by_channel"],
  ])("%s", (_name, cursor, index) => {
    expect(() => decodeCursor(cursor, index)).toThrow(INVALID);
  });

  it("a cursor whose payload was re-encoded for another index is refused (no silent misread)", () => {
    const payload = JSON.parse(Buffer.from(good.slice(2), "base64url").toString("utf8")) as { i: string; k: unknown[] };
    const tampered = body(JSON.stringify({ ...payload, i: "secrets.by_owner" }));
    expect(() => decodeCursor(tampered, "messages.by_channel")).toThrow(INVALID);
    expect(decodeCursor(tampered, "secrets.by_owner")).toEqual({ kind: "key", key: ["general", 5, "id1"] });
  });

  it("a tampered base64 character either fails or still names the same index", () => {
    for (let i = 2; i < good.length; i++) {
      const replacement = good[i] === "A" ? "B" : "A";
      const tampered = good.slice(0, i) + replacement + good.slice(i + 1);
      let decoded: ReturnType<typeof decodeCursor> | null = null;
      try {
        decoded = decodeCursor(tampered, "messages.by_channel");
      } catch (error) {
        expect((error as Error).message).toBe(INVALID);
      }
      if (decoded !== null) expect(decoded.kind).toBe("key");
    }
  });
});
