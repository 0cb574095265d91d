// Random bytes for document and request ids, from the system CSPRNG in 4 KiB batches: several ids
// are made per commit, and a call into the CSPRNG per id costs far more than the bytes themselves.
// Every byte is handed out once.
import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let next = pool.length;

export function randomBytes(count: number): Buffer {
  if (count > pool.length) throw new RangeError(`at most ${pool.length} random bytes at a time`);
  if (next + count > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = Buffer.from(pool.subarray(next, next + count));
  next += count;
  return bytes;
}
