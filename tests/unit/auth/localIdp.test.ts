// @vitest-environment node
// Behaviour of the local identity provider, driven through its fetch-style HTTP handler.
import { generateKeyPairSync } from "node:crypto";
import { promises as fs } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJwtVerifier } from "../../../local/auth/jwtVerifier.ts";
import {
  LocalIdentityProvider,
  type AuthAuditEvent,
  type LocalIdpOptions,
  type TokenGrant,
} from "../../../local/auth/localIdp.ts";

const ISSUER = "http://127.0.0.1:3211";
const UI = "http://127.0.0.1:5173";
const UI_ALT = "http://localhost:5173";
const T0 = Date.UTC(2030, 0, 1);
const CLIENT = "127.0.0.1";

let root: string;
let dataDir: string;
let now: number;
let events: AuthAuditEvent[];
let seededKey: string;

beforeAll(() => {
  seededKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
});

beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), "clawsync-idp-"));
  dataDir = join(root, ".clawsync");
  now = T0;
  events = [];
  // Generating a 2048-bit key takes a while; most tests start from a data folder that has one.
  await fs.mkdir(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
  await fs.writeFile(join(dataDir, "keys", "local-idp.pem"), seededKey, { mode: 0o600 });
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function open(overrides: Partial<LocalIdpOptions> = {}): Promise<LocalIdentityProvider> {
  return LocalIdentityProvider.open({
    dataDir,
    issuer: ISSUER,
    audience: "clawsync-local",
    uiOrigins: [UI, UI_ALT],
    now: () => now,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
}

function codeOf(url: string): string {
  return new URL(url).hash.slice("#code=".length);
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${ISSUER}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function call(idp: LocalIdentityProvider, request: Request, client = CLIENT): Promise<Response> {
  const response = await idp.handle(request, client);
  if (response === null) throw new Error(`${request.url} was not handled`);
  return response;
}

async function exchange(idp: LocalIdentityProvider, code: string, client = CLIENT): Promise<Response> {
  return call(idp, post("/_local_auth/exchange", { code }), client);
}

async function signIn(idp: LocalIdentityProvider): Promise<TokenGrant> {
  const response = await exchange(idp, codeOf(idp.mintSignInLink(UI).url));
  expect(response.status).toBe(200);
  return (await response.json()) as TokenGrant;
}

async function refresh(idp: LocalIdentityProvider, refreshToken: string): Promise<Response> {
  return call(idp, post("/_local_auth/refresh", { refreshToken }));
}

async function mode(path: string): Promise<number> {
  return (await fs.stat(path)).mode & 0o777;
}

async function auditLines(): Promise<AuthAuditEvent[]> {
  const text = await fs.readFile(join(dataDir, "auth", "audit.jsonl"), "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as AuthAuditEvent);
}

/** A verifier that fetches discovery and JWKS from `idp` itself, as the runtime's would. */
function verifierFor(idp: LocalIdentityProvider) {
  const fetchThroughIdp = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await idp.handle(new Request(input, init), "verifier");
    return response ?? new Response("not found", { status: 404 });
  }) as typeof fetch;
  return createJwtVerifier([{ domain: ISSUER, applicationID: "clawsync-local" }], { fetch: fetchThroughIdp, now: () => now });
}

describe("keys and files", () => {
  it("creates its key and files 0600 in folders 0700", async () => {
    dataDir = join(root, "fresh");
    const idp = await open();
    await signIn(idp);
    for (const dir of ["", "keys", "auth"]) expect(await mode(join(dataDir, dir))).toBe(0o700);
    for (const file of ["keys/local-idp.pem", "auth/local-owner-id", "auth/refresh-tokens.json", "auth/audit.jsonl"]) {
      expect(await mode(join(dataDir, file))).toBe(0o600);
    }
    expect(await fs.readFile(join(dataDir, "keys", "local-idp.pem"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("keeps its key, kid and owner subject across two opens", async () => {
    const first = await open();
    const second = await open();
    expect(second.kid).toBe(first.kid);
    expect(second.subject).toBe(first.subject);
    expect(first.subject).toMatch(/^local-owner-[0-9a-f]{32}$/);
    const jwks = async (idp: LocalIdentityProvider) =>
      (await call(idp, new Request(`${ISSUER}/.well-known/jwks.json`))).json();
    expect(await jwks(second)).toEqual(await jwks(first));
  });

  it("gives another data folder another key and subject", async () => {
    const first = await open();
    const other = await open({ dataDir: join(root, "other") });
    expect(other.kid).not.toBe(first.kid);
    expect(other.subject).not.toBe(first.subject);
  });

  it("refuses an issuer that is not an origin", async () => {
    await expect(open({ issuer: `${ISSUER}/auth` })).rejects.toThrow(
      `Issuer ${ISSUER}/auth must be an origin such as http://127.0.0.1:3211`,
    );
  });
});

describe("discovery and JWKS", () => {
  it("serves the discovery document to any origin", async () => {
    const idp = await open();
    const response = await call(idp, new Request(`${ISSUER}/.well-known/openid-configuration`, { headers: { origin: "https://anywhere" } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
    });
  });

  it("serves only the public key in the JWKS", async () => {
    const idp = await open();
    const response = await call(idp, new Request(`${ISSUER}/.well-known/jwks.json`));
    const body = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(body.keys).toHaveLength(1);
    expect(Object.keys(body.keys[0]!).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: idp.kid, e: "AQAB" });
  });

  it.each([
    ["GET", "/", null],
    ["GET", "/api/mcp", null],
    ["GET", "/.well-known/other", null],
    ["POST", "/.well-known/jwks.json", 405],
    ["GET", "/_local_auth/exchange", 405],
    ["DELETE", "/_local_auth/refresh", 405],
  ])("%s %s -> %s", async (method, path, status) => {
    const idp = await open();
    const response = await idp.handle(new Request(`${ISSUER}${path}`, { method }), CLIENT);
    expect(response?.status ?? null).toBe(status);
  });
});

describe("sign-in links", () => {
  it("puts a 256-bit one-time code in the fragment of a link to the UI", async () => {
    const idp = await open();
    const link = idp.mintSignInLink(UI);
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:5173\/syncboard\/sign-in#code=[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAtMs).toBe(T0 + 15 * 60_000);
    expect(codeOf(idp.mintSignInLink(UI_ALT).url)).not.toBe(codeOf(link.url));
  });

  it("refuses a UI origin it was not configured with", async () => {
    const idp = await open();
    expect(() => idp.mintSignInLink("https://evil.example")).toThrow("https://evil.example is not one of the UI origins");
  });
});

describe("code exchange", () => {
  it("exchanges a code for a token the verifier accepts, exactly once", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    const first = await exchange(idp, code);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("content-type")).toBe("application/json");
    const grant = (await first.json()) as TokenGrant;
    expect(grant.expiresAtMs).toBe(T0 + 3_600_000);
    expect(grant.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeProtectedHeader(grant.token)).toEqual({ alg: "RS256", kid: idp.kid, typ: "JWT" });
    expect(decodeJwt(grant.token)).toEqual({
      iss: ISSUER,
      sub: idp.subject,
      aud: "clawsync-local",
      iat: T0 / 1000,
      exp: T0 / 1000 + 3600,
      name: "Local owner",
    });
    expect(await verifierFor(idp).verify(grant.token)).toEqual({
      ok: true,
      expiresAtMs: T0 + 3_600_000,
      identity: { tokenIdentifier: `${ISSUER}|${idp.subject}`, subject: idp.subject, issuer: ISSUER, name: "Local owner" },
    });

    const second = await exchange(idp, code);
    expect(second.status).toBe(401);
    expect(await second.json()).toEqual({ error: "invalid_grant" });
  });

  it("lets only one of two concurrent exchanges of a code succeed", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    const statuses = (await Promise.all([exchange(idp, code), exchange(idp, code)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 401]);
  });

  it("refuses a code after 15 minutes", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    now += 15 * 60_000;
    const response = await exchange(idp, code);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_grant" });
    expect(events.map(({ event, reason }) => [event, reason])).toEqual([["sign_in_failed", "expired_code"]]);
  });

  it("refuses a code minted by another data folder", async () => {
    const idp = await open();
    const other = await open({ dataDir: join(root, "other") });
    const response = await exchange(idp, codeOf(other.mintSignInLink(UI).url));
    expect(response.status).toBe(401);
  });

  it("refuses a token once its hour is over", async () => {
    const idp = await open();
    const grant = await signIn(idp);
    now += 3_600_000 + 5_000;
    expect(await verifierFor(idp).verify(grant.token)).toEqual({ ok: false, error: "Token expired" });
  });
});

describe("refresh tokens", () => {
  it("rotates the refresh token on every refresh", async () => {
    const idp = await open();
    const first = await signIn(idp);
    now += 60_000;
    const response = await refresh(idp, first.refreshToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const second = (await response.json()) as TokenGrant;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.expiresAtMs).toBe(now + 3_600_000);
    expect((await verifierFor(idp).verify(second.token)).ok).toBe(true);
    expect((await refresh(idp, second.refreshToken)).status).toBe(200);
  });

  it("revokes the whole session when a rotated-out token is used again", async () => {
    const idp = await open();
    const first = await signIn(idp);
    const second = (await (await refresh(idp, first.refreshToken)).json()) as TokenGrant;
    now += 20_001;
    const reuse = await refresh(idp, first.refreshToken);
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toEqual({ error: "invalid_grant" });
    expect((await refresh(idp, second.refreshToken)).status).toBe(401);
    expect(events.map(({ event, reason }) => [event, reason])).toEqual([
      ["sign_in", undefined],
      ["refresh", undefined],
      ["refresh_reuse", "revoked_token"],
      ["refresh_reuse", "revoked_token"],
    ]);
    const sessions = new Set(events.map((event) => event.session));
    expect(sessions.size).toBe(1);
  });

  it("takes a rotated-out token once more within 20 seconds as a retry of a lost answer, ending its successor", async () => {
    const idp = await open();
    const first = await signIn(idp);
    const lost = (await (await refresh(idp, first.refreshToken)).json()) as TokenGrant;
    now += 5_000;
    const retry = await refresh(idp, first.refreshToken);
    expect(retry.status).toBe(200);
    const retried = (await retry.json()) as TokenGrant;
    expect(retried.refreshToken).not.toBe(lost.refreshToken);
    // Only the newest holder carries on: the successor whose answer was lost is ended, and a
    // second retry of the same token is reuse, which ends the session.
    expect((await refresh(idp, lost.refreshToken)).status).toBe(401);
    expect((await refresh(idp, first.refreshToken)).status).toBe(401);
    expect((await refresh(idp, retried.refreshToken)).status).toBe(401);
    expect(events.map(({ event }) => event)).toEqual(["sign_in", "refresh", "refresh_retry", "refresh_reuse", "refresh_reuse", "refresh_reuse"]);
  });

  it("does not revive a signed-out session within the retry window", async () => {
    const idp = await open();
    const first = await signIn(idp);
    const second = (await (await refresh(idp, first.refreshToken)).json()) as TokenGrant;
    await call(idp, post("/_local_auth/sign-out", { refreshToken: second.refreshToken }));
    expect((await refresh(idp, first.refreshToken)).status).toBe(401);
  });

  it("refuses a refresh token after 30 days", async () => {
    const idp = await open();
    const grant = await signIn(idp);
    now += 30 * 24 * 3_600_000;
    expect((await refresh(idp, grant.refreshToken)).status).toBe(401);
    expect(events.at(-1)).toMatchObject({ event: "refresh_failed", reason: "expired_token" });
  });

  it("keeps refresh tokens across a restart, stored only as hashes", async () => {
    const idp = await open();
    const grant = await signIn(idp);
    const stored = await fs.readFile(join(dataDir, "auth", "refresh-tokens.json"), "utf8");
    expect(stored).not.toContain(grant.refreshToken);
    expect(JSON.parse(stored)).toMatchObject({ version: 1, tokens: [{ revokedAtMs: null, expiresAtMs: T0 + 30 * 24 * 3_600_000 }] });
    const restarted = await open();
    expect((await refresh(restarted, grant.refreshToken)).status).toBe(200);
  });

  it("lets only one of two concurrent refreshes of a token succeed", async () => {
    const idp = await open();
    const grant = await signIn(idp);
    const statuses = (await Promise.all([refresh(idp, grant.refreshToken), refresh(idp, grant.refreshToken)])).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([200, 401]);
  });
});

describe("sign-out", () => {
  it("answers 204 and ends the session", async () => {
    const idp = await open();
    const grant = await signIn(idp);
    const response = await call(idp, post("/_local_auth/sign-out", { refreshToken: grant.refreshToken }));
    expect(response.status).toBe(204);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await refresh(idp, grant.refreshToken)).status).toBe(401);
    expect(events.map((event) => event.event)).toEqual(["sign_in", "sign_out", "refresh_reuse"]);
  });

  it("answers 204 for an unknown token without counting a failure", async () => {
    const idp = await open();
    for (let i = 0; i < 12; i++) {
      expect((await call(idp, post("/_local_auth/sign-out", { refreshToken: `unknown-${i}` }))).status).toBe(204);
    }
    expect(events).toEqual([]);
    await signIn(idp);
  });
});

describe("bad requests", () => {
  it.each<[string, () => Request, number, string]>([
    ["malformed JSON", () => post("/_local_auth/exchange", "{code:"), 400, "invalid_request"],
    ["a JSON array", () => post("/_local_auth/exchange", [1]), 400, "invalid_request"],
    ["a missing field", () => post("/_local_auth/exchange", { token: "x" }), 400, "invalid_request"],
    ["a field that is not a string", () => post("/_local_auth/refresh", { refreshToken: 42 }), 400, "invalid_request"],
    ["an empty field", () => post("/_local_auth/exchange", { code: "" }), 400, "invalid_request"],
    ["a field over 512 characters", () => post("/_local_auth/exchange", { code: "a".repeat(513) }), 400, "invalid_request"],
    ["invalid UTF-8", () => post("/_local_auth/exchange", new TextDecoder("latin1").decode(new Uint8Array([0xff]))), 400, "invalid_request"],
    [
      "a body over 4 KB",
      () => post("/_local_auth/exchange", { code: "a", padding: "x".repeat(5000) }),
      413,
      "request_too_large",
    ],
    [
      "a streamed body over 4 KB without Content-Length",
      () =>
        new Request(`${ISSUER}/_local_auth/exchange`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: new ReadableStream({
            start(controller) {
              for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(1024).fill(0x20));
              controller.close();
            },
          }),
          duplex: "half",
        } as RequestInit),
      413,
      "request_too_large",
    ],
    [
      "a form instead of JSON",
      () =>
        new Request(`${ISSUER}/_local_auth/exchange`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "code=abc",
        }),
      415,
      "unsupported_media_type",
    ],
  ])("refuses %s", async (_name, make, status, error) => {
    const idp = await open();
    const response = await call(idp, make());
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error });
  });

  it("does not count malformed requests as failed sign-ins", async () => {
    const idp = await open();
    for (let i = 0; i < 20; i++) expect((await call(idp, post("/_local_auth/exchange", "nope"))).status).toBe(400);
    await signIn(idp);
  });
});

describe("lockout", () => {
  it("locks a client out after 10 failures for 5 minutes, then lets it in again", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    for (let i = 0; i < 10; i++) expect((await exchange(idp, `guess-${i}`)).status).toBe(401);

    const locked = await exchange(idp, code);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("300");
    expect(await locked.json()).toEqual({ error: "too_many_attempts" });
    expect((await refresh(idp, "anything")).status).toBe(429);
    expect((await exchange(idp, code, "192.0.2.7")).status).toBe(200); // other clients are unaffected

    const code2 = codeOf(idp.mintSignInLink(UI).url);
    now += 299_000;
    const stillLocked = await exchange(idp, code2);
    expect(stillLocked.status).toBe(429);
    expect(stillLocked.headers.get("retry-after")).toBe("1");
    now += 1_000;
    expect((await exchange(idp, code2)).status).toBe(200);

    expect(events.filter((event) => event.event === "lockout")).toEqual([
      { time: new Date(T0).toISOString(), event: "lockout", clientKey: CLIENT },
    ]);
    expect(events.filter((event) => event.event === "sign_in_failed")).toHaveLength(10);
  });

  it("counts refresh failures towards the same lockout", async () => {
    const idp = await open();
    for (let i = 0; i < 5; i++) await exchange(idp, `guess-${i}`);
    for (let i = 0; i < 5; i++) await refresh(idp, `guess-${i}`);
    expect((await exchange(idp, codeOf(idp.mintSignInLink(UI).url))).status).toBe(429);
  });
});

describe("CORS", () => {
  function preflight(origin: string): Request {
    return new Request(`${ISSUER}/_local_auth/exchange`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
  }

  it.each([UI, UI_ALT])("answers the preflight of allowed origin %s", async (origin) => {
    const idp = await open();
    const response = await call(idp, preflight(origin));
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "Content-Type",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });

  it.each(["https://evil.example", "http://127.0.0.1:5174", "null"])("refuses the preflight of origin %s", async (origin) => {
    const idp = await open();
    const response = await call(idp, preflight(origin));
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("names the allowed origin on the actual response", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    const response = await call(idp, post("/_local_auth/exchange", { code }, { origin: UI_ALT }));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(UI_ALT);
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("refuses a POST from another origin without consuming the code", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    const response = await call(idp, post("/_local_auth/exchange", { code }, { origin: "https://evil.example" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "origin_not_allowed" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect((await exchange(idp, code)).status).toBe(200);
  });
});

describe("audit log", () => {
  it("records every event without any code or token", async () => {
    const idp = await open();
    const code = codeOf(idp.mintSignInLink(UI).url);
    await exchange(idp, "wrong-code");
    const grant = (await (await exchange(idp, code)).json()) as TokenGrant;
    const rotated = (await (await refresh(idp, grant.refreshToken)).json()) as TokenGrant;
    await refresh(idp, "wrong-token");
    await call(idp, post("/_local_auth/sign-out", { refreshToken: rotated.refreshToken }));

    const lines = await auditLines();
    expect(lines).toEqual(events);
    expect(lines.map(({ event, reason }) => [event, reason ?? null])).toEqual([
      ["sign_in_failed", "unknown_code"],
      ["sign_in", null],
      ["refresh", null],
      ["refresh_failed", "unknown_token"],
      ["sign_out", null],
    ]);
    for (const line of lines) {
      expect(Object.keys(line).every((key) => ["time", "event", "clientKey", "reason", "session"].includes(key))).toBe(true);
      expect(line.clientKey).toBe(CLIENT);
      expect(line.time).toBe(new Date(T0).toISOString());
    }
    const text = await fs.readFile(join(dataDir, "auth", "audit.jsonl"), "utf8");
    for (const secret of [code, "wrong-code", "wrong-token", grant.token, grant.refreshToken, rotated.token, rotated.refreshToken]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("over real HTTP", () => {
  it("serves discovery and JWKS to the verifier through a node:http server", async () => {
    let idp: LocalIdentityProvider | undefined;
    const server = createServer(async (req, res) => {
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method });
      const response = (await idp?.handle(request, req.socket.remoteAddress ?? "")) ?? new Response(null, { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      idp = await open({ issuer });
      const grant = await signIn(idp);
      const verifier = createJwtVerifier([{ domain: issuer, applicationID: "clawsync-local" }], { now: () => now });
      const result = await verifier.verify(grant.token);
      expect(result.ok && result.identity.tokenIdentifier).toBe(`${issuer}|${idp.subject}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
