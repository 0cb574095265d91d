// The key that encrypts stored secrets when ClawSync runs locally. A hosted deployment must be given
// SKILL_SECRET_ENCRYPTION_KEY; locally, when it is not set, a key of 32 random bytes is created once
// in the data folder (file 0600) so secrets work offline. A key that is set but unusable (missing
// bytes, a placeholder, visibly not random) stops the start with the reason, never a fallback.
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import { ENCRYPTION_KEY_ENV, loadKeyRing } from "../../convex/security/encryptionKeys.ts";
import { createSecureFileExclusive, ensureSecureDir, readSecureFile } from "./secureFiles.ts";

const KEY_FILE = "secret_encryption_key";

export type EncryptionKeySource = "environment" | "data folder" | "created";

/**
 * Makes sure `env` holds a usable SKILL_SECRET_ENCRYPTION_KEY: the one given, checked, or the data
 * folder's (created on first start). Throws with the problem when the given or stored key is unusable.
 */
export async function ensureEncryptionKey(dataDir: string, env: Record<string, string | undefined>): Promise<EncryptionKeySource> {
  let source: EncryptionKeySource = "environment";
  if (!env[ENCRYPTION_KEY_ENV]?.trim()) {
    await ensureSecureDir(dataDir);
    const path = join(dataDir, KEY_FILE);
    let stored = await readSecureFile(path);
    source = "data folder";
    if (stored === null) {
      // If another process created it first, the exclusive create fails and we read theirs.
      if (await createSecureFileExclusive(path, `${randomBytes(32).toString("base64")}\n`)) source = "created";
      stored = await readSecureFile(path);
    }
    env[ENCRYPTION_KEY_ENV] = (stored ?? "").trim();
  }
  const ring = loadKeyRing(env);
  if (!ring.ok) throw new Error(ring.message);
  return source;
}
