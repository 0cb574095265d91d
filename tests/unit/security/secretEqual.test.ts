// The constant-time comparison every secret and token check goes through: its truth table, the
// fail-closed cases, and the strings that different encodings would confuse. No timing test: such
// tests are flaky; the construction (fixed-size digests, no early exit) is what guarantees it.
import { describe, expect, it } from "vitest";

import { bytesEqual, secretEqual } from "../../../convex/security/secretEqual.ts";

const TOKEN = "whsec_5f1c0e9a7d3b42c8a6e1f0d9b8c7a6e5";

describe("secretEqual", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["equal", TOKEN, TOKEN, true],
    ["equal, from different string objects", TOKEN, [...TOKEN].join(""), true],
    ["one character long and equal", "a", "a", true],
    ["different, same length", TOKEN, `${TOKEN.slice(0, -1)}0`, false],
    ["different in the first character only", TOKEN, `x${TOKEN.slice(1)}`, false],
    ["a prefix of the secret", TOKEN.slice(0, 10), TOKEN, false],
    ["the secret plus one character", `${TOKEN}a`, TOKEN, false],
    ["the secret plus a NUL", `${TOKEN}\0`, TOKEN, false],
    ["different lengths", "short", TOKEN, false],
    ["a case change", TOKEN.toUpperCase(), TOKEN, false],
    ["surrounding whitespace", ` ${TOKEN}`, TOKEN, false],
    ["unicode, equal", "clé-🔑-密钥", "clé-🔑-密钥", true],
    ["unicode, composed vs decomposed é", "cl\u00e9", "cle\u0301", false],
    ["different lone surrogates (both would be U+FFFD in UTF-8)", "a\ud800", "a\udc00", false],
    ["a lone surrogate vs U+FFFD", "a\ud800", "a\ufffd", false],
    ["empty vs empty (fail closed)", "", "", false],
    ["empty vs a secret", "", TOKEN, false],
    ["a secret vs empty (an unset expected secret)", TOKEN, "", false],
    ["undefined vs undefined", undefined, undefined, false],
    ["undefined vs a secret (a missing header)", undefined, TOKEN, false],
    ["a secret vs undefined (an unset env var)", TOKEN, undefined, false],
    ["null vs null", null, null, false],
    ["a number vs its string", 12345, "12345", false],
    ["an array holding the secret", [TOKEN], TOKEN, false],
    ["an object that stringifies to the secret", { toString: () => TOKEN }, TOKEN, false],
  ])("%s -> %s", (_label, provided, expected, result) => {
    expect(secretEqual(provided, expected)).toBe(result);
  });

  it("is symmetric", () => {
    for (const [a, b] of [[TOKEN, TOKEN], [TOKEN, "other"], ["", TOKEN]]) {
      expect(secretEqual(a, b)).toBe(secretEqual(b, a));
    }
  });

  it("handles secrets longer than one hash block", () => {
    const long = "k".repeat(10_000);
    expect(secretEqual(long, "k".repeat(10_000))).toBe(true);
    expect(secretEqual(long, `${"k".repeat(9_999)}j`)).toBe(false);
  });
});

describe("bytesEqual", () => {
  const digest = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  const withByte = (index: number, value: number) => Uint8Array.from(digest, (byte, i) => (i === index ? value : byte));

  it.each<[string, Uint8Array, Uint8Array, boolean]>([
    ["equal", digest, Uint8Array.from(digest), true],
    ["both empty", new Uint8Array(0), new Uint8Array(0), true],
    ["different first byte", digest, withByte(0, digest[0] ^ 1), false],
    ["different last byte", digest, withByte(31, digest[31] ^ 0x80), false],
    ["a prefix", digest.subarray(0, 16), digest, false],
    ["longer", digest, Uint8Array.from([...digest, 1]), false],
    ["longer by a zero byte (out-of-range reads must not count as 0 = equal)", digest, Uint8Array.from([...digest, 0]), false],
    ["empty vs a digest", new Uint8Array(0), digest, false],
    ["lengths differing by a multiple of 256", new Uint8Array(256), new Uint8Array(512), false],
  ])("%s -> %s", (_label, a, b, expected) => {
    expect(bytesEqual(a, b)).toBe(expected);
    expect(bytesEqual(b, a)).toBe(expected);
  });
});
