// SHA-256 for tokens: only hashes are stored, so a database read reveals no usable token.
// @noble/hashes is synchronous and runs in every Convex runtime (queries included), unlike
// crypto.subtle, whose availability differs between queries, mutations and actions.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** Lowercase hex SHA-256 of a UTF-8 string, or of bytes as they are. */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === "string" ? new TextEncoder().encode(data) : data));
}
