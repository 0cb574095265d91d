// Secret envelopes: round trips, a fresh IV each time, the exact stored format (checked against
// node:crypto), and one case per attack: tampering with any field, moving a ciphertext to another
// row, the wrong key, and a key rotation from start to finish. Keys are drawn at run time.
import { createDecipheriv, createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ENCRYPTION_KEY_ENV, loadKeyRing, PREVIOUS_ENCRYPTION_KEY_ENV, type KeyRing } from "../../../convex/security/encryptionKeys.ts";
import {
  decryptSecret,
  encryptSecret,
  last4Of,
  needsReencryption,
  reencryptSecret,
  ringKeyIds,
  SECRET_ALG,
  type SecretBinding,
} from "../../../convex/security/secretCrypto.ts";
import type { SecretEnvelope } from "../../../convex/lib/validators.ts";

const randomKey = () => crypto.getRandomValues(new Uint8Array(32));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

/** A ring from raw keys, through loadKeyRing as production builds it. */
function ringOf(current: Uint8Array, previous?: Uint8Array): KeyRing {
  const result = loadKeyRing({ [ENCRYPTION_KEY_ENV]: b64(current), [PREVIOUS_ENCRYPTION_KEY_ENV]: previous && b64(previous) });
  if (!result.ok) throw new Error(result.message);
  return result.ring;
}

const KEY1 = randomKey();
const KEY2 = randomKey();
const ring1 = ringOf(KEY1);

const ROW: SecretBinding = { table: "skillSecrets", owner: "skill_x", name: "RESEND_API_KEY" };
const SECRET = "re_live_0123456789abcdefWXYZ";

const FAILED = { ok: false, code: "SECRET_DECRYPT_FAILED" } as const;
const UNKNOWN = { ok: false, code: "SECRET_KEY_UNKNOWN" } as const;

/** The envelope with bit `bit` of byte `index` flipped in a base64 field (negative index from the end). */
function flipBit(envelope: SecretEnvelope, field: "iv" | "ciphertext", index: number, bit = 0): SecretEnvelope {
  const bytes = fromB64(envelope[field]);
  bytes[(index + bytes.length) % bytes.length] ^= 1 << bit;
  return { ...envelope, [field]: b64(bytes) };
}

/** The key id the design specifies, computed independently with node:crypto. */
const expectedKeyId = (key: Uint8Array) => createHmac("sha256", key).update("clawsync key id v1").digest("hex").slice(0, 16);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("round trip", () => {
  it.each<[string, string]>([
    ["ASCII", SECRET],
    ["unicode", "pässwörd · 密钥 · ключ · 🔑🗝️"],
    ["the empty string", ""],
    ["a 64 KB string", Array.from({ length: 65_536 }, (_, i) => String.fromCharCode(33 + ((i * 31) % 94))).join("")],
    ["JSON with quotes and newlines", '{"a":"b\\n","c":[1,2]}\n\t'],
  ])("%s", async (_label, plaintext) => {
    const { envelope } = await encryptSecret(ring1, plaintext, ROW);
    expect(await decryptSecret(ring1, envelope, ROW)).toEqual({ ok: true, plaintext });
  });

  it("writes the envelope the schema describes: alg, a 16-hex key id, a 12-byte IV, ciphertext plus a 16-byte tag", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(Object.keys(envelope).sort()).toEqual(["alg", "ciphertext", "iv", "keyId"]);
    expect(envelope.alg).toBe("AES-256-GCM");
    expect(envelope.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fromB64(envelope.iv)).toHaveLength(12);
    expect(fromB64(envelope.ciphertext)).toHaveLength(new TextEncoder().encode(SECRET).length + 16);
    expect(envelope.ciphertext).not.toContain(Buffer.from(SECRET).toString("base64").slice(0, 8));
  });

  it("decrypts with node:crypto given the documented additional data (the format is what the header says)", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    const sealed = fromB64(envelope.ciphertext);
    const decipher = createDecipheriv("aes-256-gcm", KEY1, fromB64(envelope.iv));
    decipher.setAAD(Buffer.from(JSON.stringify(["clawsync secret v1", "AES-256-GCM", envelope.keyId, ROW.table, ROW.owner, ROW.name])));
    decipher.setAuthTag(sealed.subarray(-16));
    const plaintext = Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]).toString("utf8");
    expect(plaintext).toBe(SECRET);
  });

  it("uses a fresh IV each time: two encryptions of one value differ and both decrypt", async () => {
    const first = await encryptSecret(ring1, SECRET, ROW);
    const second = await encryptSecret(ring1, SECRET, ROW);
    expect(second.envelope.iv).not.toBe(first.envelope.iv);
    expect(second.envelope.ciphertext).not.toBe(first.envelope.ciphertext);
    expect(await decryptSecret(ring1, first.envelope, ROW)).toEqual({ ok: true, plaintext: SECRET });
    expect(await decryptSecret(ring1, second.envelope, ROW)).toEqual({ ok: true, plaintext: SECRET });
  });

  it("draws IVs that do not repeat over 1000 encryptions", async () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 1000; i++) ivs.add((await encryptSecret(ring1, "x", ROW)).envelope.iv);
    expect(ivs.size).toBe(1000);
  });
});

describe("key id", () => {
  it("is the first 16 hex characters of HMAC-SHA256(key, 'clawsync key id v1')", async () => {
    expect(await ringKeyIds(ringOf(KEY1, KEY2))).toEqual({ current: expectedKeyId(KEY1), previous: expectedKeyId(KEY2) });
  });

  it("is stable for one key across rings and spellings, and differs between keys", async () => {
    const urlSafe = loadKeyRing({ [ENCRYPTION_KEY_ENV]: Buffer.from(KEY1).toString("base64url") });
    if (!urlSafe.ok) throw new Error(urlSafe.message);
    expect(urlSafe.ring).not.toBe(ring1);
    expect((await ringKeyIds(urlSafe.ring)).current).toBe((await ringKeyIds(ring1)).current);
    expect((await ringKeyIds(ringOf(KEY2))).current).not.toBe((await ringKeyIds(ring1)).current);
  });

  it("shares no run of 4 bytes with the key", async () => {
    const keyHex = Buffer.from(KEY1).toString("hex");
    const { current } = await ringKeyIds(ring1);
    for (let i = 0; i + 8 <= current.length; i += 2) expect(keyHex).not.toContain(current.slice(i, i + 8));
  });
});

describe("tampering", () => {
  it.each<[string, (envelope: SecretEnvelope) => SecretEnvelope]>([
    ["one bit of the ciphertext body", (e) => flipBit(e, "ciphertext", 0)],
    ["the top bit of the last ciphertext byte before the tag", (e) => flipBit(e, "ciphertext", -17, 7)],
    ["one bit of the tag", (e) => flipBit(e, "ciphertext", -1)],
    ["one bit of the IV", (e) => flipBit(e, "iv", 0)],
    ["the last bit of the IV", (e) => flipBit(e, "iv", -1, 7)],
    ["the alg field", (e) => ({ ...e, alg: "AES-128-GCM" }) as unknown as SecretEnvelope],
    ["the tag cut off", (e) => ({ ...e, ciphertext: b64(fromB64(e.ciphertext).subarray(0, -16)) })],
    ["the tag cut short by one byte", (e) => ({ ...e, ciphertext: b64(fromB64(e.ciphertext).subarray(0, -1)) })],
    ["an extra byte appended", (e) => ({ ...e, ciphertext: b64(Uint8Array.from([...fromB64(e.ciphertext), 0])) })],
    ["an empty ciphertext", (e) => ({ ...e, ciphertext: "" })],
    ["a 16-byte IV", (e) => ({ ...e, iv: b64(new Uint8Array(16)) })],
    ["an empty IV", (e) => ({ ...e, iv: "" })],
    ["an IV that is not base64", (e) => ({ ...e, iv: "%%%%%%%%%%%%%%%%" })],
    ["a ciphertext that is not base64", (e) => ({ ...e, ciphertext: `${e.ciphertext}!` })],
    ["another envelope's IV", (e) => ({ ...e, iv: b64(crypto.getRandomValues(new Uint8Array(12))) })],
  ])("%s -> SECRET_DECRYPT_FAILED", async (_label, tamper) => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await decryptSecret(ring1, tamper(envelope), ROW)).toEqual(FAILED);
  });

  it("a changed key id -> SECRET_KEY_UNKNOWN", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await decryptSecret(ring1, { ...envelope, keyId: "0000000000000000" }, ROW)).toEqual(UNKNOWN);
  });

  it("a key id switched to the ring's other key -> SECRET_DECRYPT_FAILED (the key id is authenticated too)", async () => {
    const ring = ringOf(KEY2, KEY1);
    const { envelope } = await encryptSecret(ring, SECRET, ROW);
    const { previous } = await ringKeyIds(ring);
    expect(await decryptSecret(ring, { ...envelope, keyId: previous ?? "" }, ROW)).toEqual(FAILED);
  });

  it("returns the failure as a value: no throw, no error text", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    const result = await decryptSecret(ring1, flipBit(envelope, "ciphertext", 0), ROW);
    expect(Object.keys(result).sort()).toEqual(["code", "ok"]);
  });
});

describe("a ciphertext moved to another row does not decrypt", () => {
  it.each<[string, SecretBinding]>([
    ["another skill, same secret name", { ...ROW, owner: "skill_y" }],
    ["same skill, another secret name", { ...ROW, name: "OPENAI_API_KEY" }],
    ["another table", { ...ROW, table: "channelSecrets" }],
    ["fields shifted between owner and name", { ...ROW, owner: "skill_xR", name: "ESEND_API_KEY" }],
    ["owner and name swapped", { table: ROW.table, owner: ROW.name, name: ROW.owner }],
    ["case changed", { ...ROW, name: "resend_api_key" }],
  ])("%s -> SECRET_DECRYPT_FAILED", async (_label, otherRow) => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await decryptSecret(ring1, envelope, otherRow)).toEqual(FAILED);
    expect(await decryptSecret(ring1, envelope, ROW)).toEqual({ ok: true, plaintext: SECRET });
  });

  it.each<[string, SecretBinding]>([
    ["an empty table", { ...ROW, table: "" }],
    ["an empty owner", { ...ROW, owner: "" }],
    ["an empty name", { ...ROW, name: "" }],
  ])("refuses a binding with %s, when encrypting and decrypting", async (_label, binding) => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    await expect(encryptSecret(ring1, SECRET, binding)).rejects.toThrow(TypeError);
    await expect(decryptSecret(ring1, envelope, binding)).rejects.toThrow(TypeError);
  });
});

describe("the wrong key", () => {
  it("a ring with a different key -> SECRET_KEY_UNKNOWN", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await decryptSecret(ringOf(KEY2), envelope, ROW)).toEqual(UNKNOWN);
  });

  it("a ring with a different key and the key id forced to match -> SECRET_DECRYPT_FAILED", async () => {
    const other = ringOf(KEY2);
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    const forged = { ...envelope, keyId: (await ringKeyIds(other)).current };
    expect(await decryptSecret(other, forged, ROW)).toEqual(FAILED);
  });
});

describe("rotation", () => {
  it("runs from key 1 to key 2: old rows still read, get flagged, are re-encrypted, and key 1 can go", async () => {
    const { envelope: old } = await encryptSecret(ring1, SECRET, ROW);
    const rotating = ringOf(KEY2, KEY1);
    const ids = await ringKeyIds(rotating);

    expect(await decryptSecret(rotating, old, ROW)).toEqual({ ok: true, plaintext: SECRET });
    expect(await needsReencryption(rotating, old)).toBe(true);

    const moved = await reencryptSecret(rotating, old, ROW);
    if (!moved.ok) throw new Error(moved.code);
    expect(moved.envelope.keyId).toBe(ids.current);
    expect(moved.envelope.keyId).toBe(expectedKeyId(KEY2));
    expect(moved.last4).toBe("WXYZ");
    expect(await needsReencryption(rotating, moved.envelope)).toBe(false);

    expect(await decryptSecret(ringOf(KEY2), moved.envelope, ROW)).toEqual({ ok: true, plaintext: SECRET });
    expect(await decryptSecret(ring1, moved.envelope, ROW)).toEqual(UNKNOWN);
  });

  it("encrypts new secrets with the current key only", async () => {
    const rotating = ringOf(KEY2, KEY1);
    const { envelope } = await encryptSecret(rotating, SECRET, ROW);
    expect(envelope.keyId).toBe(expectedKeyId(KEY2));
    expect(await decryptSecret(ring1, envelope, ROW)).toEqual(UNKNOWN);
  });

  it("does not flag an envelope already under the current key", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await needsReencryption(ring1, envelope)).toBe(false);
  });

  it("refuses to re-encrypt an envelope under a key the ring does not hold -> SECRET_KEY_UNKNOWN", async () => {
    const { envelope } = await encryptSecret(ringOf(randomKey()), SECRET, ROW);
    expect(await reencryptSecret(ringOf(KEY2, KEY1), envelope, ROW)).toEqual(UNKNOWN);
  });

  it("refuses to re-encrypt a tampered envelope -> SECRET_DECRYPT_FAILED", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    expect(await reencryptSecret(ringOf(KEY2, KEY1), flipBit(envelope, "ciphertext", 0), ROW)).toEqual(FAILED);
  });

  it("re-encryption keeps the row binding: the result does not decrypt for another row", async () => {
    const { envelope } = await encryptSecret(ring1, SECRET, ROW);
    const moved = await reencryptSecret(ringOf(KEY2, KEY1), envelope, ROW);
    if (!moved.ok) throw new Error(moved.code);
    expect(await decryptSecret(ringOf(KEY2), moved.envelope, { ...ROW, owner: "skill_y" })).toEqual(FAILED);
  });
});

describe("last4", () => {
  it.each<[string, string, string]>([
    ["empty", "", ""],
    ["3 characters", "abc", ""],
    ["11 characters", "abcdefghijk", ""],
    ["exactly 12 characters", "abcdefghijkl", "ijkl"],
    ["a long API key", SECRET, "WXYZ"],
    ["ending in an emoji, counted as one character", "abcdefghij🔑🗝x", "j🔑🗝x"],
    ["11 characters, one of them an emoji (12 UTF-16 units)", "abcdefghij🔑", ""],
  ])("%s -> %j", async (_label, plaintext, expected) => {
    expect(last4Of(plaintext)).toBe(expected);
    expect((await encryptSecret(ring1, plaintext, ROW)).last4).toBe(expected);
  });
});

describe("key import", () => {
  it("imports each key once per ring, as non-extractable CryptoKeys", async () => {
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const ring = ringOf(randomKey(), randomKey());
    for (let i = 0; i < 3; i++) {
      const { envelope } = await encryptSecret(ring, SECRET, ROW);
      await decryptSecret(ring, envelope, ROW);
    }
    await needsReencryption(ring, (await encryptSecret(ring, SECRET, ROW)).envelope);
    // Two keys, each imported once for HMAC (the key id) and once for AES-GCM.
    expect(importKey).toHaveBeenCalledTimes(4);
    for (const call of importKey.mock.calls) expect(call[3]).toBe(false);
  });

  it("tries again after a failed import instead of caching the failure", async () => {
    const ring = ringOf(randomKey());
    vi.spyOn(crypto.subtle, "importKey").mockRejectedValueOnce(new Error("no WebCrypto here"));
    await expect(encryptSecret(ring, SECRET, ROW)).rejects.toThrow();
    const { envelope } = await encryptSecret(ring, SECRET, ROW);
    expect(await decryptSecret(ring, envelope, ROW)).toEqual({ ok: true, plaintext: SECRET });
  });

  it("reports an import failure during decryption as SECRET_DECRYPT_FAILED, without its text", async () => {
    const ring = ringOf(randomKey());
    const { envelope } = await encryptSecret(ringOf(KEY1), SECRET, ROW);
    vi.spyOn(crypto.subtle, "importKey").mockRejectedValueOnce(new Error("internal detail"));
    expect(await decryptSecret(ring, envelope, ROW)).toEqual(FAILED);
  });
});

describe("SECRET_ALG", () => {
  it("is the schema's literal", () => {
    expect(SECRET_ALG).toBe("AES-256-GCM");
  });
});
