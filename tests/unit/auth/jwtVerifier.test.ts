// @vitest-environment node
// Behaviour of the JWT verifier: accepts what a Convex deployment accepts, refuses every attack.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createJwtVerifier,
  JWT_ERRORS,
  type AuthProviderConfig,
  type JwtVerifierOptions,
} from "../../../local/auth/jwtVerifier.ts";

const NOW_MS = Date.UTC(2030, 0, 1);
const NOW_S = NOW_MS / 1000;

const OIDC_DOMAIN = "https://idp.example.test";
const OIDC_JWKS = "https://idp.example.test/keys.json";
const CUSTOM_ISSUER = "https://custom.example.test";
const CUSTOM_JWKS = "https://custom.example.test/jwks";
const NO_AUD_ISSUER = "https://noaud.example.test";
const NO_AUD_JWKS = "https://noaud.example.test/jwks";

const providers: AuthProviderConfig[] = [
  { domain: OIDC_DOMAIN, applicationID: "app-oidc" },
  { type: "customJwt", issuer: CUSTOM_ISSUER, jwks: CUSTOM_JWKS, algorithm: "ES256", applicationID: "app-custom" },
  { type: "customJwt", issuer: NO_AUD_ISSUER, jwks: NO_AUD_JWKS, algorithm: "RS256" },
];

interface Keys {
  rsa: CryptoKey;
  rsaPublicPem: string;
  attacker: CryptoKey;
  ec: CryptoKey;
  jwksRsa: { keys: JWK[] };
  jwksEc: { keys: JWK[] };
}
let keys: Keys;

beforeAll(async () => {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const attacker = await generateKeyPair("RS256");
  const ec = await generateKeyPair("ES256");
  keys = {
    rsa: rsa.privateKey,
    rsaPublicPem: await exportSPKI(rsa.publicKey),
    attacker: attacker.privateKey,
    ec: ec.privateKey,
    jwksRsa: { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] },
    jwksEc: { keys: [{ ...(await exportJWK(ec.publicKey)), kid: "e1", alg: "ES256", use: "sig" }] },
  };
});

type Route = () => Response | Promise<Response>;

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A fetch that serves the test providers' documents and counts requests per URL. */
function fakeFetch(overrides: Record<string, Route> = {}) {
  const calls: string[] = [];
  const routes: Record<string, Route> = {
    [`${OIDC_DOMAIN}/.well-known/openid-configuration`]: () =>
      jsonResponse({ issuer: OIDC_DOMAIN, jwks_uri: OIDC_JWKS, id_token_signing_alg_values_supported: ["RS256"] }),
    [OIDC_JWKS]: () => jsonResponse(keys.jwksRsa),
    [CUSTOM_JWKS]: () => jsonResponse(keys.jwksEc),
    [NO_AUD_JWKS]: () => jsonResponse(keys.jwksRsa),
    ...overrides,
  };
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(url);
    const route = routes[url];
    return route === undefined ? new Response("not found", { status: 404 }) : route();
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function verifier(options: JwtVerifierOptions = {}, list: AuthProviderConfig[] = providers) {
  return createJwtVerifier(list, { fetch: fakeFetch().fetchImpl, now: () => NOW_MS, ...options });
}

interface TokenSpec {
  claims?: JWTPayload;
  iss?: string;
  aud?: string | string[];
  sub?: string | null;
  exp?: number | null;
  nbf?: number;
  alg?: string;
  kid?: string;
  key?: CryptoKey | Uint8Array;
}

/** Signs an OIDC-provider token by default; each field of `spec` changes one thing. */
async function token(spec: TokenSpec = {}): Promise<string> {
  const payload: JWTPayload = {
    iss: spec.iss ?? OIDC_DOMAIN,
    aud: spec.aud ?? "app-oidc",
    iat: NOW_S - 10,
    ...(spec.sub === null ? {} : { sub: spec.sub ?? "user-1" }),
    ...(spec.exp === null ? {} : { exp: spec.exp ?? NOW_S + 3600 }),
    ...(spec.nbf === undefined ? {} : { nbf: spec.nbf }),
    ...spec.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: spec.alg ?? "RS256", kid: spec.kid ?? "k1", typ: "JWT" })
    .sign(spec.key ?? keys.rsa);
}

function customToken(spec: TokenSpec = {}): Promise<string> {
  return token({ iss: CUSTOM_ISSUER, aud: "app-custom", alg: "ES256", kid: "e1", key: keys.ec, ...spec });
}

describe("accepted tokens", () => {
  it("accepts an OIDC token and builds the identity a deployment returns", async () => {
    const jwt = await token({
      claims: {
        name: "Ada Lovelace",
        given_name: "Ada",
        family_name: "Lovelace",
        email: "ada@example.test",
        email_verified: true,
        picture: "https://example.test/ada.png",
        locale: "en-GB",
        address: { formatted: "12 St James's Square, London" },
        updated_at: 1_700_000_000,
        website: "https://ada.example.test",
        azp: "app-oidc",
        nonce: "n-1",
        jti: "id-1",
        org: { id: "org-1" },
        roles: ["owner"],
        givenName: "Mallory",
      },
    });
    expect(await verifier().verify(jwt)).toEqual({
      ok: true,
      expiresAtMs: (NOW_S + 3600) * 1000,
      identity: {
        tokenIdentifier: `${OIDC_DOMAIN}|user-1`,
        subject: "user-1",
        issuer: OIDC_DOMAIN,
        name: "Ada Lovelace",
        givenName: "Ada",
        familyName: "Lovelace",
        email: "ada@example.test",
        emailVerified: true,
        pictureUrl: "https://example.test/ada.png",
        language: "en-GB",
        address: "12 St James's Square, London",
        updatedAt: "2023-11-14T22:13:20+00:00",
        org: { id: "org-1" },
        roles: ["owner"],
      },
    });
  });

  it("accepts an OIDC token whose issuer differs from the domain by a trailing slash", async () => {
    const list: AuthProviderConfig[] = [{ domain: `${OIDC_DOMAIN}/`, applicationID: "app-oidc" }];
    const result = await verifier({}, list).verify(await token());
    expect(result.ok).toBe(true);
  });

  it("accepts an OIDC token whose audience list contains the application id", async () => {
    const result = await verifier().verify(await token({ aud: ["other", "app-oidc"] }));
    expect(result.ok).toBe(true);
  });

  it("accepts a customJwt token and flattens nested claims as a deployment does", async () => {
    const jwt = await customToken({
      claims: { email: "ops@example.test", given_name: "Op", org: { id: "o-1", plan: { tier: "pro" } }, fva: [1, 2] },
    });
    expect(await verifier().verify(jwt)).toEqual({
      ok: true,
      expiresAtMs: (NOW_S + 3600) * 1000,
      identity: {
        tokenIdentifier: `${CUSTOM_ISSUER}|user-1`,
        subject: "user-1",
        issuer: CUSTOM_ISSUER,
        email: "ops@example.test",
        given_name: "Op",
        "org.id": "o-1",
        "org.plan.tier": "pro",
      },
    });
  });

  it("does not check the audience of a customJwt provider without applicationID", async () => {
    const result = await verifier().verify(await token({ iss: NO_AUD_ISSUER, aud: "anything" }));
    expect(result.ok).toBe(true);
  });

  it("never lets a claim impersonate tokenIdentifier, subject or issuer", async () => {
    const jwt = await customToken({
      claims: { tokenIdentifier: "https://evil|admin", subject: "admin", issuer: "https://evil" },
    });
    const result = await verifier().verify(jwt);
    expect(result.ok && result.identity).toEqual({
      tokenIdentifier: `${CUSTOM_ISSUER}|user-1`,
      subject: "user-1",
      issuer: CUSTOM_ISSUER,
    });
  });

  it("tolerates a clock difference of up to 5 seconds", async () => {
    expect((await verifier().verify(await token({ exp: NOW_S - 4 }))).ok).toBe(true);
    expect((await verifier().verify(await token({ nbf: NOW_S + 4 }))).ok).toBe(true);
  });
});

describe("refused tokens", () => {
  it.each<[string, () => Promise<string>, string]>([
    ["signed by another key under the same kid", () => token({ key: keys.attacker }), JWT_ERRORS.signature],
    ["signed by a key the JWKS does not list", () => token({ key: keys.attacker, kid: "k2" }), JWT_ERRORS.signature],
    ["from an unknown issuer", () => token({ iss: "https://evil.example.test" }), JWT_ERRORS.noProvider],
    ["for another application", () => token({ aud: "other-app" }), JWT_ERRORS.noProvider],
    ["without an issuer", () => token({ claims: { iss: undefined } }), JWT_ERRORS.noProvider],
    ["without an audience", () => token({ claims: { aud: undefined } }), JWT_ERRORS.noProvider],
    ["expired", () => token({ exp: NOW_S - 6 }), JWT_ERRORS.expired],
    ["not valid yet (nbf)", () => token({ nbf: NOW_S + 60 }), JWT_ERRORS.notYetValid],
    ["without exp", () => token({ exp: null }), JWT_ERRORS.missingClaim],
    ["without sub", () => token({ sub: null }), JWT_ERRORS.missingClaim],
    ["with an empty sub", () => token({ sub: "" }), JWT_ERRORS.missingClaim],
    [
      "unsigned (alg none)",
      async () => new UnsecuredJWT({ sub: "user-1", aud: "app-oidc", exp: NOW_S + 60 }).setIssuer(OIDC_DOMAIN).encode(),
      JWT_ERRORS.algorithm,
    ],
    [
      "HS256 with the public key as the HMAC secret",
      () => token({ alg: "HS256", key: new TextEncoder().encode(keys.rsaPublicPem) }),
      JWT_ERRORS.algorithm,
    ],
    [
      "customJwt token in an algorithm other than the declared one",
      () => customToken({ alg: "RS256", key: keys.rsa }),
      JWT_ERRORS.algorithm,
    ],
    ["customJwt token for another application", () => customToken({ aud: "app-oidc" }), JWT_ERRORS.noProvider],
    ["customJwt token whose issuer has a trailing slash", () => customToken({ iss: `${CUSTOM_ISSUER}/` }), JWT_ERRORS.noProvider],
    ["two segments only", async () => "abc.def", JWT_ERRORS.malformed],
    ["empty", async () => "", JWT_ERRORS.malformed],
    ["garbage", async () => "not a token at all", JWT_ERRORS.malformed],
    ["over 16 KB", async () => `${"a".repeat(10_000)}.${"b".repeat(10_000)}.c`, JWT_ERRORS.malformed],
    [
      "with a payload altered after signing",
      async () => {
        const [header, , signature] = (await token()).split(".");
        const forged = Buffer.from(JSON.stringify({ iss: OIDC_DOMAIN, aud: "app-oidc", sub: "admin", exp: NOW_S + 60 }));
        return `${header}.${forged.toString("base64url")}.${signature}`;
      },
      JWT_ERRORS.signature,
    ],
  ])("refuses a token %s", async (_name, make, error) => {
    expect(await verifier().verify(await make())).toEqual({ ok: false, error });
  });

  it("refuses an OIDC token in an algorithm the discovery document does not list", async () => {
    const { fetchImpl } = fakeFetch({
      [`${OIDC_DOMAIN}/.well-known/openid-configuration`]: () =>
        jsonResponse({ issuer: OIDC_DOMAIN, jwks_uri: OIDC_JWKS, id_token_signing_alg_values_supported: ["ES256", "HS256"] }),
    });
    const result = await verifier({ fetch: fetchImpl }).verify(await token());
    expect(result).toEqual({ ok: false, error: JWT_ERRORS.algorithm });
  });
});

describe("key sources", () => {
  const failures: Array<[string, Record<string, Route>]> = [
    ["the JWKS endpoint is unreachable", { [OIDC_JWKS]: () => Promise.reject(new TypeError("fetch failed")) }],
    ["the JWKS endpoint answers 500", { [OIDC_JWKS]: () => new Response("boom", { status: 500 }) }],
    ["the JWKS endpoint redirects", { [OIDC_JWKS]: () => new Response(null, { status: 302, headers: { location: "https://evil" } }) }],
    ["the JWKS is not JSON", { [OIDC_JWKS]: () => new Response("<html>", { status: 200 }) }],
    ["the JWKS is over 256 KB", { [OIDC_JWKS]: () => jsonResponse({ keys: [], padding: "x".repeat(300_000) }) }],
    [
      "discovery is unreachable",
      { [`${OIDC_DOMAIN}/.well-known/openid-configuration`]: () => Promise.reject(new TypeError("fetch failed")) },
    ],
    [
      "discovery names another issuer",
      {
        [`${OIDC_DOMAIN}/.well-known/openid-configuration`]: () =>
          jsonResponse({ issuer: "https://evil.example.test", jwks_uri: OIDC_JWKS }),
      },
    ],
    [
      "discovery points to a JWKS over plain http",
      {
        [`${OIDC_DOMAIN}/.well-known/openid-configuration`]: () =>
          jsonResponse({ issuer: OIDC_DOMAIN, jwks_uri: "http://idp.example.test/keys.json" }),
      },
    ],
  ];

  it.each(failures)("fails closed when %s", async (_name, overrides) => {
    const { fetchImpl } = fakeFetch(overrides);
    const result = await verifier({ fetch: fetchImpl }).verify(await token());
    expect(result).toEqual({ ok: false, error: JWT_ERRORS.keysUnavailable });
  });

  it("fails closed when the customJwt JWKS endpoint is down", async () => {
    const { fetchImpl } = fakeFetch({ [CUSTOM_JWKS]: () => Promise.reject(new TypeError("fetch failed")) });
    const result = await verifier({ fetch: fetchImpl }).verify(await customToken());
    expect(result).toEqual({ ok: false, error: JWT_ERRORS.keysUnavailable });
  });

  it("gives up on a key endpoint that does not answer within the timeout", async () => {
    const hang: Route = () => new Promise<Response>(() => undefined);
    const { fetchImpl } = fakeFetch({ [OIDC_JWKS]: hang });
    const hanging = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = fetchImpl(input, init);
      // Like a real fetch, give up when the caller's signal aborts.
      return new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        response.then(resolve, reject);
      });
    }) as typeof fetch;
    const started = Date.now();
    const result = await verifier({ fetch: hanging, fetchTimeoutMs: 100 }).verify(await token());
    expect(result).toEqual({ ok: false, error: JWT_ERRORS.keysUnavailable });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fetches discovery and keys once, then serves later tokens from the cache", async () => {
    const { fetchImpl, calls } = fakeFetch();
    const instance = verifier({ fetch: fetchImpl });
    for (let i = 0; i < 3; i++) expect((await instance.verify(await token({ sub: `user-${i}` }))).ok).toBe(true);
    expect(calls).toEqual([`${OIDC_DOMAIN}/.well-known/openid-configuration`, OIDC_JWKS]);
  });

  it("fetches discovery again once the cache time has passed", async () => {
    const { fetchImpl, calls } = fakeFetch();
    let now = NOW_MS;
    const instance = createJwtVerifier(providers, { fetch: fetchImpl, now: () => now, jwksCacheMs: 60_000 });
    expect((await instance.verify(await token())).ok).toBe(true);
    now += 60_000;
    expect((await instance.verify(await token())).ok).toBe(true);
    expect(calls.filter((url) => url.endsWith("openid-configuration"))).toHaveLength(2);
  });

  it.each<[string, AuthProviderConfig, string]>([
    [
      "an OIDC domain over plain http",
      { domain: "http://idp.example.test", applicationID: "a" },
      "auth.config.ts provider 0: domain must be an https URL (or http on a loopback address)",
    ],
    [
      "a customJwt JWKS over plain http",
      { type: "customJwt", issuer: "x", jwks: "http://idp.example.test/jwks", algorithm: "RS256" },
      "auth.config.ts provider 0: jwks must be an https URL (or http on a loopback address)",
    ],
    [
      "an OIDC provider without applicationID",
      { domain: OIDC_DOMAIN, applicationID: "" },
      "auth.config.ts provider 0: applicationID is missing",
    ],
  ])("refuses at creation %s", (_name, provider, message) => {
    expect(() => createJwtVerifier([provider])).toThrow(message);
  });

  it("allows plain http on loopback addresses", () => {
    expect(() =>
      createJwtVerifier([
        { domain: "http://127.0.0.1:3211", applicationID: "clawsync-local" },
        { domain: "http://localhost:3211", applicationID: "clawsync-local" },
        { domain: "http://[::1]:3211", applicationID: "clawsync-local" },
      ]),
    ).not.toThrow();
  });
});

describe("over real HTTP", () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const documents: Record<string, unknown> = {
        "/.well-known/openid-configuration": { issuer: origin, jwks_uri: `${origin}/.well-known/jwks.json` },
        "/.well-known/jwks.json": keys.jwksRsa,
      };
      const document = documents[req.url ?? ""];
      res.writeHead(document === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(document ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("verifies through OIDC discovery served by a local HTTP server", async () => {
    const instance = createJwtVerifier([{ domain: origin, applicationID: "clawsync-local" }], { now: () => NOW_MS });
    const result = await instance.verify(await token({ iss: origin, aud: "clawsync-local" }));
    expect(result).toEqual({
      ok: true,
      expiresAtMs: (NOW_S + 3600) * 1000,
      identity: { tokenIdentifier: `${origin}|user-1`, subject: "user-1", issuer: origin },
    });
  });

  it("fails closed when the server is gone", async () => {
    const gone = `http://127.0.0.1:1`;
    const instance = createJwtVerifier([{ domain: gone, applicationID: "clawsync-local" }], { now: () => NOW_MS });
    const result = await instance.verify(await token({ iss: gone, aud: "clawsync-local" }));
    expect(result).toEqual({ ok: false, error: JWT_ERRORS.keysUnavailable });
  });
});
