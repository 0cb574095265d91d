// Authentication as a deployment does it: user JWTs verified against convex/auth.config.ts
// (signature, issuer, audience, expiry) for both clients, and the admin key as the only way to
// reach internal functions.
import fs from "node:fs";
import path from "node:path";

import { makeFunctionReference } from "convex/server";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

const whoami = makeFunctionReference<"query">("messages:whoami");
const list = makeFunctionReference<"query">("messages:list");
const send = makeFunctionReference<"mutation">("messages:send");
const countInternal = makeFunctionReference<"query">("messages:count");
const sendInternal = makeFunctionReference<"mutation">("messages:sendInternal");

let fixture: Fixture;
let validToken: string;

beforeAll(async () => {
  fixture = await startFixture();
  validToken = await signIn();
});

afterAll(async () => {
  await fixture.stop();
});

/** Exchanges a fresh one-time sign-in code for a token, as the sign-in page does. */
async function signIn(): Promise<string> {
  const code = new URL(fixture.deployment.signInLink()).hash.replace("#code=", "");
  const response = await fetch(`${fixture.config.siteUrl}/_local_auth/exchange`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** A token signed by the local identity provider's real key, with chosen claims. */
async function signWithProviderKey(claims: { iss?: string; aud?: string; exp?: number }): Promise<string> {
  const pem = fs.readFileSync(path.join(fixture.config.dataDir, "keys/local-idp.pem"), "utf8");
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({ name: "Mallory" })
    .setProtectedHeader({ alg: "RS256", kid: fixture.deployment.idp.kid })
    .setIssuer(claims.iss ?? fixture.config.siteUrl)
    .setAudience(claims.aud ?? "clawsync-local")
    .setSubject("someone-else")
    .setIssuedAt(now - 120)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(createPrivateKey(pem));
}

/** A well-formed token with the provider's key id, signed by a different key. */
async function forgedToken(): Promise<string> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: fixture.deployment.idp.kid })
    .setIssuer(fixture.config.siteUrl)
    .setAudience("clawsync-local")
    .setSubject(fixture.deployment.idp.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

/** Sets a fixed token on a websocket client and reports what the server made of it. */
async function websocketAuth(token: string): Promise<{ authenticated: boolean; identity: unknown }> {
  const client = fixture.client();
  const authenticated = await new Promise<boolean>((resolve) => client.setAuth(async () => token, resolve));
  const identity = await watch(client, whoami, {}).until(() => true);
  return { authenticated, identity };
}

describe("user tokens", () => {
  it("accepts a token from the trusted provider over the websocket", async () => {
    const result = await websocketAuth(validToken);
    expect(result.authenticated).toBe(true);
    expect(result.identity).toEqual({
      subject: fixture.deployment.idp.subject,
      issuer: fixture.config.siteUrl,
      tokenIdentifier: `${fixture.config.siteUrl}|${fixture.deployment.idp.subject}`,
    });
  });

  it("accepts a token from the trusted provider over HTTP", async () => {
    const http = fixture.http();
    http.setAuth(validToken);
    expect(await http.query(whoami, {})).toMatchObject({ subject: fixture.deployment.idp.subject });
  });

  const refusals: [string, () => Promise<string>][] = [
    ["a bad signature", forgedToken],
    ["the wrong issuer", () => signWithProviderKey({ iss: "http://evil.example" })],
    ["the wrong audience", () => signWithProviderKey({ aud: "another-app" })],
    ["an expired token", () => signWithProviderKey({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(refusals)("refuses %s over the websocket, leaving the connection anonymous", async (_name, makeToken) => {
    const result = await websocketAuth(await makeToken());
    expect(result.authenticated).toBe(false);
    expect(result.identity).toBeNull();
  });

  it.each(refusals)("refuses %s over HTTP with 401", async (_name, makeToken) => {
    const response = await fetch(`${fixture.config.cloudUrl}/api/query`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${await makeToken()}` },
      body: JSON.stringify({ path: "messages:whoami", args: {}, format: "json" }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { message: string };
    expect(body.message).not.toMatch(/BEGIN|PRIVATE|kid/);
  });
});

describe("token renewal", () => {
  it("keeps a subscription live after the token is renewed for the same identity", async () => {
    const client = fixture.client();
    expect(await new Promise<boolean>((resolve) => client.setAuth(async () => validToken, resolve))).toBe(true);
    const channel = `renewal-${Date.now()}`;
    const messages = watch<string[]>(client, list, { channel });
    await messages.until((value) => value.length === 0);
    const renewed = await signIn();
    expect(await new Promise<boolean>((resolve) => client.setAuth(async () => renewed, resolve))).toBe(true);
    await fixture.http().mutation(send, { channel, body: "after the renewal" });
    expect(await messages.until((value) => value.length === 1)).toEqual(["after the renewal"]);
    messages.stop();
  });
});

describe("token expiry", () => {
  it("tells a connection its token expired and closes it, so the client reconnects with a fresh one", async () => {
    const shortLived = await signWithProviderKey({ exp: Math.floor(Date.now() / 1000) + 2 });
    const socket = new WebSocket(`${fixture.config.cloudUrl.replace("http", "ws")}/api/1.48.0/sync`);
    const messages: { type: string; error?: string; endVersion?: { identity: number } }[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise<void>((resolve) => socket.on("open", () => resolve()));
    socket.send(JSON.stringify({ type: "Connect", sessionId: "expiring", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
    socket.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: shortLived, baseVersion: 0 }));
    const close = await closed;
    expect(messages.some((message) => message.type === "Transition" && message.endVersion?.identity === 1)).toBe(true);
    expect(messages.find((message) => message.type === "AuthError")?.error).toBe("Token expired");
    expect(close).toEqual({ code: 1000, reason: "AuthTokenExpired" });
  });
});

describe("the admin key", () => {
  it("is the only way to call an internal function over HTTP", async () => {
    await expect(fixture.http().query(countInternal, {})).rejects.toThrow(/Could not find public function for 'messages:count'/);
    const signedIn = fixture.http();
    signedIn.setAuth(validToken);
    await expect(signedIn.mutation(sendInternal, { channel: "admin", body: "x" })).rejects.toThrow(/Could not find public function/);
    expect(await fixture.http({ admin: true }).query(countInternal, {})).toBeTypeOf("number");
  });

  it("is the only way to call an internal function over the websocket", async () => {
    const anonymous = fixture.client();
    await expect(anonymous.query(countInternal, {})).rejects.toThrow(/Could not find public function/);
    const admin = fixture.client();
    // `setAdminAuth` is internal in the client's types; admin tools use it.
    (admin.client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(fixture.deployment.adminKey);
    expect(await admin.query(countInternal, {})).toBeTypeOf("number");
  });

  it("refuses a wrong admin key", async () => {
    // The real key with its last hex digit changed (to a different digit, whatever it was).
    const real = fixture.deployment.adminKey;
    const wrong = `${real.slice(0, -1)}${real.endsWith("0") ? "1" : "0"}`;
    const response = await fetch(`${fixture.config.cloudUrl}/api/query`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Convex ${wrong}` },
      body: JSON.stringify({ path: "messages:count", args: {}, format: "json" }),
    });
    expect(response.status).toBe(401);
    const socket = new WebSocket(`${fixture.config.cloudUrl.replace("http", "ws")}/api/1.48.0/sync`);
    const messages: { type: string }[] = [];
    await new Promise<void>((resolve) => socket.on("open", () => resolve()));
    const authError = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        messages.push(JSON.parse(data.toString()) as { type: string });
        if (messages.some((message) => message.type === "AuthError")) resolve();
      }),
    );
    socket.send(JSON.stringify({ type: "Connect", sessionId: "s", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
    socket.send(JSON.stringify({ type: "Authenticate", tokenType: "Admin", value: "clawsync-local|wrong", baseVersion: 0 }));
    await authError;
    socket.close();
  });

  it("can act as a user identity, as the dashboard does", async () => {
    const http = fixture.http();
    (http as unknown as { setAdminAuth(key: string, identity: object): void }).setAdminAuth(fixture.deployment.adminKey, {
      subject: "acting-user",
      issuer: "https://issuer.example",
    });
    expect(await http.query(whoami, {})).toEqual({
      subject: "acting-user",
      issuer: "https://issuer.example",
      tokenIdentifier: "https://issuer.example|acting-user",
    });
  });
});
