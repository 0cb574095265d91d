// Document ids for the local runtime: opaque, unguessable strings that carry their table number,
// so `normalizeId` and `v.id("table")` checks can tell which table an id belongs to, as on Convex.
//
// Layout before encoding: varint(table number) ++ 16 random bytes ++ 2-byte Fletcher-16 checksum,
// written in lowercase base32 (no i, l, o, u). The checksum makes a mistyped or truncated id read as
// "not an id" instead of as an id of some other document.
import { randomBytes } from "./random.ts";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const DECODE = new Map([...ALPHABET].map((char, index) => [char, index]));
const RANDOM_BYTES = 16;

/** A fresh id for a document in the table with this number. */
export function newDocumentId(tableNumber: number): string {
  const body = [...encodeVarint(tableNumber), ...randomBytes(RANDOM_BYTES)];
  return base32Encode(Uint8Array.from([...body, ...fletcher16(body)]));
}

/** The table number an id was minted for, or null if the string is not a well-formed id. */
export function tableNumberOfId(id: string): number | null {
  if (id.length < 28 || id.length > 40) return null;
  const bytes = base32Decode(id);
  if (bytes === null || bytes.length < RANDOM_BYTES + 3) return null;
  const body = bytes.subarray(0, bytes.length - 2);
  const [sumA, sumB] = fletcher16(body);
  if (bytes[bytes.length - 2] !== sumA || bytes[bytes.length - 1] !== sumB) return null;
  const varint = decodeVarint(body);
  if (varint === null || body.length - varint.length !== RANDOM_BYTES) return null;
  return varint.value;
}

function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

function decodeVarint(bytes: Uint8Array): { value: number; length: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < Math.min(bytes.length, 5); i++) {
    value += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) return { value, length: i + 1 };
    scale *= 0x80;
  }
  return null;
}

function fletcher16(bytes: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 255;
    b = (b + a) % 255;
  }
  return [a, b];
}

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array | null {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = DECODE.get(char);
    if (value === undefined) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  // Leftover bits must be zero padding, so every id has exactly one spelling.
  if (buffer !== 0) return null;
  return Uint8Array.from(out);
}
