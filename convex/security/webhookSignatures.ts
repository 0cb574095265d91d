// Signature checks for inbound channel webhooks, one function per platform, each over the raw body
// exactly as it arrived. Every check fails closed (a missing header or secret is a refusal), compares
// in constant time, and refuses a timestamp outside the allowed window so a captured request cannot
// be replayed later (replays inside the window are caught by the checker's seen-signature store).
// Pure apart from WebCrypto's Ed25519, which every runtime ClawSync uses provides.
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";

import { bytesEqual, secretEqual } from "./secretEqual";

/** How far a signed timestamp may be from now (Slack's and Svix's own recommendation). */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export type SignatureCode = "WEBHOOK_SIGNATURE_MISSING" | "WEBHOOK_SIGNATURE_INVALID" | "WEBHOOK_TIMESTAMP_STALE" | "WEBHOOK_SECRET_UNCONFIGURED";
export type SignatureCheck = { ok: true } | { ok: false; code: SignatureCode };

const ok: SignatureCheck = { ok: true };
const refuse = (code: SignatureCode): SignatureCheck => ({ ok: false, code });
const encoder = new TextEncoder();

function base64ToBytes(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""));
}

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}

/** Whether a timestamp in seconds is within the window around now (milliseconds). */
function fresh(timestampSeconds: string, now: number): boolean {
  if (!/^\d{1,12}$/.test(timestampSeconds)) return false;
  return Math.abs(now - Number(timestampSeconds) * 1000) <= SIGNATURE_WINDOW_MS;
}

/** Telegram: the secret token set with setWebhook comes back in X-Telegram-Bot-Api-Secret-Token. */
export function verifyTelegram(headerToken: string | null, secret: string | undefined): SignatureCheck {
  if (!secret) return refuse("WEBHOOK_SECRET_UNCONFIGURED");
  if (!headerToken) return refuse("WEBHOOK_SIGNATURE_MISSING");
  return secretEqual(headerToken, secret) ? ok : refuse("WEBHOOK_SIGNATURE_INVALID");
}

/**
 * Slack: X-Slack-Signature is `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` under the signing
 * secret; X-Slack-Request-Timestamp must be within five minutes.
 */
export function verifySlack(body: string, timestamp: string | null, signature: string | null, secret: string | undefined, now: number): SignatureCheck {
  if (!secret) return refuse("WEBHOOK_SECRET_UNCONFIGURED");
  if (!timestamp || !signature) return refuse("WEBHOOK_SIGNATURE_MISSING");
  if (!fresh(timestamp, now)) return refuse("WEBHOOK_TIMESTAMP_STALE");
  const given = signature.startsWith("v0=") ? hexToBytes(signature.slice(3)) : null;
  const expected = hmac(sha256, encoder.encode(secret), encoder.encode(`v0:${timestamp}:${body}`));
  return given !== null && bytesEqual(given, expected) ? ok : refuse("WEBHOOK_SIGNATURE_INVALID");
}

/**
 * Twilio: X-Twilio-Signature is base64 HMAC-SHA1, under the auth token, of the full request URL
 * followed by every POST parameter's name and value, sorted by name.
 */
export function verifyTwilio(url: string, params: ReadonlyArray<[string, string]>, signature: string | null, authToken: string | undefined): SignatureCheck {
  if (!authToken) return refuse("WEBHOOK_SECRET_UNCONFIGURED");
  if (!signature) return refuse("WEBHOOK_SIGNATURE_MISSING");
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([name, value]) => name + value).join("");
  const given = base64ToBytes(signature);
  const expected = hmac(sha1, encoder.encode(authToken), encoder.encode(data));
  return given !== null && bytesEqual(given, expected) ? ok : refuse("WEBHOOK_SIGNATURE_INVALID");
}

/**
 * Resend (Svix): svix-signature holds space-separated `v1,<base64>` entries, each an HMAC-SHA256 of
 * `<svix-id>.<svix-timestamp>.<body>` under the base64 part of the `whsec_` secret; one must match.
 */
export function verifySvix(
  body: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  secret: string | undefined,
  now: number,
): SignatureCheck {
  const key = secret?.startsWith("whsec_") ? base64ToBytes(secret.slice("whsec_".length)) : null;
  if (!secret || key === null) return refuse("WEBHOOK_SECRET_UNCONFIGURED");
  if (!headers.id || !headers.timestamp || !headers.signature) return refuse("WEBHOOK_SIGNATURE_MISSING");
  if (!fresh(headers.timestamp, now)) return refuse("WEBHOOK_TIMESTAMP_STALE");
  const expected = bytesToBase64(hmac(sha256, key, encoder.encode(`${headers.id}.${headers.timestamp}.${body}`)));
  // Every entry is compared, so the time taken does not depend on which one matched.
  let matched = false;
  for (const entry of headers.signature.split(" ").slice(0, 8)) {
    const [version, value] = entry.split(",", 2);
    if (version === "v1" && value !== undefined && secretEqual(value, expected)) matched = true;
  }
  return matched ? ok : refuse("WEBHOOK_SIGNATURE_INVALID");
}

/**
 * Discord: X-Signature-Ed25519 is the hex Ed25519 signature of X-Signature-Timestamp followed by the
 * body, under the application's hex public key.
 */
export async function verifyDiscord(body: string, timestamp: string | null, signatureHex: string | null, publicKeyHex: string | undefined, now: number): Promise<SignatureCheck> {
  const publicKey = publicKeyHex ? hexToBytes(publicKeyHex) : null;
  if (publicKey === null || publicKey.length !== 32) return refuse("WEBHOOK_SECRET_UNCONFIGURED");
  if (!timestamp || !signatureHex) return refuse("WEBHOOK_SIGNATURE_MISSING");
  if (!fresh(timestamp, now)) return refuse("WEBHOOK_TIMESTAMP_STALE");
  const signature = hexToBytes(signatureHex);
  if (signature === null || signature.length !== 64) return refuse("WEBHOOK_SIGNATURE_INVALID");
  try {
    const key = await crypto.subtle.importKey("raw", publicKey as Uint8Array<ArrayBuffer>, { name: "Ed25519" }, false, ["verify"]);
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature as Uint8Array<ArrayBuffer>, encoder.encode(timestamp + body));
    return valid ? ok : refuse("WEBHOOK_SIGNATURE_INVALID");
  } catch {
    return refuse("WEBHOOK_SIGNATURE_INVALID");
  }
}
