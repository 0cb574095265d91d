// The browser app's configuration: every VITE_ variable is read and validated here, once, at start.

/** The local runtime's client API origin (DESIGN.md contract, CLAWSYNC_API_PORT default). */
export const LOCAL_CONVEX_URL = "http://127.0.0.1:3210";
/** The local runtime's HTTP-actions origin (DESIGN.md contract, CLAWSYNC_SITE_PORT default). */
export const LOCAL_SITE_URL = "http://127.0.0.1:3211";

export interface WorkOSConfig {
  clientId: string;
  redirectUri: string;
}

export interface AppConfig {
  /** Where ConvexReactClient connects (queries, mutations, subscriptions). */
  convexUrl: string;
  /** Where HTTP actions live (`convex/http.ts` routes, the local identity provider). */
  siteUrl: string;
  /** Set when owners sign in through WorkOS AuthKit; null selects the local identity provider. */
  workos: WorkOSConfig | null;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** The variables this app reads; every one is optional. */
export interface ConfigSource {
  VITE_CONVEX_URL?: string;
  VITE_CONVEX_SITE_URL?: string;
  VITE_WORKOS_CLIENT_ID?: string;
  VITE_WORKOS_REDIRECT_URI?: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Parses an origin-like URL. Owner tokens travel to these URLs, so plain http is accepted only for
 * loopback hosts; anything else must be https.
 */
function parseServiceUrl(name: string, value: string, problems: string[]): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} is not a valid URL: "${value}".`);
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${name} must start with https:// (or http:// for 127.0.0.1), got "${value}".`);
    return null;
  }
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    problems.push(`${name} must use https:// unless it points at this machine, got "${value}".`);
    return null;
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`${name} must be a plain URL without credentials, query or fragment.`);
    return null;
  }
  return url.toString().replace(/\/+$/, "");
}

/** Like parseServiceUrl, but a redirect URI keeps its path exactly as given. */
function parseServiceUrlWithPath(name: string, value: string, problems: string[]): string | null {
  const checked = parseServiceUrl(name, value, problems);
  return checked === null ? null : new URL(value).toString();
}

/**
 * The HTTP-actions origin of a Convex Cloud deployment: `https://x.convex.cloud` is served at
 * `https://x.convex.site`. Returns null when the URL is not a Convex Cloud one.
 */
export function deriveSiteUrl(convexUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(convexUrl);
  } catch {
    return null;
  }
  const suffix = ".convex.cloud";
  if (!url.hostname.endsWith(suffix)) return null;
  url.hostname = `${url.hostname.slice(0, -suffix.length)}.convex.site`;
  return url.toString().replace(/\/+$/, "");
}

/**
 * Reads and validates the configuration. Pure, so it is testable with any source; `pageOrigin`
 * supplies the default WorkOS redirect.
 */
export function loadConfig(source: ConfigSource, pageOrigin: string): ConfigResult {
  const problems: string[] = [];

  const convexUrl = parseServiceUrl(
    "VITE_CONVEX_URL",
    present(source.VITE_CONVEX_URL) ?? LOCAL_CONVEX_URL,
    problems,
  );

  const explicitSite = present(source.VITE_CONVEX_SITE_URL);
  const siteUrl = explicitSite
    ? parseServiceUrl("VITE_CONVEX_SITE_URL", explicitSite, problems)
    : ((convexUrl && deriveSiteUrl(convexUrl)) ?? LOCAL_SITE_URL);

  let workos: WorkOSConfig | null = null;
  const clientId = present(source.VITE_WORKOS_CLIENT_ID);
  const explicitRedirect = present(source.VITE_WORKOS_REDIRECT_URI);
  if (clientId) {
    // The default lands on /syncboard: a route that never redirects, so AuthKit can read the
    // callback's ?code before anything navigates away.
    const redirectUri = parseServiceUrlWithPath(
      "VITE_WORKOS_REDIRECT_URI",
      explicitRedirect ?? `${pageOrigin}/syncboard`,
      problems,
    );
    if (redirectUri) workos = { clientId, redirectUri };
  } else if (explicitRedirect) {
    problems.push("VITE_WORKOS_REDIRECT_URI is set but VITE_WORKOS_CLIENT_ID is not; set both or neither.");
  }

  if (problems.length > 0 || !convexUrl || !siteUrl) return { ok: false, problems };
  return { ok: true, config: { convexUrl, siteUrl, workos } };
}
