// The encryption key ring for stored secrets, read from the env values the caller passes in and
// refused with a typed, key-free error when a key is missing, malformed or weak. There is no
// default and no generated fallback key: a deployment without its own key stores no secrets.
//
// Key format: `SKILL_SECRET_ENCRYPTION_KEY` holds exactly 32 random bytes written as base64, standard
// (`+/`, padded or not) or url-safe (`-_`). Generate one per deployment with
//   openssl rand -base64 32
//   node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"
// and set it with `openssl rand -base64 32 | npx convex env set SKILL_SECRET_ENCRYPTION_KEY`.
//
// Rotation: move the old value to `SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS`, put a new key in
// `SKILL_SECRET_ENCRYPTION_KEY`, run the re-encryption job, then remove the previous key. Both keys
// decrypt; only the current one encrypts.
//
// Pure: no process.env, no ctx, no WebCrypto (the keys are imported by secretCrypto.ts), so the
// start-up configuration check can run it synchronously.

/** Env var holding the current key: the only key that encrypts. */
export const ENCRYPTION_KEY_ENV = "SKILL_SECRET_ENCRYPTION_KEY";
/** Env var holding the key being rotated out: it still decrypts, never encrypts. */
export const PREVIOUS_ENCRYPTION_KEY_ENV = "SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS";
/** AES-256 key length in bytes. */
export const ENCRYPTION_KEY_BYTES = 32;

const GENERATE_HINT = "Generate one with `openssl rand -base64 32`.";

/**
 * One decoded key. The bytes live in a private field, so logging, inspecting or JSON-serialising a
 * key ring shows a label, never key material.
 */
export class KeyMaterial {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }

  /** A copy of the raw key bytes, for importing into WebCrypto and nothing else. */
  bytes(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.#bytes);
  }

  /** Whether two keys hold the same bytes (configuration check, not a secret comparison). */
  sameAs(other: KeyMaterial): boolean {
    const theirs = other.#bytes;
    if (theirs.length !== this.#bytes.length) return false;
    let diff = 0;
    for (let i = 0; i < theirs.length; i++) diff |= theirs[i] ^ this.#bytes[i];
    return diff === 0;
  }

  toJSON(): string {
    return "[encryption key]";
  }

  toString(): string {
    return "[encryption key]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[encryption key]";
  }
}

/** The keys that may decrypt stored secrets; `current` is the one that encrypts. */
export type KeyRing = {
  readonly current: KeyMaterial;
  readonly previous: KeyMaterial | null;
};

export type KeyRingErrorCode = "ENCRYPTION_KEY_MISSING" | "ENCRYPTION_KEY_INVALID" | "ENCRYPTION_KEY_WEAK";

/** Result of {@link loadKeyRing}: the ring, or why the configuration is refused. */
export type KeyRingResult =
  | { ok: true; ring: KeyRing }
  | { ok: false; code: KeyRingErrorCode; message: string };

type KeyProblem = { code: KeyRingErrorCode; reason: string };

/**
 * Values published as examples (this project's and the upstream reference's docs, common
 * templates), compared after lower-casing and dropping everything but letters and digits. A key
 * anybody can read is no key.
 */
const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set([
  "generatearandom256bitkey",
  "your32byteencryptionkey",
  "your32bytebase64key",
  "yourencryptionkey",
  "yourencryptionkeyhere",
  "yoursecretkey",
  "yoursecretkeyhere",
  "yourkeyhere",
  "yourkey",
  "changeme",
  "replaceme",
  "placeholder",
  "secret",
  "encryptionkey",
  "skillsecretencryptionkey",
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "todo",
]);

/**
 * Words found in template values. At 6+ characters each, the chance that a random 44-character
 * base64 key contains one by accident is below one in ten million.
 */
const PLACEHOLDER_WORDS = ["changeme", "replaceme", "placeholder", "example", "yourkey", "yoursecret", "keyhere", "generate", "256bit", "32byte"];

/** Whether the value is a template or example rather than a key someone generated. */
export function looksLikePlaceholder(value: string): boolean {
  if (/[<>]|\.\.\.|\{\{/.test(value)) return true;
  const normalised = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (KNOWN_PLACEHOLDERS.has(normalised)) return true;
  return PLACEHOLDER_WORDS.some((word) => normalised.includes(word));
}

const STANDARD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUES: ReadonlyMap<string, number> = new Map([
  ...[...STANDARD_ALPHABET].map((char, index): [string, number] => [char, index]),
  ["-", 62],
  ["_", 63],
]);

/**
 * Strict base64 decoding: standard or url-safe alphabet (not both), padding optional but correct
 * when present, no whitespace, and unused trailing bits zero (so one key has one spelling). Returns
 * null for anything else; never throws.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const body = text.replace(/={1,2}$/, "");
  if (body.length !== text.length && text.length % 4 !== 0) return null;
  if (body.length % 4 === 1) return null;
  if (/[+/]/.test(body) && /[-_]/.test(body)) return null;
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (const char of body) {
    const value = BASE64_VALUES.get(char);
    if (value === undefined) return null;
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Standard, padded base64 (the envelope's encoding). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += STANDARD_ALPHABET[(chunk >> 18) & 63] + STANDARD_ALPHABET[(chunk >> 12) & 63];
    out += i + 1 < bytes.length ? STANDARD_ALPHABET[(chunk >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? STANDARD_ALPHABET[chunk & 63] : "=";
  }
  return out;
}

/** Whether every byte repeats the one `period` places earlier (00 00 .., ab cd ab cd ..). */
function isPeriodic(bytes: Uint8Array, period: number): boolean {
  for (let i = period; i < bytes.length; i++) if (bytes[i] !== bytes[i - period]) return false;
  return true;
}

/** Whether consecutive bytes differ by one constant step (00 01 02 .., ff fe fd ..). */
function isProgression(bytes: Uint8Array): boolean {
  const step = (bytes[1] - bytes[0] + 256) % 256;
  for (let i = 2; i < bytes.length; i++) if ((bytes[i] - bytes[i - 1] + 256) % 256 !== step) return false;
  return true;
}

/**
 * Why 32 decoded bytes are not a random key, or null when nothing gives them away. Each test has a
 * chance below 1e-12 of refusing a key drawn from a CSPRNG (a random key has about 30 distinct
 * byte values, and 32 printable bytes in a row come up about once in 5e13 draws).
 */
export function keyWeakness(bytes: Uint8Array): string | null {
  if (isPeriodic(bytes, 1)) return "every byte is the same";
  for (let period = 2; period <= bytes.length / 2; period++) {
    if (isPeriodic(bytes, period)) return "it repeats a short pattern";
  }
  if (isProgression(bytes)) return "it is a counting sequence";
  if (new Set(bytes).size < 16) return "it uses fewer than 16 distinct byte values";
  if (bytes.every((byte) => byte >= 0x20 && byte <= 0x7e)) return "it is printable text (a password or passphrase), not random bytes";
  return null;
}

/** Whether the base64 text itself reads as a word or password (all lower case, or all upper case). */
function encodedLooksLikeText(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, "");
  const lower = letters.replace(/[^a-z]/g, "").length;
  const upper = letters.length - lower;
  // A random 43-character key is about 41% lower and 41% upper case; 90% of one case is text.
  return Math.max(lower, upper) >= 0.9 * text.replace(/=+$/, "").length;
}

/** Decodes and checks one key value; the reason never quotes the value. */
function parseKey(raw: string): { ok: true; key: KeyMaterial } | ({ ok: false } & KeyProblem) {
  const value = raw.trim();
  if (looksLikePlaceholder(value)) {
    return { ok: false, code: "ENCRYPTION_KEY_WEAK", reason: "is an example placeholder, not a key of your own" };
  }
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return { ok: false, code: "ENCRYPTION_KEY_INVALID", reason: "looks like hex (openssl rand -hex 32); it must be base64" };
  }
  const bytes = decodeBase64(value);
  if (bytes === null) return { ok: false, code: "ENCRYPTION_KEY_INVALID", reason: "is not valid base64" };
  if (bytes.length !== ENCRYPTION_KEY_BYTES) {
    return { ok: false, code: "ENCRYPTION_KEY_WEAK", reason: `decodes to ${bytes.length} bytes; it must be exactly ${ENCRYPTION_KEY_BYTES}` };
  }
  const weakness = keyWeakness(bytes);
  if (weakness !== null) return { ok: false, code: "ENCRYPTION_KEY_WEAK", reason: `is not random: ${weakness}` };
  if (encodedLooksLikeText(value)) {
    return { ok: false, code: "ENCRYPTION_KEY_WEAK", reason: "reads as text (a password or passphrase), not random bytes" };
  }
  return { ok: true, key: new KeyMaterial(bytes) };
}

function refuse(name: string, problem: KeyProblem): KeyRingResult {
  return { ok: false, code: problem.code, message: `${name} ${problem.reason}. ${GENERATE_HINT}` };
}

/** An env value counts as unset when absent, empty or only whitespace (as .env.example says). */
function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

let memo: { current: string; previous: string | undefined; result: KeyRingResult } | null = null;

/**
 * Reads the key ring from env values (pass `process.env`, or a test's record). Returns the ring or
 * a typed refusal whose message names the variable and the problem, never the value.
 *
 * The last successful result is memoised on the exact input strings, so every function run in one
 * process gets the same ring object and secretCrypto imports its keys once.
 */
export function loadKeyRing(env: Record<string, string | undefined>): KeyRingResult {
  const currentRaw = env[ENCRYPTION_KEY_ENV];
  const previousRaw = present(env[PREVIOUS_ENCRYPTION_KEY_ENV]) ? env[PREVIOUS_ENCRYPTION_KEY_ENV] : undefined;
  if (!present(currentRaw)) {
    return {
      ok: false,
      code: "ENCRYPTION_KEY_MISSING",
      message: `${ENCRYPTION_KEY_ENV} is not set, so secrets cannot be stored or read. ${GENERATE_HINT}`,
    };
  }
  if (memo !== null && memo.current === currentRaw && memo.previous === previousRaw) return memo.result;

  const current = parseKey(currentRaw);
  if (!current.ok) return refuse(ENCRYPTION_KEY_ENV, current);
  let previous: KeyMaterial | null = null;
  if (previousRaw !== undefined) {
    const parsed = parseKey(previousRaw);
    if (!parsed.ok) return refuse(PREVIOUS_ENCRYPTION_KEY_ENV, parsed);
    if (parsed.key.sameAs(current.key)) {
      return {
        ok: false,
        code: "ENCRYPTION_KEY_INVALID",
        message: `${PREVIOUS_ENCRYPTION_KEY_ENV} is the same key as ${ENCRYPTION_KEY_ENV}; during a rotation it holds the old key, otherwise leave it unset.`,
      };
    }
    previous = parsed.key;
  }

  const result: KeyRingResult = { ok: true, ring: Object.freeze({ current: current.key, previous }) };
  memo = { current: currentRaw, previous: previousRaw, result };
  return result;
}
