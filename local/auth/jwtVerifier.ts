// Verifies user JWTs the way a Convex deployment does, against the providers of
// `convex/auth.config.ts`: OIDC providers through discovery, `customJwt` providers through their
// JWKS URL. Every failure is refused with a short message that is safe to show the client.
import type { AuthProvider, UserIdentity } from "convex/server";
import type { JSONValue } from "convex/values";
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import type { FetchImplementation, JWTPayload, JWTVerifyGetKey, ProtectedHeaderParameters } from "jose";

/** One entry of `providers` in `convex/auth.config.ts`. */
export type AuthProviderConfig = AuthProvider;

/** What `ctx.auth.getUserIdentity()` returns for a verified token. */
export type VerifiedIdentity = UserIdentity;

/** Outcome of {@link JwtVerifier.verify}. */
export type JwtVerification =
  | { ok: true; identity: VerifiedIdentity; expiresAtMs: number }
  | { ok: false; error: string };

/** Verifies bearer tokens against a fixed list of providers. */
export interface JwtVerifier {
  verify(token: string): Promise<JwtVerification>;
}

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /** Used for discovery and JWKS requests (tests inject one). */
  fetch?: typeof fetch;
  /** Clock for token times and the discovery cache, in ms since the epoch. */
  now?: () => number;
  /** How long discovery documents and key sets are cached. Default 10 minutes. */
  jwksCacheMs?: number;
  /** Timeout of each discovery or JWKS request. Default 5 seconds. */
  fetchTimeoutMs?: number;
}

/**
 * The refusal messages. They go to the client as the text of an AuthError, so they say what kind
 * of check failed and nothing about keys, configuration or the token's content.
 */
export const JWT_ERRORS = Object.freeze({
  malformed: "Could not parse as id token",
  algorithm: "Token algorithm not allowed",
  noProvider: "No auth provider found matching the given token",
  expired: "Token expired",
  notYetValid: "Token not yet valid",
  missingClaim: "Token is missing a required claim",
  signature: "Could not verify token signature",
  keysUnavailable: "Could not fetch the auth provider's signing keys",
  claim: "Could not verify token claim",
});

const CLOCK_TOLERANCE_S = 5;
const MAX_TOKEN_LENGTH = 16_384;
// Discovery documents and key sets are a few KB; the cap stops a hostile endpoint filling memory.
const MAX_DOCUMENT_BYTES = 256 * 1024;
const DEFAULT_CACHE_MS = 10 * 60_000;
const DEFAULT_TIMEOUT_MS = 5_000;
// Only public-key algorithms: with an HMAC algorithm, anyone holding the public key could sign.
const ASYMMETRIC_ALGORITHMS = new Set([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

/** Where a provider's keys live and which algorithms its tokens may use. */
interface KeySource {
  /** The exact `iss` tokens must carry. */
  issuer: string;
  jwksUrl: URL;
  algorithms: string[];
}

/** Raised when a provider's discovery document or key set cannot be fetched or is unusable. */
class KeysUnavailable extends Error {}

/**
 * Creates a verifier for `providers`. Throws at once on a provider that is malformed or whose URL
 * is neither https nor http on a loopback address, so a bad `auth.config.ts` fails at start.
 */
export function createJwtVerifier(providers: AuthProviderConfig[], options: JwtVerifierOptions = {}): JwtVerifier {
  providers.forEach(validateProvider);
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const cacheMs = options.jwksCacheMs ?? DEFAULT_CACHE_MS;
  const timeoutMs = options.fetchTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const discovered = new Map<string, { source: KeySource; fetchedAtMs: number }>();
  const discovering = new Map<string, Promise<KeySource>>();
  const keySets = new Map<string, JWTVerifyGetKey>();

  // Refuses redirects, bounds the time and the size of every response.
  const limitedFetch: FetchImplementation = async (url, init) => {
    const response = await fetchImpl(url, init);
    const body = await readLimited(response, MAX_DOCUMENT_BYTES);
    return new Response(body, { status: response.status, headers: response.headers });
  };

  async function discover(domain: string): Promise<KeySource> {
    const base = withoutTrailingSlash(domain);
    const response = await limitedFetch(`${base}/.well-known/openid-configuration`, {
      method: "GET",
      headers: new Headers({ accept: "application/json" }),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) throw new KeysUnavailable();
    const document: unknown = await response.json();
    if (!isRecord(document) || typeof document.issuer !== "string" || typeof document.jwks_uri !== "string") {
      throw new KeysUnavailable();
    }
    if (withoutTrailingSlash(document.issuer) !== base) throw new KeysUnavailable();
    const jwksUrl = parseTrustedUrl(document.jwks_uri);
    if (jwksUrl === null) throw new KeysUnavailable();
    return { issuer: document.issuer, jwksUrl, algorithms: oidcAlgorithms(document.id_token_signing_alg_values_supported) };
  }

  async function keySourceFor(provider: AuthProviderConfig): Promise<KeySource> {
    if ("type" in provider) {
      return { issuer: provider.issuer, jwksUrl: new URL(provider.jwks), algorithms: [provider.algorithm] };
    }
    const cached = discovered.get(provider.domain);
    if (cached !== undefined && now() - cached.fetchedAtMs < cacheMs) return cached.source;
    // Concurrent verifications for one provider share a single discovery request.
    let pending = discovering.get(provider.domain);
    if (pending === undefined) {
      pending = discover(provider.domain)
        .then((source) => {
          discovered.set(provider.domain, { source, fetchedAtMs: now() });
          return source;
        })
        .finally(() => discovering.delete(provider.domain));
      discovering.set(provider.domain, pending);
    }
    return pending;
  }

  function keySetFor(url: URL): JWTVerifyGetKey {
    let getKey = keySets.get(url.href);
    if (getKey === undefined) {
      // jose caches the set and refetches it (at most every 30 s) when a token names an unknown kid.
      const remote = createRemoteJWKSet(url, {
        timeoutDuration: timeoutMs,
        cacheMaxAge: cacheMs,
        [customFetch]: limitedFetch,
      });
      getKey = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
          throw new KeysUnavailable();
        }
      };
      keySets.set(url.href, getKey);
    }
    return getKey;
  }

  async function verify(token: string): Promise<JwtVerification> {
    const unverified = decodeUnverified(token);
    if (unverified === null) return refuse(JWT_ERRORS.malformed);
    const { header, claims } = unverified;
    if (typeof header.alg !== "string" || !ASYMMETRIC_ALGORITHMS.has(header.alg)) return refuse(JWT_ERRORS.algorithm);
    const provider = providers.find((candidate) => providerMatches(candidate, claims));
    if (provider === undefined) return refuse(JWT_ERRORS.noProvider);
    let source: KeySource;
    try {
      source = await keySourceFor(provider);
    } catch {
      return refuse(JWT_ERRORS.keysUnavailable);
    }
    try {
      const { payload } = await jwtVerify(token, keySetFor(source.jwksUrl), {
        issuer: source.issuer,
        audience: provider.applicationID,
        algorithms: source.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
        requiredClaims: ["exp", "sub"],
      });
      if (typeof payload.sub !== "string" || payload.sub.length === 0 || typeof payload.exp !== "number") {
        return refuse(JWT_ERRORS.missingClaim);
      }
      const identity = "type" in provider ? customJwtIdentity(payload) : oidcIdentity(payload);
      return { ok: true, identity, expiresAtMs: payload.exp * 1000 };
    } catch (error) {
      return refuse(classify(error));
    }
  }

  return { verify };
}

function refuse(error: string): JwtVerification {
  return { ok: false, error };
}

function decodeUnverified(token: unknown): { header: ProtectedHeaderParameters; claims: JWTPayload } | null {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return null;
  }
}

/** Matches as a deployment does: OIDC issuers modulo a trailing slash, customJwt issuers exactly. */
function providerMatches(provider: AuthProviderConfig, claims: JWTPayload): boolean {
  if (typeof claims.iss !== "string") return false;
  const audiences = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  if ("type" in provider) {
    if (claims.iss !== provider.issuer) return false;
    return provider.applicationID === undefined || audiences.includes(provider.applicationID);
  }
  return (
    withoutTrailingSlash(claims.iss) === withoutTrailingSlash(provider.domain) &&
    audiences.includes(provider.applicationID)
  );
}

function classify(error: unknown): string {
  if (error instanceof KeysUnavailable) return JWT_ERRORS.keysUnavailable;
  if (error instanceof errors.JWTExpired) return JWT_ERRORS.expired;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return JWT_ERRORS.missingClaim;
    if (error.claim === "nbf" || error.claim === "iat") return JWT_ERRORS.notYetValid;
    return JWT_ERRORS.claim;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return JWT_ERRORS.algorithm;
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return JWT_ERRORS.signature;
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return JWT_ERRORS.malformed;
  return JWT_ERRORS.claim;
}

function validateProvider(provider: AuthProviderConfig, index: number): void {
  const where = `auth.config.ts provider ${index}`;
  if ("type" in provider) {
    if (provider.type !== "customJwt") throw new Error(`${where}: unknown type`);
    if (typeof provider.issuer !== "string" || provider.issuer.length === 0) throw new Error(`${where}: issuer is missing`);
    if (provider.algorithm !== "RS256" && provider.algorithm !== "ES256") {
      throw new Error(`${where}: algorithm must be RS256 or ES256`);
    }
    if (typeof provider.jwks !== "string" || parseTrustedUrl(provider.jwks) === null) {
      throw new Error(`${where}: jwks must be an https URL (or http on a loopback address)`);
    }
    return;
  }
  if (typeof provider.domain !== "string" || parseTrustedUrl(provider.domain) === null) {
    throw new Error(`${where}: domain must be an https URL (or http on a loopback address)`);
  }
  if (typeof provider.applicationID !== "string" || provider.applicationID.length === 0) {
    throw new Error(`${where}: applicationID is missing`);
  }
}

/** Accepts https anywhere and plain http only on loopback, where no network can tamper with keys. */
function parseTrustedUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username !== "" || url.password !== "") return null;
  if (url.protocol === "https:") return url;
  if (url.protocol !== "http:") return null;
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host) ? url : null;
}

/** A discovery document's signing algorithms, public-key ones only; RS256 when it names none. */
function oidcAlgorithms(advertised: unknown): string[] {
  if (!Array.isArray(advertised)) return ["RS256"];
  return advertised.filter((alg): alg is string => typeof alg === "string" && ASYMMETRIC_ALGORITHMS.has(alg));
}

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new KeysUnavailable();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body !== null) {
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new KeysUnavailable();
      }
      chunks.push(chunk.value);
    }
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

// Registered JWT claims: never part of the identity's extra fields.
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);
// OIDC ID-token protocol claims and claims that change on every refresh (Clerk's `fva`), which a
// deployment leaves out so that identical users get identical identities.
const PROTOCOL_CLAIMS = new Set(["auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "fva"]);
// Fields a deployment derives itself; a claim with one of these names must not impersonate them.
const IDENTITY_FIELDS = new Set(["tokenIdentifier", "subject", "issuer"]);

const OIDC_STRING_CLAIMS: ReadonlyArray<readonly [claim: string, field: string]> = [
  ["name", "name"],
  ["given_name", "givenName"],
  ["family_name", "familyName"],
  ["nickname", "nickname"],
  ["preferred_username", "preferredUsername"],
  ["profile", "profileUrl"],
  ["picture", "pictureUrl"],
  ["email", "email"],
  ["gender", "gender"],
  ["birthdate", "birthday"],
  ["zoneinfo", "timezone"],
  ["locale", "language"],
  ["phone_number", "phoneNumber"],
];
const OIDC_BOOLEAN_CLAIMS: ReadonlyArray<readonly [claim: string, field: string]> = [
  ["email_verified", "emailVerified"],
  ["phone_number_verified", "phoneNumberVerified"],
];
// Standard claims; `website` has no field in UserIdentity and a deployment drops it.
const OIDC_CLAIMS = new Set([
  ...OIDC_STRING_CLAIMS.map(([claim]) => claim),
  ...OIDC_BOOLEAN_CLAIMS.map(([claim]) => claim),
  "address",
  "updated_at",
  "website",
]);
const OIDC_FIELDS = new Set([
  ...OIDC_STRING_CLAIMS.map(([, field]) => field),
  ...OIDC_BOOLEAN_CLAIMS.map(([, field]) => field),
  "address",
  "updatedAt",
]);

function baseIdentity(payload: JWTPayload) {
  const issuer = payload.iss as string; // checked by jwtVerify's issuer option
  const subject = payload.sub as string; // checked by the caller
  return { tokenIdentifier: `${issuer}|${subject}`, subject, issuer };
}

/**
 * The identity of an OIDC token: standard claims under their camelCase names, other claims as
 * they are, as a deployment builds it. Extra claims cannot shadow a standard field.
 */
function oidcIdentity(payload: JWTPayload): VerifiedIdentity {
  const fields: Record<string, JSONValue> = {};
  for (const [claim, value] of Object.entries(payload)) {
    if (REGISTERED_CLAIMS.has(claim) || PROTOCOL_CLAIMS.has(claim) || OIDC_CLAIMS.has(claim)) continue;
    if (IDENTITY_FIELDS.has(claim) || OIDC_FIELDS.has(claim) || value === undefined) continue;
    fields[claim] = value as JSONValue; // parsed from JSON, so it is JSON
  }
  for (const [claim, field] of OIDC_STRING_CLAIMS) {
    const value = payload[claim];
    if (typeof value === "string") fields[field] = value;
  }
  for (const [claim, field] of OIDC_BOOLEAN_CLAIMS) {
    const value = payload[claim];
    if (typeof value === "boolean") fields[field] = value;
  }
  const address = payload.address;
  if (isRecord(address) && typeof address.formatted === "string") fields.address = address.formatted;
  const updatedAt = payload.updated_at;
  if (typeof updatedAt === "number" && Number.isFinite(updatedAt)) fields.updatedAt = rfc3339(updatedAt);
  return { ...fields, ...baseIdentity(payload) };
}

/**
 * The identity of a customJwt token: every non-registered claim under its own name, nested
 * objects flattened to dotted names (`org.id`), as a deployment builds it.
 */
function customJwtIdentity(payload: JWTPayload): VerifiedIdentity {
  const fields: Record<string, JSONValue> = {};
  const add = (prefix: string, claims: Record<string, unknown>) => {
    for (const [claim, value] of Object.entries(claims)) {
      const name = prefix + claim;
      if (isRecord(value)) add(`${name}.`, value);
      else if (value !== undefined && !IDENTITY_FIELDS.has(name)) fields[name] = value as JSONValue; // parsed from JSON
    }
  };
  const custom = Object.fromEntries(
    Object.entries(payload).filter(([claim]) => !REGISTERED_CLAIMS.has(claim) && claim !== "fva"),
  );
  add("", custom);
  return { ...fields, ...baseIdentity(payload) };
}

/** Seconds since the epoch as RFC 3339 with a `+00:00` offset, the form a deployment returns. */
function rfc3339(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
