import { convexToJson, jsonToConvex } from "convex/values";
import { describe, expect, it } from "vitest";

import { answerText, DocumentTexts, JsonText } from "../../../local/engine/documentJson.ts";
import type { Doc } from "../../../local/engine/keys.ts";

const doc = (n: number, body = "x"): Doc => ({ _id: `id${n}`, _creationTime: n, body, count: BigInt(n), bytes: new Uint8Array([n & 255]).buffer });

describe("document texts", () => {
  it("are Convex's JSON encoding of the document, and parse back to it", () => {
    const texts = new DocumentTexts();
    const original = doc(7, "héllo \"quoted\"");
    const text = texts.text(original);
    expect(text).toBe(JSON.stringify(convexToJson(original)));
    expect(jsonToConvex(JSON.parse(text))).toEqual(original);
  });

  it("convert a document once, however often it is read", () => {
    const texts = new DocumentTexts();
    const original = doc(1);
    texts.text(original);
    texts.text(original);
    expect(texts.size.entries).toBe(1);
    // A new object (a patched version) is a new entry, never the old text.
    const patched = { ...original, body: "changed" };
    expect(texts.text(patched)).toContain('"changed"');
    expect(texts.size.entries).toBe(2);
  });

  it("stay within their size bound and drop the least recently read first", () => {
    const one = doc(1);
    const width = new DocumentTexts().text(one).length;
    const texts = new DocumentTexts(width * 3);
    const [a, b, c, d] = [doc(1), doc(2), doc(3), doc(4)];
    texts.text(a);
    texts.text(b);
    texts.text(c);
    texts.text(a); // a is now the most recently read; b is the oldest
    texts.text(d);
    expect([a, b, c, d].map((x) => texts.has(x))).toEqual([true, false, true, true]);
    expect(texts.size.chars).toBeLessThanOrEqual(width * 3);
    texts.text(b); // converted again, which drops the next oldest (c)
    expect([a, b, c, d].map((x) => texts.has(x))).toEqual([true, true, false, true]);
    for (let i = 10; i < 1000; i++) texts.text(doc(i));
    expect(texts.size.chars).toBeLessThanOrEqual(width * 3 + 3);
  });
});

describe("syscall answers", () => {
  it("pass JSON text through and serialize anything else", () => {
    expect(answerText(new JsonText('{"value":{"a":1},"done":false}'))).toBe('{"value":{"a":1},"done":false}');
    expect(answerText({ value: null, done: true })).toBe('{"value":null,"done":true}');
  });
});
