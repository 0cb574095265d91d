// The local runtime's admin key: created once in the data folder, compared in constant time
// (spec finding HIGH-01), and recognised in the `Authorization` header the `convex` clients send.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { createSecureFileExclusive, ensureSecureDir, readSecureFile } from "./secureFiles.ts";

/** Every admin key starts with this; the rest is 32 random bytes in hex. */
export const ADMIN_KEY_PREFIX = "clawsync-local|";

const ADMIN_KEY_FILE = "admin_key";
const ADMIN_KEY_PATTERN = /^clawsync-local\|[0-9a-f]{64}$/;

/**
 * Returns the admin key stored in `<dataDir>/admin_key`, creating it (file 0600, folder 0700) on
 * first use. Throws when the stored key is not in the expected format rather than replace it.
 */
export async function loadOrCreateAdminKey(dataDir: string): Promise<string> {
  await ensureSecureDir(dataDir);
  const path = join(dataDir, ADMIN_KEY_FILE);
  const existing = await readSecureFile(path);
  if (existing !== null) return validated(existing, path);
  const key = ADMIN_KEY_PREFIX + randomBytes(32).toString("hex");
  if (await createSecureFileExclusive(path, `${key}\n`)) return key;
  // Another process created it between our read and our create: use theirs.
  const winner = await readSecureFile(path);
  if (winner === null) throw new Error(`${path} vanished while it was being created`);
  return validated(winner, path);
}

/** The admin key in `<dataDir>/admin_key`, or null when the runtime has not created one yet. */
export async function readAdminKey(dataDir: string): Promise<string | null> {
  const path = join(dataDir, ADMIN_KEY_FILE);
  const content = await readSecureFile(path);
  return content === null ? null : validated(content, path);
}

function validated(content: string, path: string): string {
  const key = content.trim();
  if (!ADMIN_KEY_PATTERN.test(key)) {
    throw new Error(`${path} does not hold a valid admin key; delete it and restart to create a new one`);
  }
  return key;
}

// Digests are compared instead of the strings so that the comparison takes the same time whatever
// the lengths. The HMAC key is per process, so digests are useless outside it.
const comparisonKey = randomBytes(32);

function digest(value: string): Buffer {
  return createHmac("sha256", comparisonKey).update(value, "utf8").digest();
}

/**
 * Constant-time check that `candidate` equals the admin `key`. Fails closed: false when either
 * is empty or not a string.
 */
export function adminKeyMatches(candidate: unknown, key: unknown): boolean {
  if (typeof candidate !== "string" || typeof key !== "string") return false;
  if (candidate.length === 0 || key.length === 0) return false;
  return timingSafeEqual(digest(candidate), digest(key));
}

/** What an `Authorization` header asks for. The admin key in it is not checked yet. */
export type ConvexAuthorization =
  | { kind: "admin"; key: string; actingAs?: Record<string, unknown> }
  | { kind: "user"; token: string }
  | { kind: "none" }
  | { kind: "malformed" };

// Far above any real header (a JWT is a few KB); bounds the work done on hostile input.
const MAX_HEADER_LENGTH = 16_384;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CREDENTIALS = /^(\S+) +(\S+)$/;

/**
 * Parses the `Authorization` header as the `convex` clients send it: `Bearer <jwt>` for a user,
 * `Convex <adminKey>` for an admin, or `Convex <adminKey>:<base64 JSON identity>` for an admin
 * acting as a user (`ConvexHttpClient.setAdminAuth(key, identity)`). Schemes are case-insensitive.
 */
export function parseConvexAuthorization(header: string | undefined): ConvexAuthorization {
  if (header === undefined) return { kind: "none" };
  if (header.length > MAX_HEADER_LENGTH) return { kind: "malformed" };
  const match = CREDENTIALS.exec(header.trim());
  if (match === null) return { kind: "malformed" };
  const scheme = match[1];
  const credentials = match[2];
  switch (scheme.toLowerCase()) {
    case "bearer":
      return { kind: "user", token: credentials };
    case "convex":
      return parseAdminCredentials(credentials);
    default:
      return { kind: "malformed" };
  }
}

function parseAdminCredentials(credentials: string): ConvexAuthorization {
  // The admin key contains no ':', so the first ':' starts the acting-as identity.
  const colon = credentials.indexOf(":");
  if (colon === -1) return { kind: "admin", key: credentials };
  const key = credentials.slice(0, colon);
  const actingAs = decodeIdentity(credentials.slice(colon + 1));
  if (key.length === 0 || actingAs === null) return { kind: "malformed" };
  return { kind: "admin", key, actingAs };
}

function decodeIdentity(encoded: string): Record<string, unknown> | null {
  if (encoded.length === 0 || !BASE64.test(encoded)) return null;
  try {
    const json = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(encoded, "base64"));
    const value: unknown = JSON.parse(json);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    return value as Record<string, unknown>;
  } catch {
    return null;
  }
}
