// File storage (`ctx.storage`): file contents live as files in the data folder, their metadata as
// documents of the `_storage` system table. A file is written to disk before the transaction that
// creates its document is logged, so a crash can leave an unreferenced file but never a document
// pointing at a missing one.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { ensurePrivateDir } from "./persistence.ts";
import type { Transaction } from "./transaction.ts";

const ID_PATTERN = /^[0-9a-z]{28,40}$/;
const UPLOAD_TOKEN_TTL_MS = 60 * 60 * 1000;

export type StorageMetadata = { sha256: string; size: number; contentType?: string };

export class FileStorage {
  /** Contents of files whose documents are not committed yet, by storage id. */
  private readonly staged = new Map<string, Uint8Array>();
  private readonly uploadSecret = randomBytes(32);

  constructor(private readonly dir: string) {
    ensurePrivateDir(dir);
  }

  /**
   * Stores contents within a transaction: the `_storage` document is written there, the contents
   * are kept aside until that transaction commits (or dropped if it does not).
   */
  store(txn: Transaction, componentPath: string, bytes: Uint8Array, contentType: string | undefined): string {
    const sha256 = createHash("sha256").update(bytes).digest("base64");
    const metadata: StorageMetadata = contentType ? { sha256, size: bytes.byteLength, contentType } : { sha256, size: bytes.byteLength };
    const id = txn.insertSystem(componentPath, "_storage", metadata);
    this.staged.set(id, bytes);
    return id;
  }

  /** Before a commit is logged: writes the files of `_storage` documents it creates. */
  writeStaged(storageIds: Iterable<string>): void {
    for (const id of storageIds) {
      const bytes = this.staged.get(id);
      if (!bytes) continue;
      const file = this.fileOf(id);
      const fd = fs.openSync(file, "w", 0o600);
      try {
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.staged.delete(id);
    }
  }

  /** Drops contents staged by a transaction that did not commit. */
  discardStaged(storageIds: Iterable<string>): void {
    for (const id of storageIds) this.staged.delete(id);
  }

  /** After a commit deleted `_storage` documents: removes their files. */
  removeFiles(storageIds: Iterable<string>): void {
    for (const id of storageIds) fs.rmSync(this.fileOf(id), { force: true });
  }

  read(storageId: string): Uint8Array | null {
    const staged = this.staged.get(storageId);
    if (staged) return staged;
    try {
      return fs.readFileSync(this.fileOf(storageId));
    } catch {
      return null;
    }
  }

  /** A signed, expiring token for one upload into a component's storage. */
  uploadToken(componentPath: string, now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ c: componentPath, e: now + UPLOAD_TOKEN_TTL_MS, n: randomBytes(8).toString("hex") })).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The component an upload token is for, or null when it is forged or expired. */
  verifyUploadToken(token: string, now = Date.now()): string | null {
    const [payload, signature] = token.split(".");
    if (!payload || !signature) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { c: string; e: number };
      return parsed.e > now ? parsed.c : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.uploadSecret).update(payload).digest("base64url");
  }

  private fileOf(storageId: string): string {
    if (!ID_PATTERN.test(storageId)) throw new Error("Invalid storage id");
    return path.join(this.dir, storageId);
  }
}
