import { describe, expect, it } from "vitest";

import { randomBytes } from "../../../local/engine/random.ts";

describe("pooled random bytes", () => {
  it("hands out the requested number of bytes, never the same run twice, across pool refills", () => {
    const seen = new Set<string>();
    // 16-byte draws over ten pools' worth of bytes, so the pool is refilled many times.
    for (let i = 0; i < 2560; i++) {
      const bytes = randomBytes(16);
      expect(bytes.length).toBe(16);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(2560);
  });

  it("returns a copy: changing it does not change later draws", () => {
    const first = randomBytes(8);
    first.fill(0);
    const zeros = Array.from({ length: 64 }, () => randomBytes(8).equals(Buffer.alloc(8))).filter(Boolean);
    expect(zeros).toHaveLength(0);
  });

  it("uses every bit value: the bytes are not stuck", () => {
    const bytes = Buffer.concat(Array.from({ length: 512 }, () => randomBytes(8)));
    expect(new Set(bytes).size).toBeGreaterThan(200);
  });

  it("refuses more than a pool at once", () => {
    expect(() => randomBytes(4097)).toThrow(RangeError);
  });
});
