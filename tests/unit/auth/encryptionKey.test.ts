import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ensureEncryptionKey } from "../../../local/auth/encryptionKey.ts";

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-key-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("the local key for stored secrets", () => {
  it("is created once in the data folder (0600) when none is given, then reused", async () => {
    const first: Record<string, string | undefined> = {};
    expect(await ensureEncryptionKey(dataDir, first)).toBe("created");
    const file = path.join(dataDir, "secret_encryption_key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.SKILL_SECRET_ENCRYPTION_KEY!, "base64")).toHaveLength(32);
    const second: Record<string, string | undefined> = {};
    expect(await ensureEncryptionKey(dataDir, second)).toBe("data folder");
    expect(second.SKILL_SECRET_ENCRYPTION_KEY).toBe(first.SKILL_SECRET_ENCRYPTION_KEY);
  });

  it("uses a given key and writes nothing", async () => {
    const env = { SKILL_SECRET_ENCRYPTION_KEY: randomKey() };
    expect(await ensureEncryptionKey(dataDir, env)).toBe("environment");
    expect(fs.existsSync(path.join(dataDir, "secret_encryption_key"))).toBe(false);
  });

  it.each([
    ["a placeholder", "changeme"],
    ["too few bytes", Buffer.alloc(16, 7).toString("base64")],
    ["all one byte", Buffer.alloc(32, 0).toString("base64")],
  ])("refuses %s, naming the variable and never the value", async (_name, value) => {
    const error = await ensureEncryptionKey(dataDir, { SKILL_SECRET_ENCRYPTION_KEY: value }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("SKILL_SECRET_ENCRYPTION_KEY");
    expect((error as Error).message).not.toContain(value);
  });
});

function randomKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
}
