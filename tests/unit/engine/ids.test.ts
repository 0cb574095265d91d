// Document ids of the local runtime: they carry their table number, use lowercase base32 without
// i, l, o, u, and anything mistyped, truncated, extended or re-spelled reads as "not an id".
import { describe, expect, it } from "vitest";

import { newDocumentId, tableNumberOfId } from "../../../local/engine/ids.ts";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{28,}$/;

/** An independent encoder, to build ids the engine never mints: varint, body, Fletcher-16, base32. */
function craftId(tableNumber: number, randomLength: number, options: { varint?: number[] } = {}): string {
  const varint: number[] = options.varint ?? [];
  if (options.varint === undefined) {
    let rest = tableNumber;
    while (rest >= 128) {
      varint.push((rest % 128) | 128);
      rest = Math.floor(rest / 128);
    }
    varint.push(rest);
  }
  const body = [...varint, ...Array.from({ length: randomLength }, (_, i) => (i * 37 + 11) % 256)];
  let a = 0;
  let b = 0;
  for (const byte of body) {
    a = (a + byte) % 255;
    b = (b + a) % 255;
  }
  const bits = [...body, a, b].map((byte) => byte.toString(2).padStart(8, "0")).join("");
  const padded = bits.padEnd(Math.ceil(bits.length / 5) * 5, "0");
  let out = "";
  for (let i = 0; i < padded.length; i += 5) out += ALPHABET[parseInt(padded.slice(i, i + 5), 2)];
  return out;
}

function replaceAt(text: string, index: number, char: string): string {
  return text.slice(0, index) + char + text.slice(index + 1);
}

describe("newDocumentId / tableNumberOfId round trip", () => {
  it.each([
    [1, 31],
    [2, 31],
    [127, 31],
    [128, 32],
    [10001, 32],
    [2 ** 20, 34],
    [2 ** 28, 37],
  ])("table %i: id of %i chars decodes back to the table number", (table, length) => {
    const id = newDocumentId(table);
    expect(id).toHaveLength(length);
    expect(id).toMatch(ID_PATTERN);
    expect(tableNumberOfId(id)).toBe(table);
  });

  it("mints unique ids of the lowercase base32 alphabet, at least 28 chars long", () => {
    const ids = Array.from({ length: 2000 }, () => newDocumentId(10001));
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
  });

  it("agrees with an independent encoder of the documented layout", () => {
    expect(tableNumberOfId(craftId(10001, 16))).toBe(10001);
    expect(tableNumberOfId(craftId(1, 16))).toBe(1);
  });
});

describe("tableNumberOfId refuses what is not an id", () => {
  const id = newDocumentId(1);

  it.each(["i", "l", "o", "u", "I", "L", "O", "U", "A", "Z", "-", "_", "=", " ", "é"])(
    "a character outside the alphabet (%j)",
    (char) => {
      expect(tableNumberOfId(replaceAt(id, 5, char))).toBeNull();
    },
  );

  it("an id spelled in uppercase", () => {
    expect(tableNumberOfId(replaceAt(id, 0, "A").toUpperCase())).toBeNull();
  });

  it("every single-character change, at every position (checksum or padding)", () => {
    for (let position = 0; position < id.length; position++) {
      for (const char of ALPHABET) {
        if (char === id[position]) continue;
        expect(tableNumberOfId(replaceAt(id, position, char)), `position ${position} -> ${char}`).toBeNull();
      }
    }
  });

  it("two adjacent characters swapped (a fixed id, so the outcome never depends on chance)", () => {
    const fixed = craftId(10001, 16);
    for (let position = 0; position + 1 < fixed.length; position++) {
      if (fixed[position] === fixed[position + 1]) continue;
      const swapped = fixed.slice(0, position) + fixed[position + 1] + fixed[position] + fixed.slice(position + 2);
      expect(tableNumberOfId(swapped), `swap at ${position}`).toBeNull();
    }
  });

  it.each([1, 2, 3, 4, 8])("the id truncated by %i characters", (cut) => {
    expect(tableNumberOfId(id.slice(0, id.length - cut))).toBeNull();
  });

  it.each(["0", "00", "a", "0000000"])("the id extended with %j", (suffix) => {
    expect(tableNumberOfId(id + suffix)).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["27 valid characters", "0".repeat(27)],
    ["41 valid characters", "0".repeat(41)],
    ["a megabyte", "a".repeat(1 << 20)],
  ])("%s", (_name, text) => {
    expect(tableNumberOfId(text)).toBeNull();
  });

  it("non-canonical padding: the unused low bits of the last character set", () => {
    // Table 1 ids hold 19 bytes = 152 bits in 31 characters (155 bits): the last 3 bits are padding.
    const last = ALPHABET.indexOf(id[id.length - 1]);
    expect(last & 0b111).toBe(0);
    for (const padding of [1, 2, 4, 7]) {
      expect(tableNumberOfId(replaceAt(id, id.length - 1, ALPHABET[last | padding]))).toBeNull();
    }
  });

  it.each([
    [15, 31],
    [17, 34],
    [20, 39],
  ])("a well-checksummed id with %i random bytes instead of 16 (%i chars)", (randomLength, length) => {
    const crafted = craftId(10001, randomLength);
    expect(crafted).toHaveLength(length);
    expect(tableNumberOfId(crafted)).toBeNull();
  });

  it("a varint longer than 5 bytes", () => {
    expect(tableNumberOfId(craftId(0, 16, { varint: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01] }))).toBeNull();
  });
});
