// HTTP client for the local runtime's identity provider (`/_local_auth/*` on the site origin).

/** What a successful exchange or refresh returns. */
export interface LocalTokens {
  /** Short-lived JWT sent to Convex; kept in memory only. */
  token: string;
  /** Long-lived, rotated on every refresh; the only thing persisted in the browser. */
  refreshToken: string;
  expiresAtMs: number;
}

/** Why a call failed, in terms the UI can explain without echoing server text. */
export type LocalAuthFailure =
  /** 401: the code or refresh token is expired, already used, or unknown. */
  | { kind: "invalid" }
  /** 429: too many attempts; `retryAfterSeconds` from the Retry-After header when it parses. */
  | { kind: "rateLimited"; retryAfterSeconds: number | null }
  /** No answer: the runtime is down, the network failed, or the request timed out. */
  | { kind: "unreachable" }
  /** Any other status, or a 200 whose body is not the expected shape. */
  | { kind: "unexpected"; status: number };

export type LocalAuthResult = { ok: true; tokens: LocalTokens } | ({ ok: false } & LocalAuthFailure);

export interface LocalAuthApi {
  exchange(code: string): Promise<LocalAuthResult>;
  refresh(refreshToken: string): Promise<LocalAuthResult>;
  /** Revokes the refresh token on the server; best effort, never throws. */
  signOut(refreshToken: string): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Parses a Retry-After header (delay in seconds, or an HTTP date) into whole seconds from now.
 * Returns null when absent or unparseable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

function isTokens(body: unknown): body is LocalTokens {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return (
    typeof candidate.token === "string" &&
    candidate.token.length > 0 &&
    typeof candidate.refreshToken === "string" &&
    candidate.refreshToken.length > 0 &&
    typeof candidate.expiresAtMs === "number" &&
    Number.isFinite(candidate.expiresAtMs)
  );
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Creates the client for one site origin. `fetchImpl` lets tests answer without a server. */
export function createLocalAuthApi(
  siteUrl: string,
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): LocalAuthApi {
  async function post(path: string, body: unknown): Promise<Response | null> {
    try {
      return await fetchImpl(`${siteUrl}/_local_auth/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        // Tokens travel in the body, never in cookies; a redirect here would be a misconfiguration.
        credentials: "omit",
        cache: "no-store",
        redirect: "error",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      return null;
    }
  }

  async function tokenCall(path: string, body: unknown): Promise<LocalAuthResult> {
    const response = await post(path, body);
    if (response === null) return { ok: false, kind: "unreachable" };
    if (response.status === 401) return { ok: false, kind: "invalid" };
    if (response.status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"), Date.now());
      return { ok: false, kind: "rateLimited", retryAfterSeconds };
    }
    if (response.status !== 200) return { ok: false, kind: "unexpected", status: response.status };
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      return { ok: false, kind: "unexpected", status: response.status };
    }
    if (!isTokens(parsed)) return { ok: false, kind: "unexpected", status: response.status };
    const { token, refreshToken, expiresAtMs } = parsed;
    return { ok: true, tokens: { token, refreshToken, expiresAtMs } };
  }

  return {
    exchange: (code) => tokenCall("exchange", { code }),
    refresh: (refreshToken) => tokenCall("refresh", { refreshToken }),
    async signOut(refreshToken) {
      await post("sign-out", { refreshToken });
    },
  };
}
