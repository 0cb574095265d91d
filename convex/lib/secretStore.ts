// What every encrypted secret table shares: the key ring from the environment, the rules for a
// value, encryption bound to the row (table, owner id, name) and decryption of a set of rows. The
// tables themselves (skillSecrets, channelSecrets) keep their own functions and indexes.
import { env } from "../_generated/server";
import { loadKeyRing, type KeyRing } from "../security/encryptionKeys";
import { decryptSecret, encryptSecret, reencryptSecret, type EncryptedSecret, type SecretReencryptResult } from "../security/secretCrypto";
import type { SecretEnvelope } from "./validators";

/** Longest secret value accepted (API keys, tokens, PEM keys all fit). */
export const SECRET_VALUE_MAX_CHARS = 8192;

export type SecretTable = "skillSecrets" | "channelSecrets";

/** The key ring, or an error that names the problem (never the key). */
export function keyRingOrThrow(): KeyRing {
  const loaded = loadKeyRing(env);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.ring;
}

/** Encrypts a value for one row, after checking it is a value worth storing. */
export async function encryptForRow(table: SecretTable, owner: string, name: string, value: string): Promise<EncryptedSecret> {
  if (value.length === 0 || value.length > SECRET_VALUE_MAX_CHARS) throw new Error(`A secret is 1 to ${SECRET_VALUE_MAX_CHARS} characters.`);
  return await encryptSecret(keyRingOrThrow(), value, { table, owner, name });
}

/** Decrypts rows of one owner; a row that does not decrypt (wrong row, tampered, unknown key) is left out. */
export async function decryptRows(table: SecretTable, owner: string, rows: { name: string; envelope: SecretEnvelope }[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const ring = keyRingOrThrow();
  const values = new Map<string, string>();
  for (const { name, envelope } of rows) {
    const result = await decryptSecret(ring, envelope, { table, owner, name });
    if (result.ok) values.set(name, result.plaintext);
  }
  return values;
}

/** Re-encrypts one row's envelope under the current key (for the rotation jobs). */
export async function reencryptRow(table: SecretTable, owner: string, name: string, envelope: SecretEnvelope): Promise<SecretReencryptResult> {
  return await reencryptSecret(keyRingOrThrow(), envelope, { table, owner, name });
}
