// The local runtime's built-in identity provider: lets the owner sign in offline with a one-time
// link printed at start. It publishes OIDC discovery and a JWKS on the site origin, so the JWT
// verifier treats it like any other OIDC provider, and issues short RS256 ID tokens plus rotating
// refresh tokens. Failures are rate limited with lockout and every auth event is audited.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { calculateJwkThumbprint, SignJWT } from "jose";
import { BruteForceGuard } from "./bruteForce.ts";
import {
  appendSecureLine,
  createSecureFileExclusive,
  ensureSecureDir,
  readSecureFile,
  writeSecureFile,
} from "./secureFiles.ts";

/** Lifetime of an ID token. */
export const ID_TOKEN_TTL_MS = 60 * 60_000;
/** Lifetime of a refresh token; each refresh issues a new one with a fresh lifetime. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;
/** Lifetime of a one-time sign-in code. */
export const SIGN_IN_CODE_TTL_MS = 15 * 60_000;
/** Largest accepted request body on the token endpoints. */
export const MAX_BODY_BYTES = 4096;
/** The name every local-owner token carries. */
export const LOCAL_OWNER_NAME = "Local owner";

/** Paths this provider answers on the site origin. */
export const LOCAL_IDP_PATHS = Object.freeze({
  discovery: "/.well-known/openid-configuration",
  jwks: "/.well-known/jwks.json",
  exchange: "/_local_auth/exchange",
  refresh: "/_local_auth/refresh",
  signOut: "/_local_auth/sign-out",
});

/** Names of the events written to the auth audit log. */
export type AuthEventName =
  | "sign_in"
  | "sign_in_failed"
  | "refresh"
  | "refresh_failed"
  | "refresh_reuse"
  | "refresh_retry"
  | "sign_out"
  | "lockout";

/** One line of `<dataDir>/auth/audit.jsonl`. Never holds a code or a token. */
export interface AuthAuditEvent {
  /** ISO 8601 time of the event. */
  time: string;
  event: AuthEventName;
  /** Who made the request (the remote address the server passed in). */
  clientKey: string;
  /** Why a failure failed: unknown_code, expired_code, unknown_token, expired_token, revoked_token. */
  reason?: string;
  /** Random id of the sign-in session (a refresh-token family), for correlating events. */
  session?: string;
}

/** Options of {@link LocalIdentityProvider.open}. */
export interface LocalIdpOptions {
  dataDir: string;
  /** The site origin, e.g. `http://127.0.0.1:3211`: the `iss` of every token. */
  issuer: string;
  /** The `aud` of every token, e.g. `clawsync-local`. */
  audience: string;
  /** Origins of the web UI allowed to call the token endpoints from a browser. */
  uiOrigins: string[];
  now?: () => number;
  /** Called with every audit event, e.g. to print it. */
  onEvent?: (event: AuthAuditEvent) => void;
}

/** Body of a successful exchange or refresh. */
export interface TokenGrant {
  token: string;
  refreshToken: string;
  /** When `token` expires, ms since the epoch. */
  expiresAtMs: number;
}

interface RefreshRecord {
  /** SHA-256 of the refresh token; the token itself is never stored. */
  hash: string;
  session: string;
  issuedAtMs: number;
  expiresAtMs: number;
  revokedAtMs: number | null;
  /**
   * When the token itself was exchanged for a successor, as opposed to revoked with its session.
   * Only such a token may be presented once more, briefly, as a retry (REFRESH_RETRY_GRACE_MS).
   */
  rotatedAtMs?: number;
  /** Set when that one retry happened, so a token can never be retried twice. */
  retriedAtMs?: number;
}

const KEY_FILE = join("keys", "local-idp.pem");
const OWNER_ID_FILE = join("auth", "local-owner-id");
const REFRESH_FILE = join("auth", "refresh-tokens.json");
const AUDIT_FILE = join("auth", "audit.jsonl");
const AUDIT_ROTATE_BYTES = 5 * 1024 * 1024;
const MAX_PENDING_CODES = 32;
// Rotated-out tokens are kept until they expire so that their reuse can be detected; this bounds
// the file if a client refreshes unusually often (the oldest revoked records go first).
const MAX_REFRESH_RECORDS = 5000;
// How long after a rotation the old refresh token may still be presented once, as a retry of a
// refresh whose answer never arrived (a page reload mid-request). Later, it counts as reuse.
const REFRESH_RETRY_GRACE_MS = 20_000;
const MAX_CREDENTIAL_LENGTH = 512;
const MAX_CLIENT_KEY_LENGTH = 200;
const OWNER_ID_PATTERN = /^[0-9a-f]{32}$/;

const JSON_HEADERS = {
  "Content-Type": "application/json",
  "X-Content-Type-Options": "nosniff",
};

/** The built-in identity provider of the local runtime. Create it with {@link LocalIdentityProvider.open}. */
export class LocalIdentityProvider {
  /** The `sub` of the local owner, stable for the data folder. */
  readonly subject: string;
  /** Key id of the signing key, stable for the data folder (the key's JWK thumbprint). */
  readonly kid: string;

  private readonly codes = new Map<string, { expiresAtMs: number }>();
  private readonly guard: BruteForceGuard;
  private readonly now: () => number;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly publicJwk: Record<string, string>;
  private writeQueue: Promise<void> = Promise.resolve();
  private auditQueue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: LocalIdpOptions,
    readonly issuer: string,
    private readonly privateKey: KeyObject,
    keyInfo: { kid: string; publicJwk: Record<string, string> },
    ownerId: string,
    private readonly refreshTokens: Map<string, RefreshRecord>,
  ) {
    this.now = options.now ?? Date.now;
    this.guard = new BruteForceGuard({ now: this.now });
    this.allowedOrigins = new Set(options.uiOrigins.map(normalizeOrigin));
    this.kid = keyInfo.kid;
    this.publicJwk = keyInfo.publicJwk;
    this.subject = `local-owner-${ownerId}`;
  }

  /** The `aud` of every token. */
  get audience(): string {
    return this.options.audience;
  }

  /**
   * Opens the provider for `dataDir`: loads the signing key, owner id and refresh tokens, creating
   * the key (RS256, 2048 bits) and owner id on first use. Files 0600, folders 0700.
   */
  static async open(options: LocalIdpOptions): Promise<LocalIdentityProvider> {
    const issuer = normalizeIssuer(options.issuer);
    if (options.audience.length === 0) throw new Error("The local identity provider needs an audience");
    const { dataDir } = options;
    await ensureSecureDir(dataDir);
    await ensureSecureDir(join(dataDir, "keys"));
    await ensureSecureDir(join(dataDir, "auth"));
    const privateKey = await loadOrCreateSigningKey(join(dataDir, KEY_FILE));
    const keyInfo = await describePublicKey(privateKey);
    const ownerId = await loadOrCreateOwnerId(join(dataDir, OWNER_ID_FILE));
    const refreshTokens = await loadRefreshTokens(join(dataDir, REFRESH_FILE));
    return new LocalIdentityProvider(options, issuer, privateKey, keyInfo, ownerId, refreshTokens);
  }

  /**
   * Creates a one-time sign-in link for the web UI at `uiOrigin` (one of `uiOrigins`). The code
   * travels in the URL fragment, which browsers never send to a server, so it stays out of logs.
   */
  mintSignInLink(uiOrigin: string): { url: string; expiresAtMs: number } {
    const origin = normalizeOrigin(uiOrigin);
    if (!this.allowedOrigins.has(origin)) throw new Error(`${origin} is not one of the UI origins`);
    const now = this.now();
    for (const [hash, entry] of this.codes) if (entry.expiresAtMs <= now) this.codes.delete(hash);
    const oldest = this.codes.keys().next();
    if (this.codes.size >= MAX_PENDING_CODES && oldest.done !== true) this.codes.delete(oldest.value);
    const code = randomBytes(32).toString("base64url");
    const expiresAtMs = now + SIGN_IN_CODE_TTL_MS;
    this.codes.set(sha256(code), { expiresAtMs });
    return { url: `${origin}/syncboard/sign-in#code=${code}`, expiresAtMs };
  }

  /**
   * Answers the provider's endpoints; returns null for any other path so the site server can route
   * it on. `clientKey` identifies the caller for lockout and the audit log (the remote address).
   */
  async handle(request: Request, clientKey: string): Promise<Response | null> {
    const path = new URL(request.url).pathname;
    switch (path) {
      case LOCAL_IDP_PATHS.discovery:
        return publicDocument(request, {
          issuer: this.issuer,
          jwks_uri: `${this.issuer}${LOCAL_IDP_PATHS.jwks}`,
          id_token_signing_alg_values_supported: ["RS256"],
          response_types_supported: ["id_token"],
          subject_types_supported: ["public"],
        });
      case LOCAL_IDP_PATHS.jwks:
        return publicDocument(request, { keys: [this.publicJwk] });
      case LOCAL_IDP_PATHS.exchange:
      case LOCAL_IDP_PATHS.refresh:
      case LOCAL_IDP_PATHS.signOut:
        return this.tokenEndpoint(request, path, clientKey.slice(0, MAX_CLIENT_KEY_LENGTH));
      default:
        return null;
    }
  }

  private async tokenEndpoint(request: Request, path: string, clientKey: string): Promise<Response> {
    const origin = request.headers.get("origin");
    // Requests without Origin come from non-browser clients, which CORS does not concern.
    const originAllowed = origin === null || this.allowedOrigins.has(origin);
    const cors: Record<string, string> =
      origin !== null && originAllowed
        ? // Retry-After must be exposed or the page cannot tell the owner when to try again.
          { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" }
        : { Vary: "Origin" };
    if (!originAllowed) return tokenResponse(403, { error: "origin_not_allowed" }, cors);
    if (request.method === "OPTIONS") {
      if (origin === null) return tokenResponse(400, { error: "invalid_request" }, cors);
      return tokenResponse(204, null, {
        ...cors,
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
      });
    }
    if (request.method !== "POST") return tokenResponse(405, { error: "method_not_allowed" }, { ...cors, Allow: "POST, OPTIONS" });

    const decision = this.guard.check(clientKey);
    if (!decision.allowed) {
      const retryAfter = String(Math.ceil(decision.retryAfterMs / 1000));
      return tokenResponse(429, { error: "too_many_attempts" }, { ...cors, "Retry-After": retryAfter });
    }
    // Requiring JSON also forces browsers to send a CORS preflight before any cross-origin POST.
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return tokenResponse(415, { error: "unsupported_media_type" }, cors);
    }
    const field = path === LOCAL_IDP_PATHS.exchange ? "code" : "refreshToken";
    const body = await readCredential(request, field);
    if (body === "too_large") return tokenResponse(413, { error: "request_too_large" }, cors);
    if (body === "invalid") return tokenResponse(400, { error: "invalid_request" }, cors);

    switch (path) {
      case LOCAL_IDP_PATHS.exchange:
        return this.exchange(body, clientKey, cors);
      case LOCAL_IDP_PATHS.refresh:
        return this.refresh(body, clientKey, cors);
      default:
        return this.signOut(body, clientKey, cors);
    }
  }

  private async exchange(code: string, clientKey: string, cors: Record<string, string>): Promise<Response> {
    const hash = sha256(code);
    const entry = this.codes.get(hash);
    // Deleted before any await: a code works once even when two requests race.
    this.codes.delete(hash);
    if (entry === undefined) return this.refuse("sign_in_failed", "unknown_code", clientKey, cors);
    if (entry.expiresAtMs <= this.now()) return this.refuse("sign_in_failed", "expired_code", clientKey, cors);
    const session = randomBytes(8).toString("hex");
    this.guard.recordSuccess(clientKey);
    const grant = await this.issue(session);
    await this.audit({ event: "sign_in", clientKey, session });
    return tokenResponse(200, grant, cors);
  }

  private async refresh(refreshToken: string, clientKey: string, cors: Record<string, string>): Promise<Response> {
    const now = this.now();
    // A Map lookup by SHA-256 digest: timing reveals nothing usable without a preimage.
    const record = this.refreshTokens.get(sha256(refreshToken));
    if (record === undefined) return this.refuse("refresh_failed", "unknown_token", clientKey, cors);
    const retry = record.rotatedAtMs !== undefined && record.retriedAtMs === undefined && now - record.rotatedAtMs <= REFRESH_RETRY_GRACE_MS;
    if (retry && this.sessionActive(record.session, now)) {
      // The token was rotated moments ago and its session lives on: the browser lost the answer
      // (the page was reloaded or left mid-request) and retries with the token it still holds.
      // Its successor is ended and a new one issued, so only the newest holder carries on.
      record.retriedAtMs = now;
      this.revokeSession(record.session, now);
      const grant = await this.issue(record.session);
      await this.audit({ event: "refresh_retry", clientKey, session: record.session });
      return tokenResponse(200, grant, cors);
    }
    if (record.revokedAtMs !== null) {
      // A rotated-out token came back: someone holds a copy. End the whole session.
      this.revokeSession(record.session, now);
      await this.persistRefreshTokens();
      return this.refuse("refresh_reuse", "revoked_token", clientKey, cors, record.session);
    }
    if (record.expiresAtMs <= now) return this.refuse("refresh_failed", "expired_token", clientKey, cors, record.session);
    // Revoked before any await, so two concurrent refreshes cannot both rotate the same token.
    record.revokedAtMs = now;
    record.rotatedAtMs = now;
    this.guard.recordSuccess(clientKey);
    const grant = await this.issue(record.session);
    await this.audit({ event: "refresh", clientKey, session: record.session });
    return tokenResponse(200, grant, cors);
  }

  /** Ends the session of `refreshToken`. Answers 204 whatever the token, as token revocation does (RFC 7009). */
  private async signOut(refreshToken: string, clientKey: string, cors: Record<string, string>): Promise<Response> {
    const now = this.now();
    const record = this.refreshTokens.get(sha256(refreshToken));
    if (record !== undefined && record.revokedAtMs === null && record.expiresAtMs > now) {
      this.revokeSession(record.session, now);
      await this.persistRefreshTokens();
      await this.audit({ event: "sign_out", clientKey, session: record.session });
    }
    return tokenResponse(204, null, cors);
  }

  private async refuse(
    event: AuthEventName,
    reason: string,
    clientKey: string,
    cors: Record<string, string>,
    session?: string,
  ): Promise<Response> {
    const outcome = this.guard.recordFailure(clientKey);
    await this.audit({ event, clientKey, reason, session });
    if (outcome.lockoutStarted) await this.audit({ event: "lockout", clientKey });
    return tokenResponse(401, { error: "invalid_grant" }, cors);
  }

  private async issue(session: string): Promise<TokenGrant> {
    const nowMs = this.now();
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + ID_TOKEN_TTL_MS / 1000;
    const token = await new SignJWT({ name: LOCAL_OWNER_NAME })
      .setProtectedHeader({ alg: "RS256", kid: this.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setSubject(this.subject)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.privateKey);
    const refreshToken = randomBytes(32).toString("base64url");
    const hash = sha256(refreshToken);
    this.refreshTokens.set(hash, {
      hash,
      session,
      issuedAtMs: nowMs,
      expiresAtMs: nowMs + REFRESH_TOKEN_TTL_MS,
      revokedAtMs: null,
    });
    await this.persistRefreshTokens();
    return { token, refreshToken, expiresAtMs: expiresAt * 1000 };
  }

  /** Whether the session still has a usable refresh token (it was neither signed out nor ended). */
  private sessionActive(session: string, now: number): boolean {
    for (const record of this.refreshTokens.values()) {
      if (record.session === session && record.revokedAtMs === null && record.expiresAtMs > now) return true;
    }
    return false;
  }

  private revokeSession(session: string, now: number): void {
    for (const record of this.refreshTokens.values()) {
      if (record.session === session && record.revokedAtMs === null) record.revokedAtMs = now;
    }
  }

  /** Writes the refresh tokens; writes run one after another and each writes the latest state. */
  private persistRefreshTokens(): Promise<void> {
    const write = this.writeQueue.then(() => {
      this.pruneRefreshTokens(this.now());
      const tokens = [...this.refreshTokens.values()];
      return writeSecureFile(join(this.options.dataDir, REFRESH_FILE), `${JSON.stringify({ version: 1, tokens })}\n`);
    });
    this.writeQueue = write.catch(() => undefined);
    return write;
  }

  private pruneRefreshTokens(now: number): void {
    for (const [hash, record] of this.refreshTokens) if (record.expiresAtMs <= now) this.refreshTokens.delete(hash);
    if (this.refreshTokens.size <= MAX_REFRESH_RECORDS) return;
    const revoked = [...this.refreshTokens.values()]
      .filter((record) => record.revokedAtMs !== null)
      .sort((a, b) => a.issuedAtMs - b.issuedAtMs);
    for (const record of revoked.slice(0, this.refreshTokens.size - MAX_REFRESH_RECORDS)) {
      this.refreshTokens.delete(record.hash);
    }
  }

  /** Records an auth event: best effort, never throws, so logging trouble cannot block sign-in. */
  private audit(fields: Omit<AuthAuditEvent, "time">): Promise<void> {
    const event: AuthAuditEvent = { time: new Date(this.now()).toISOString(), ...fields };
    for (const key of ["reason", "session"] as const) if (event[key] === undefined) delete event[key];
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      console.warn(`Auth event listener failed: ${String(error)}`);
    }
    const path = join(this.options.dataDir, AUDIT_FILE);
    this.auditQueue = this.auditQueue
      .then(() => appendSecureLine(path, JSON.stringify(event), { rotateAtBytes: AUDIT_ROTATE_BYTES }))
      .catch((error: unknown) => console.warn(`Could not write the auth audit log: ${String(error)}`));
    return this.auditQueue;
  }
}

function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

function normalizeIssuer(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Issuer ${value} must be an http(s) URL`);
  // Discovery lives at `<issuer>/.well-known/...` and this provider answers on the root paths.
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new Error(`Issuer ${value} must be an origin such as http://127.0.0.1:3211`);
  }
  return url.origin;
}

function normalizeOrigin(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`UI origin ${value} must be an http(s) URL`);
  return url.origin;
}

function isJsonContentType(value: string | null): boolean {
  return value !== null && value.split(";")[0]?.trim().toLowerCase() === "application/json";
}

function tokenResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { ...JSON_HEADERS, "Cache-Control": "no-store", ...headers },
  });
}

/** Discovery and JWKS are public: any origin may read them, and caches may keep them briefly. */
function publicDocument(request: Request, document: unknown): Response {
  const headers = { ...JSON_HEADERS, "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" };
  if (request.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: { ...headers, "Access-Control-Allow-Methods": "GET, HEAD" } });
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(JSON.stringify({ error: "method_not_allowed" }), {
      status: 405,
      headers: { ...headers, Allow: "GET, HEAD, OPTIONS" },
    });
  }
  return new Response(request.method === "HEAD" ? null : JSON.stringify(document), { status: 200, headers });
}

/** Reads a JSON body `{ [field]: string }` of at most {@link MAX_BODY_BYTES} and returns the string. */
async function readCredential(request: Request, field: string): Promise<string | "too_large" | "invalid"> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return "too_large";
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body !== null) {
    const reader = request.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel();
        return "too_large";
      }
      chunks.push(chunk.value);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    return "invalid";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "invalid";
  const value: unknown = (parsed as Record<string, unknown>)[field];
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_CREDENTIAL_LENGTH) return "invalid";
  return value;
}

async function loadOrCreateSigningKey(path: string): Promise<KeyObject> {
  let pem = await readSecureFile(path);
  if (pem === null) {
    const generate = promisify(generateKeyPair);
    const { privateKey } = await generate("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    // If another process created the key meanwhile, read back the one that won.
    pem = (await createSecureFileExclusive(path, privateKey)) ? privateKey : await readSecureFile(path);
    if (pem === null) throw new Error(`${path} vanished while it was being created`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new Error(`${path} is not a readable PKCS#8 private key; delete it to create a new one (signs everyone out)`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== "rsa" || bits < 2048) throw new Error(`${path} must hold an RSA key of at least 2048 bits`);
  return key;
}

async function describePublicKey(privateKey: KeyObject): Promise<{ kid: string; publicJwk: Record<string, string> }> {
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  if (typeof jwk.n !== "string" || typeof jwk.e !== "string") throw new Error("The signing key is not an RSA key");
  const kid = await calculateJwkThumbprint({ kty: "RSA", n: jwk.n, e: jwk.e }, "sha256");
  return { kid, publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" } };
}

async function loadOrCreateOwnerId(path: string): Promise<string> {
  const existing = await readSecureFile(path);
  const id = existing ?? randomBytes(16).toString("hex");
  if (existing === null && !(await createSecureFileExclusive(path, `${id}\n`))) return loadOrCreateOwnerId(path);
  const trimmed = id.trim();
  if (!OWNER_ID_PATTERN.test(trimmed)) throw new Error(`${path} does not hold a valid owner id`);
  return trimmed;
}

/** Loads the refresh-token store. A damaged store is dropped with a warning: everyone signs in again. */
async function loadRefreshTokens(path: string): Promise<Map<string, RefreshRecord>> {
  const tokens = new Map<string, RefreshRecord>();
  const content = await readSecureFile(path);
  if (content === null) return tokens;
  try {
    const parsed: unknown = JSON.parse(content);
    if (!isStore(parsed)) throw new Error("unexpected shape");
    for (const record of parsed.tokens) tokens.set(record.hash, record);
  } catch (error) {
    console.warn(`Ignoring ${path} (${String(error)}); existing sign-ins are revoked`);
    tokens.clear();
  }
  return tokens;
}

function isStore(value: unknown): value is { version: 1; tokens: RefreshRecord[] } {
  if (typeof value !== "object" || value === null) return false;
  const store = value as { version?: unknown; tokens?: unknown };
  return store.version === 1 && Array.isArray(store.tokens) && store.tokens.every(isRefreshRecord);
}

function isRefreshRecord(value: unknown): value is RefreshRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.hash === "string" &&
    /^[0-9a-f]{64}$/.test(record.hash) &&
    typeof record.session === "string" &&
    typeof record.issuedAtMs === "number" &&
    typeof record.expiresAtMs === "number" &&
    (record.revokedAtMs === null || typeof record.revokedAtMs === "number") &&
    (record.rotatedAtMs === undefined || typeof record.rotatedAtMs === "number") &&
    (record.retriedAtMs === undefined || typeof record.retriedAtMs === "number")
  );
}
