// Encryption of stored secrets (skill, channel and MCP-server secrets) as AES-256-GCM envelopes,
// with the key id in the envelope so rotation can find rows under an old key.
//
// Every envelope is bound to its row: the additional authenticated data is the canonical JSON of
// [format, alg, keyId, table, owner, name], so a ciphertext copied into another row, another
// secret name or another table fails to decrypt instead of handing one skill another's secret.
// Each encryption draws a fresh 96-bit IV from crypto.getRandomValues (random IVs stay safe for
// far more than the 2^32 encryptions per key any deployment will make).
//
// Pure: WebCrypto and TextEncoder only, so it runs in Convex's default runtime and in Node.
// Encrypt in actions: queries and mutations get seeded, replayable randomness, not fresh IVs.
// Decryption never throws and never passes on the underlying error's text: a failure is a code.
import type { SecretEnvelope } from "../lib/validators";
import { decodeBase64, encodeBase64, type KeyMaterial, type KeyRing } from "./encryptionKeys";

/** The only algorithm this module writes or reads. */
export const SECRET_ALG = "AES-256-GCM" as const;
/** GCM nonce length in bytes (the size GCM is designed for). */
const IV_BYTES = 12;
/** GCM tag length in bytes; the ciphertext field carries it at its end. */
const TAG_BYTES = 16;
/** Label of the key id derivation; changing it changes every key id. */
const KEY_ID_LABEL = "clawsync key id v1";
/** Format tag at the front of the additional data, so a future format cannot be confused with this one. */
const AAD_FORMAT = "clawsync secret v1";
/** Shortest secret, in characters, whose last 4 may be shown. */
export const LAST4_MIN_CHARS = 12;

/** The row a secret belongs to, e.g. `{ table: "skillSecrets", owner: skillId, name: "RESEND_API_KEY" }`. */
export type SecretBinding = {
  /** Table the envelope is stored in. */
  table: string;
  /** Id of whatever owns the secret (skill, channel, MCP server). */
  owner: string;
  /** The secret's name within its owner. */
  name: string;
};

export type SecretDecryptErrorCode = "SECRET_DECRYPT_FAILED" | "SECRET_KEY_UNKNOWN";
/** Why a secret could not be read: no underlying error text, nothing about the key. */
export type SecretDecryptFailure = { ok: false; code: SecretDecryptErrorCode };
export type SecretDecryptResult = { ok: true; plaintext: string } | SecretDecryptFailure;
export type EncryptedSecret = { envelope: SecretEnvelope; last4: string };
export type SecretReencryptResult = ({ ok: true } & EncryptedSecret) | SecretDecryptFailure;

type ImportedKey = { keyId: string; aes: CryptoKey };
type ImportedRing = { current: ImportedKey; previous: ImportedKey | null };

/** Imported keys per ring object; weak, so a dropped ring drops its CryptoKeys. */
const imported = new WeakMap<KeyRing, Promise<ImportedRing>>();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Imports one key for AES-GCM, non-extractable, and derives its id: 16 hex characters of
 * HMAC-SHA256(key, label). The id is one-way and keyed by the key itself, so it names the key
 * without helping anyone guess it. The copy of the raw bytes is wiped once imported.
 */
async function importKey(material: KeyMaterial): Promise<ImportedKey> {
  const raw = material.bytes();
  try {
    const mac = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const digest = new Uint8Array(await crypto.subtle.sign("HMAC", mac, new TextEncoder().encode(KEY_ID_LABEL)));
    const aes = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    return { keyId: hex(digest.subarray(0, 8)), aes };
  } finally {
    raw.fill(0);
  }
}

/** The ring's keys as non-extractable CryptoKeys, imported once per ring. */
function importRing(ring: KeyRing): Promise<ImportedRing> {
  let pending = imported.get(ring);
  if (pending === undefined) {
    pending = (async () => ({
      current: await importKey(ring.current),
      previous: ring.previous === null ? null : await importKey(ring.previous),
    }))();
    // A failed import (no WebCrypto, say) is not cached, so the next call tries again.
    pending.catch(() => imported.delete(ring));
    imported.set(ring, pending);
  }
  return pending;
}

/** The key ids of a ring, e.g. for a rotation job or an audit that counts rows per key. */
export async function ringKeyIds(ring: KeyRing): Promise<{ current: string; previous: string | null }> {
  const keys = await importRing(ring);
  return { current: keys.current.keyId, previous: keys.previous?.keyId ?? null };
}

function assertBinding(binding: SecretBinding): void {
  for (const field of ["table", "owner", "name"] as const) {
    if (typeof binding[field] !== "string" || binding[field] === "") {
      throw new TypeError(`A secret binding needs a non-empty ${field}`);
    }
  }
}

/**
 * The additional authenticated data: JSON of a fixed-order array of strings, which has exactly one
 * spelling for each value and no ambiguity between fields ("a","bc" vs "ab","c").
 */
function additionalData(alg: string, keyId: string, binding: SecretBinding): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify([AAD_FORMAT, alg, keyId, binding.table, binding.owner, binding.name]));
}

/**
 * The masked display value: the last 4 characters of a secret of at least 12 characters, "" for a
 * shorter one (4 of fewer than 12 characters would give away a third of it or more). Counts code
 * points, so an emoji is never cut in half.
 */
export function last4Of(plaintext: string): string {
  const chars = Array.from(plaintext);
  return chars.length >= LAST4_MIN_CHARS ? chars.slice(-4).join("") : "";
}

/**
 * Encrypts a secret under the ring's current key, bound to its row. Returns the envelope to store
 * and its `last4`. Throws only on a bad binding or a runtime without WebCrypto (no secret in the
 * message).
 */
export async function encryptSecret(ring: KeyRing, plaintext: string, binding: SecretBinding): Promise<EncryptedSecret> {
  assertBinding(binding);
  const { current } = await importRing(ring);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(SECRET_ALG, current.keyId, binding), tagLength: TAG_BYTES * 8 },
    current.aes,
    new TextEncoder().encode(plaintext),
  );
  return {
    envelope: { alg: SECRET_ALG, keyId: current.keyId, iv: encodeBase64(iv), ciphertext: encodeBase64(new Uint8Array(sealed)) },
    last4: last4Of(plaintext),
  };
}

/**
 * Decrypts an envelope for the row it was written for, with whichever ring key its key id names.
 * SECRET_KEY_UNKNOWN: no key in the ring has that id (a key removed too early, or another
 * deployment's row). SECRET_DECRYPT_FAILED: anything else (tampered, moved to another row, malformed).
 */
export async function decryptSecret(ring: KeyRing, envelope: SecretEnvelope, binding: SecretBinding): Promise<SecretDecryptResult> {
  assertBinding(binding);
  const failed: SecretDecryptFailure = { ok: false, code: "SECRET_DECRYPT_FAILED" };
  try {
    if (envelope.alg !== SECRET_ALG) return failed;
    const keys = await importRing(ring);
    const key = [keys.current, keys.previous].find((candidate) => candidate?.keyId === envelope.keyId);
    if (key === undefined || key === null) return { ok: false, code: "SECRET_KEY_UNKNOWN" };
    const iv = decodeBase64(envelope.iv);
    const sealed = decodeBase64(envelope.ciphertext);
    if (iv === null || iv.length !== IV_BYTES || sealed === null || sealed.length < TAG_BYTES) return failed;
    const opened = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: additionalData(envelope.alg, envelope.keyId, binding), tagLength: TAG_BYTES * 8 },
      key.aes,
      sealed,
    );
    return { ok: true, plaintext: new TextDecoder("utf-8", { fatal: true }).decode(opened) };
  } catch {
    // The cause (usually OperationError from a failed tag check) says nothing a caller may act on.
    return failed;
  }
}

/** Whether the envelope was written under a key other than the ring's current one. */
export async function needsReencryption(ring: KeyRing, envelope: SecretEnvelope): Promise<boolean> {
  const { current } = await ringKeyIds(ring);
  return envelope.keyId !== current;
}

/**
 * Decrypts with whichever ring key matches and encrypts again under the current key, for the
 * rotation job. The binding stays the same: a secret never changes rows on the way.
 */
export async function reencryptSecret(ring: KeyRing, envelope: SecretEnvelope, binding: SecretBinding): Promise<SecretReencryptResult> {
  const opened = await decryptSecret(ring, envelope, binding);
  if (!opened.ok) return opened;
  return { ok: true, ...(await encryptSecret(ring, opened.plaintext, binding)) };
}
