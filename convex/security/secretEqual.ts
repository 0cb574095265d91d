// The one comparison for secrets and tokens (webhook secrets, MCP tokens, visitor session tokens,
// the admin key): its running time does not reveal where two values differ or how long the
// expected one is, and it fails closed on anything that is not a non-empty string.
//
// Both inputs are first reduced to HMAC-SHA256 digests under a random key made once per process,
// then the two 32-byte digests are compared by XOR-accumulating every byte with no early exit. The
// comparison therefore always covers 32 bytes whatever the inputs' lengths, and an attacker cannot
// steer the digests byte by byte because they do not know the key. Hashing itself still costs time
// in proportion to each input's length (one SHA-256 block per 64 bytes), which reveals the secret's
// length at best to the nearest 64 bytes: the usual, accepted residue of this construction.
//
// Synchronous, with @noble/hashes (pure JS, as in convex/lib/hash.ts) rather than crypto.subtle,
// so queries, mutations, actions and HTTP actions can all call it without awaiting.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

let processKey: Uint8Array | null = null;

/**
 * The per-process HMAC key, drawn on first use rather than at import, so loading the module
 * does no work and asks the runtime for no randomness.
 */
function comparisonKey(): Uint8Array {
  if (processKey === null) processKey = crypto.getRandomValues(new Uint8Array(32));
  return processKey;
}

/**
 * The string's UTF-16 code units as bytes. Exact, unlike UTF-8 through TextEncoder, which turns
 * every lone surrogate into U+FFFD and would make different strings compare equal.
 */
function codeUnits(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit >> 8;
    bytes[2 * i + 1] = unit & 0xff;
  }
  return bytes;
}

/**
 * Whether two byte arrays are equal, in time that depends only on the longer length: every
 * position up to the longer length is visited and XOR-accumulated, and a length mismatch is
 * folded into the result rather than returned early. Meant for equal-length digests and MACs.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // Out-of-range reads give undefined; `| 0` makes them 0 without a data-dependent branch.
    diff |= (a[i] | 0) ^ (b[i] | 0);
  }
  return diff === 0;
}

/**
 * Whether `provided` equals `expected`, in constant time with respect to where they differ and to
 * their lengths. Fails closed: returns false when either value is not a string or is empty, so a
 * missing configured secret never matches a missing header.
 */
export function secretEqual(provided: unknown, expected: unknown): boolean {
  if (typeof provided !== "string" || typeof expected !== "string") return false;
  if (provided.length === 0 || expected.length === 0) return false;
  const key = comparisonKey();
  const providedDigest = hmac(sha256, key, codeUnits(provided));
  const expectedDigest = hmac(sha256, key, codeUnits(expected));
  return bytesEqual(providedDigest, expectedDigest);
}
