// The encryption key configuration: which env values make a key ring and which are refused, with
// which code, and that no refusal and no ring ever shows the key. Every key here is drawn at run
// time, so this file holds no key-shaped literal.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";

import {
  decodeBase64,
  encodeBase64,
  ENCRYPTION_KEY_ENV,
  keyWeakness,
  loadKeyRing,
  looksLikePlaceholder,
  PREVIOUS_ENCRYPTION_KEY_ENV,
  type KeyRingErrorCode,
} from "../../../convex/security/encryptionKeys.ts";

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const counting = Uint8Array.from({ length: 32 }, (_, i) => i);
const pattern4 = Uint8Array.from({ length: 32 }, (_, i) => [0x13, 0x9a, 0xc4, 0x7e][i % 4]);
const half = randomBytes(16);
const twoHalves = Uint8Array.from([...half, ...half]);
const eightValues = Uint8Array.from({ length: 32 }, (_, i) => [0x01, 0x80, 0x9f, 0xe3, 0x44, 0x17, 0xbb, 0xd0][(i * 7 + (i >> 2)) % 8]);
const passphrase = new TextEncoder().encode("correct-horse-battery-staple-123");
/** 43 lower-case letters: valid unpadded base64 of 32 bytes, and plainly someone's typed text. */
const typedText = "correcthorsebatterystaplecorrecthorsebattes";

type Case = [label: string, env: Record<string, string | undefined>, code: KeyRingErrorCode];

const current = (value: string | undefined) => ({ [ENCRYPTION_KEY_ENV]: value });

const REFUSED: Case[] = [
  ["missing", {}, "ENCRYPTION_KEY_MISSING"],
  ["undefined", current(undefined), "ENCRYPTION_KEY_MISSING"],
  ["empty", current(""), "ENCRYPTION_KEY_MISSING"],
  ["only whitespace", current("  \n"), "ENCRYPTION_KEY_MISSING"],
  ["only a previous key", { [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(KEY) }, "ENCRYPTION_KEY_MISSING"],
  ["not base64", current("not a key at all!"), "ENCRYPTION_KEY_INVALID"],
  ["base64 with a space inside", current(`${b64(KEY).slice(0, 20)} ${b64(KEY).slice(20)}`), "ENCRYPTION_KEY_INVALID"],
  ["standard and url-safe alphabets mixed", current(`+-${b64(KEY).slice(2)}`), "ENCRYPTION_KEY_INVALID"],
  ["padding on a length that is not a multiple of 4", current(`${b64url(KEY)}==`), "ENCRYPTION_KEY_INVALID"],
  ["too much padding", current(`${b64(KEY).slice(0, 43)}===`), "ENCRYPTION_KEY_INVALID"],
  ["hex instead of base64", current(hexOf(KEY)), "ENCRYPTION_KEY_INVALID"],
  ["16 bytes", current(b64(randomBytes(16))), "ENCRYPTION_KEY_WEAK"],
  ["31 bytes", current(b64(randomBytes(31))), "ENCRYPTION_KEY_WEAK"],
  ["33 bytes", current(b64(randomBytes(33))), "ENCRYPTION_KEY_WEAK"],
  ["64 bytes", current(b64(randomBytes(64))), "ENCRYPTION_KEY_WEAK"],
  ["all-zero 32 bytes", current(b64(new Uint8Array(32))), "ENCRYPTION_KEY_WEAK"],
  ["32 bytes of 0xff", current(b64(new Uint8Array(32).fill(0xff))), "ENCRYPTION_KEY_WEAK"],
  ["a repeating 4-byte pattern", current(b64(pattern4)), "ENCRYPTION_KEY_WEAK"],
  ["16 random bytes twice", current(b64(twoHalves)), "ENCRYPTION_KEY_WEAK"],
  ["a counting sequence 00 01 02 ..", current(b64(counting)), "ENCRYPTION_KEY_WEAK"],
  ["only 8 distinct byte values", current(b64(eightValues)), "ENCRYPTION_KEY_WEAK"],
  ["a base64-encoded passphrase", current(b64(passphrase)), "ENCRYPTION_KEY_WEAK"],
  ["typed lower-case text that happens to be base64", current(typedText), "ENCRYPTION_KEY_WEAK"],
  ["the upstream docs' placeholder", current("<generate-a-random-256-bit-key>"), "ENCRYPTION_KEY_WEAK"],
  ["a your-key placeholder", current("your-32-byte-encryption-key"), "ENCRYPTION_KEY_WEAK"],
  ["CHANGE_ME", current("CHANGE_ME"), "ENCRYPTION_KEY_WEAK"],
  ["replace-me", current("replace-me-with-a-real-key"), "ENCRYPTION_KEY_WEAK"],
  ["previous equal to current", { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(KEY) }, "ENCRYPTION_KEY_INVALID"],
  [
    "previous equal to current, spelt url-safe and unpadded",
    { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64url(KEY) },
    "ENCRYPTION_KEY_INVALID",
  ],
  ["a weak previous key", { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(new Uint8Array(32)) }, "ENCRYPTION_KEY_WEAK"],
  ["a malformed previous key", { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: "%%%" }, "ENCRYPTION_KEY_INVALID"],
];

/** Every 8-character window of each env value: none of them may appear in a message. */
function fragmentsOf(env: Record<string, string | undefined>): string[] {
  const fragments: string[] = [];
  for (const value of Object.values(env)) {
    const text = (value ?? "").trim();
    for (let i = 0; i + 8 <= text.length; i++) fragments.push(text.slice(i, i + 8));
    if (text.length > 0 && text.length < 8) fragments.push(text);
  }
  return fragments;
}

describe("loadKeyRing: refusals", () => {
  it.each(REFUSED)("%s -> %s", (_label, env, code) => {
    const result = loadKeyRing(env);
    expect(result).toEqual({ ok: false, code, message: expect.any(String) });
  });

  it.each(REFUSED)("%s: the message never quotes the value", (_label, env) => {
    const result = loadKeyRing(env);
    if (result.ok) throw new Error("expected a refusal");
    for (const fragment of fragmentsOf(env)) expect(result.message).not.toContain(fragment);
    expect(result.message).not.toContain(hexOf(KEY).slice(0, 8));
  });

  it.each(REFUSED)("%s: the message says how to make a key, or why the previous one is wrong", (_label, env) => {
    const result = loadKeyRing(env);
    if (result.ok) throw new Error("expected a refusal");
    expect(result.message).toMatch(/openssl rand -base64 32|leave it unset/);
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    ["missing", {}, `${ENCRYPTION_KEY_ENV} is not set, so secrets cannot be stored or read. Generate one with \`openssl rand -base64 32\`.`],
    ["not base64", current("not a key at all!"), `${ENCRYPTION_KEY_ENV} is not valid base64. Generate one with \`openssl rand -base64 32\`.`],
    ["16 bytes", current(b64(randomBytes(16))), `${ENCRYPTION_KEY_ENV} decodes to 16 bytes; it must be exactly 32. Generate one with \`openssl rand -base64 32\`.`],
    ["all zero", current(b64(new Uint8Array(32))), `${ENCRYPTION_KEY_ENV} is not random: every byte is the same. Generate one with \`openssl rand -base64 32\`.`],
    [
      "a placeholder",
      current("<generate-a-random-256-bit-key>"),
      `${ENCRYPTION_KEY_ENV} is an example placeholder, not a key of your own. Generate one with \`openssl rand -base64 32\`.`,
    ],
    [
      "typed text",
      current(typedText),
      `${ENCRYPTION_KEY_ENV} reads as text (a password or passphrase), not random bytes. Generate one with \`openssl rand -base64 32\`.`,
    ],
    [
      "a hex key",
      current(hexOf(KEY)),
      `${ENCRYPTION_KEY_ENV} looks like hex (openssl rand -hex 32); it must be base64. Generate one with \`openssl rand -base64 32\`.`,
    ],
    [
      "a weak previous key",
      { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(counting) },
      `${PREVIOUS_ENCRYPTION_KEY_ENV} is not random: it is a counting sequence. Generate one with \`openssl rand -base64 32\`.`,
    ],
    [
      "previous equal to current",
      { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(KEY) },
      `${PREVIOUS_ENCRYPTION_KEY_ENV} is the same key as ${ENCRYPTION_KEY_ENV}; during a rotation it holds the old key, otherwise leave it unset.`,
    ],
  ])("%s: exact message", (_label, env, message) => {
    expect(loadKeyRing(env)).toMatchObject({ ok: false, message });
  });
});

describe("loadKeyRing: accepted", () => {
  it.each<[string, string]>([
    ["standard base64, padded", b64(KEY)],
    ["standard base64, unpadded", b64(KEY).replace(/=+$/, "")],
    ["url-safe base64, unpadded", b64url(KEY)],
    ["url-safe base64, padded", `${b64url(KEY)}=`],
    ["with the trailing newline a pipe leaves", `${b64(KEY)}\n`],
  ])("a valid current key only: %s", (_label, value) => {
    const result = loadKeyRing(current(value));
    if (!result.ok) throw new Error(result.message);
    expect(result.ring.current.bytes()).toEqual(KEY);
    expect(result.ring.previous).toBeNull();
  });

  it("a valid current key and a valid previous key", () => {
    const result = loadKeyRing({ ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64url(OTHER_KEY) });
    if (!result.ok) throw new Error(result.message);
    expect(result.ring.current.bytes()).toEqual(KEY);
    expect(result.ring.previous?.bytes()).toEqual(OTHER_KEY);
  });

  it.each(["", "   "])("treats a previous key of %j as unset", (previous) => {
    const result = loadKeyRing({ ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: previous });
    expect(result.ok && result.ring.previous).toBeNull();
  });

  it("gives the same ring object for the same values, so keys are imported once", () => {
    const env = { ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(OTHER_KEY) };
    const first = loadKeyRing(env);
    const second = loadKeyRing({ ...env });
    expect(first.ok && second.ok && first.ring === second.ring).toBe(true);
    const changed = loadKeyRing(current(b64(KEY)));
    expect(changed.ok && first.ok && changed.ring !== first.ring).toBe(true);
  });

  it("accepts 200 freshly drawn keys (no false alarms from the weakness checks)", () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(32);
      expect(loadKeyRing(current(b64(key))).ok, b64(key)).toBe(true);
      expect(loadKeyRing(current(b64url(key))).ok, b64url(key)).toBe(true);
    }
  });

  it("never shows key material when a ring is logged, inspected, serialised or stringified", () => {
    const result = loadKeyRing({ ...current(b64(KEY)), [PREVIOUS_ENCRYPTION_KEY_ENV]: b64(OTHER_KEY) });
    if (!result.ok) throw new Error(result.message);
    const shown = [JSON.stringify(result.ring), inspect(result.ring, { depth: 10, showHidden: true }), String(result.ring.current), `${result.ring.previous}`];
    for (const text of shown) {
      for (const key of [KEY, OTHER_KEY]) {
        expect(text).not.toContain(b64(key).slice(0, 8));
        expect(text).not.toContain(hexOf(key).slice(0, 8));
        expect(text).not.toMatch(new RegExp(`\\b${key[0]}, ${key[1]}, ${key[2]}\\b`));
      }
    }
    expect(JSON.stringify(result.ring)).toBe('{"current":"[encryption key]","previous":"[encryption key]"}');
  });

  it("hands out copies of the key bytes, so a caller cannot change the ring's key", () => {
    const result = loadKeyRing(current(b64(KEY)));
    if (!result.ok) throw new Error(result.message);
    result.ring.current.bytes().fill(0);
    expect(result.ring.current.bytes()).toEqual(KEY);
  });
});

describe("keyWeakness", () => {
  it.each<[string, Uint8Array, string | null]>([
    ["all zero", new Uint8Array(32), "every byte is the same"],
    ["a 4-byte pattern", pattern4, "it repeats a short pattern"],
    ["16 bytes twice", twoHalves, "it repeats a short pattern"],
    ["counting up", counting, "it is a counting sequence"],
    ["counting down by 3", Uint8Array.from({ length: 32 }, (_, i) => (250 - 3 * i + 256) % 256), "it is a counting sequence"],
    ["8 distinct values", eightValues, "it uses fewer than 16 distinct byte values"],
    ["printable text", passphrase, "it is printable text (a password or passphrase), not random bytes"],
    ["random", KEY, null],
  ])("%s -> %s", (_label, bytes, expected) => {
    expect(keyWeakness(bytes)).toBe(expected);
  });
});

describe("looksLikePlaceholder", () => {
  it.each<[string, boolean]>([
    ["<generate-a-random-256-bit-key>", true],
    ["<your key>", true],
    ["{{ENCRYPTION_KEY}}", true],
    ["paste...", true],
    ["your-32-byte-encryption-key", true],
    ["YOUR_32_BYTE_BASE64_KEY", true],
    ["changeme", true],
    ["Replace-Me", true],
    ["example-key-do-not-use", true],
    ["placeholder", true],
    ["skill_secret_encryption_key", true],
    [b64(KEY), false],
  ])("%j -> %s", (value, expected) => {
    expect(looksLikePlaceholder(value)).toBe(expected);
  });

  it("does not mistake 1000 freshly drawn keys for placeholders", () => {
    for (let i = 0; i < 1000; i++) expect(looksLikePlaceholder(b64(randomBytes(32)))).toBe(false);
  });
});

describe("decodeBase64 / encodeBase64", () => {
  it("agree with Node's Buffer on every length from 0 to 70 bytes, in both alphabets", () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      expect(encodeBase64(bytes)).toBe(b64(bytes));
      expect(decodeBase64(b64(bytes))).toEqual(bytes);
      expect(decodeBase64(b64url(bytes))).toEqual(bytes);
      expect(decodeBase64(b64(bytes).replace(/=+$/, ""))).toEqual(bytes);
    }
  });

  it.each<[string, string]>([
    ["a character outside both alphabets", "QUJD*A=="],
    ["whitespace", "QUJD RA=="],
    ["a single trailing character", "QUJDR"],
    ["padding on an unpadded length", "QUJDRA="],
    ["three padding characters", "QQ==="],
    ["padding in the middle", "QQ==QQ=="],
    ["non-zero unused bits", "QUJDRB=="],
    ["both alphabets", "+-AA"],
  ])("refuses %s", (_label, text) => {
    expect(decodeBase64(text)).toBeNull();
  });
});
