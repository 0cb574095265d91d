// The outbound-request rules that keep skills from reaching the deployment's own network (SSRF):
// which URLs a skill may call, which IP addresses a name may resolve to, which hosts an owner may put
// on the allowlist, and how a webhook skill's URL template is filled without letting a parameter
// move the request to another path, query or host. Pure (no Node APIs, no ctx), so the same rules
// run in Convex's default runtime when an owner saves a skill and in the "use node" guarded fetch
// (`guardedFetch.ts`) that resolves, checks and pins the address before every outbound call.
import ipaddr from "ipaddr.js";

/** Longest URL a skill may call; longer ones are refused rather than truncated. */
export const MAX_URL_LENGTH = 2048;

/** Longest hostname DNS allows (RFC 1035), without the trailing dot. */
export const MAX_HOSTNAME_LENGTH = 253;

/** Longest DNS label (RFC 1035). */
const MAX_LABEL_LENGTH = 63;

/** Why an outbound URL was refused: the checker logs these codes as they are. */
export type OutboundUrlCode = "URL_INVALID" | "DOMAIN_NOT_ALLOWED" | "ADDRESS_BLOCKED";

/** A URL a skill may call, or the reason it may not. */
export type OutboundUrlResult =
  | {
      ok: true;
      /** The normalised URL, without a fragment (fragments are never sent). */
      url: URL;
      /** Lowercase hostname without a trailing dot, or the bare address of an IP literal. */
      host: string;
      /** The host is an IP literal: it was classified here and must not be resolved. */
      isIpLiteral: boolean;
    }
  | { ok: false; code: OutboundUrlCode; reason: string };

/** Whether an IP address may be contacted; refusals name the range that caught it. */
export type AddressClass =
  | {
      allowed: true;
      /** The canonical address to connect to (an IPv4-mapped IPv6 address becomes its IPv4). */
      address: string;
    }
  | { allowed: false; range: string };

/** A filled URL template, or why it cannot be filled. */
export type TemplateResult = { ok: true; url: string } | { ok: false; reason: string };

/** A template an owner may save: its fixed origin and host, and the parameters it names. */
export type TemplateCheck =
  | { ok: true; origin: string; host: string; placeholders: string[] }
  | { ok: false; reason: string };

function refuse(code: OutboundUrlCode, reason: string): OutboundUrlResult {
  return { ok: false, code, reason };
}

/**
 * Whether a raw URL holds a character refused anywhere in it: ASCII controls, space, DEL, C1
 * controls or the backslash. The WHATWG parser silently drops tabs and newlines and reads `\` as
 * `/`, while other parsers (the owner's eye, a log viewer, a proxy) read them differently; refusing
 * them up front removes every parser-differential trick built on them.
 */
function hasAmbiguousChar(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x5c) return true;
  }
  return false;
}

/**
 * Names that always point inside the deployment's own network, refused even when an owner put them
 * on the allowlist: loopback names, cloud metadata names, and the `.internal`/`.local` zones that
 * cloud and mDNS resolvers answer with private addresses.
 */
export function isBlockedHostname(host: string): boolean {
  const name = normaliseHostname(host);
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (name === "metadata" || name === "metadata.google.internal") return true;
  if (name.endsWith(".internal") || name.endsWith(".local")) return true;
  // A single-label name is completed by the resolver's search domains, i.e. inside the network.
  return !name.includes(".") && !isIpAddressText(name);
}

/** Lowercase, one trailing dot removed: the form hostnames are compared in. */
function normaliseHostname(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** `[::1]` -> `::1`; anything else unchanged. */
function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** A canonical dotted-quad IPv4 or an IPv6 address (the forms the WHATWG parser produces). */
function isIpAddressText(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

/**
 * Checks an outbound URL against the rules: https on the default port only, no userinfo, bounded
 * length, a host that is not an internal name, an IP literal only when it is public, and a hostname
 * that exactly equals one entry of `allowedHosts` (no wildcards, no suffix matching). IPv4 literals
 * in any form (`0x7f.1`, `2130706433`, `0177.0.0.1`, `%31%32%37.0.0.1`) are normalised by the URL
 * parser first, so they are classified as the address they really are.
 */
export function parseOutboundUrl(raw: string, allowedHosts: readonly string[]): OutboundUrlResult {
  if (raw.length > MAX_URL_LENGTH) return refuse("URL_INVALID", `The URL is longer than ${MAX_URL_LENGTH} characters.`);
  if (hasAmbiguousChar(raw)) return refuse("URL_INVALID", "The URL contains whitespace, control characters or a backslash.");
  // Only the plain `https://host` spelling: the parser would also accept `https:host` and `https:///host`.
  if (!/^https:\/\/[^/]/i.test(raw)) return refuse("URL_INVALID", "Only https:// URLs may be called.");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("URL_INVALID", "The URL cannot be parsed.");
  }
  if (url.protocol !== "https:") return refuse("URL_INVALID", "Only https:// URLs may be called.");
  if (url.username !== "" || url.password !== "") return refuse("URL_INVALID", "The URL may not contain a user name or password.");
  // Chosen policy: only the default port. An explicit other port is how SSRF reaches admin
  // services (SSH, databases, debug ports) on an otherwise allowed host.
  if (url.port !== "") return refuse("URL_INVALID", "The URL may not name a port other than 443.");
  if (url.href.length > MAX_URL_LENGTH) return refuse("URL_INVALID", `The URL is longer than ${MAX_URL_LENGTH} characters.`);
  url.hash = "";

  const host = normaliseHostname(stripBrackets(url.hostname));
  if (host === "") return refuse("URL_INVALID", "The URL has no host.");
  const hostFailure = hostShapeFailure(host);
  if (hostFailure !== null) return refuse("URL_INVALID", hostFailure);

  const isIpLiteral = isIpAddressText(host);
  if (isIpLiteral) {
    const verdict = classifyAddress(host);
    if (!verdict.allowed) return refuse("ADDRESS_BLOCKED", `The URL names a ${verdict.range} address.`);
  } else if (isBlockedHostname(host)) {
    return refuse("ADDRESS_BLOCKED", `The host ${host} is internal to the network and can never be called.`);
  }
  if (!allowedHosts.some((entry) => normaliseHostname(stripBrackets(entry.trim())) === host)) {
    return refuse("DOMAIN_NOT_ALLOWED", `The host ${host} is not on the allowlist.`);
  }
  return { ok: true, url, host, isIpLiteral };
}

/** Length limits of a hostname and its labels; null when they hold. */
function hostShapeFailure(host: string): string | null {
  if (host.length > MAX_HOSTNAME_LENGTH) return `The host name is longer than ${MAX_HOSTNAME_LENGTH} characters.`;
  if (ipaddr.IPv6.isValid(host)) return null;
  const labels = host.split(".");
  if (labels.some((label) => label.length === 0)) return "The host name has an empty label.";
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH)) return `A host name label is longer than ${MAX_LABEL_LENGTH} characters.`;
  return null;
}

/** The IPv6 global unicast block (2000::/3): the only IPv6 space that is routable on the internet. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");

/**
 * Whether an address may be contacted: only public unicast. Accepts only canonical text (a
 * dotted-quad IPv4 or an IPv6 address without a zone), so the address checked is exactly the one
 * connected to. Loopback, private, link-local (the 169.254.169.254 metadata service included),
 * CGNAT, multicast, broadcast, unspecified, reserved, documentation and benchmarking ranges, IPv6
 * unique-local, and IPv6 outside 2000::/3 are refused. An IPv4-mapped address (::ffff:a.b.c.d) is
 * judged as the IPv4 it carries. The translation and tunnelling forms (IPv4-compatible, NAT64
 * 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) are refused outright: their embedded IPv4 is
 * reached through a gateway we do not control.
 */
export function classifyAddress(ip: string): AddressClass {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return classifyIPv4(ipaddr.IPv4.parse(ip));
  // A zone id (`fe80::1%eth0`) names a local interface: never a public address.
  if (ip.includes("%") || !ipaddr.IPv6.isValid(ip)) return { allowed: false, range: "invalid" };
  const v6 = ipaddr.IPv6.parse(ip);
  if (v6.isIPv4MappedAddress()) return classifyIPv4(v6.toIPv4Address());
  const range = v6.range();
  if (range !== "unicast") return { allowed: false, range };
  // ipaddr.js calls anything outside its special list "unicast", which includes ::/96
  // (IPv4-compatible) and unassigned space; only global unicast is public.
  if (!v6.match(IPV6_GLOBAL_UNICAST)) return { allowed: false, range: "nonGlobal" };
  return { allowed: true, address: v6.toString() };
}

function classifyIPv4(v4: ipaddr.IPv4): AddressClass {
  const range = v4.range();
  return range === "unicast" ? { allowed: true, address: v4.toString() } : { allowed: false, range };
}

/** One DNS label: 1-63 of a-z, 0-9 and inner hyphens (punycode `xn--` labels included). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Whether `host` may go on an owner's domain allowlist: a lowercase DNS hostname with at least one
 * dot, no wildcard, scheme, port, path or IP literal, no trailing dot, and not an internal name.
 * Entries are matched exactly, so what is stored here is exactly what may be called.
 */
export function isValidAllowlistHost(host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOSTNAME_LENGTH) return false;
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) return false;
  // An all-numeric last label is how the URL parser recognises an IPv4 literal.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return false;
  return !isBlockedHostname(host);
}

/** `{name}`: a parameter of a webhook URL template. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;

/** A stand-in value for checking a template's shape: plain, unreserved, never a dot segment. */
const SAMPLE_VALUE = "x";

/**
 * Checks a webhook skill's URL template when an owner saves it: `https://` with a fixed host on the
 * default port, no userinfo, no fragment, placeholders (`{name}`) only in the path and query, every
 * brace part of a placeholder, and a path and query already in the form the URL parser writes
 * them (so filling the template can be checked for any change of structure).
 */
export function checkUrlTemplate(template: string): TemplateCheck {
  if (template.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL template is longer than ${MAX_URL_LENGTH} characters.` };
  if (hasAmbiguousChar(template)) return { ok: false, reason: "The URL template contains whitespace, control characters or a backslash." };
  const match = /^https:\/\/([^/?#]*)(.*)$/.exec(template);
  if (match === null) return { ok: false, reason: "The URL template must start with https://." };
  const [, authority, rest] = match;
  if (/[{}]/.test(authority)) return { ok: false, reason: "Placeholders may appear only in the path and query, never in the host." };
  if (rest.includes("#")) return { ok: false, reason: "The URL template may not have a fragment." };
  if (/[{}]/.test(rest.replace(PLACEHOLDER, ""))) return { ok: false, reason: "The URL template has a brace that is not part of a {name} placeholder." };
  const placeholders = [...new Set([...rest.matchAll(PLACEHOLDER)].map((m) => m[1]))];

  const sample = `https://${authority}${rest.replace(PLACEHOLDER, SAMPLE_VALUE)}`;
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    return { ok: false, reason: "The URL template is not a valid URL." };
  }
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "The URL template may not contain a user name or password." };
  if (url.port !== "") return { ok: false, reason: "The URL template may not name a port other than 443." };
  const host = normaliseHostname(stripBrackets(url.hostname));
  if (host === "" || hostShapeFailure(host) !== null) return { ok: false, reason: "The URL template's host is not a valid host name." };
  if (isIpAddressText(host) || isBlockedHostname(host)) return { ok: false, reason: "The URL template's host must be a public host name, not an IP address or an internal name." };
  if (`${url.origin}${pathAndQuery(sample)}` !== url.href) {
    return { ok: false, reason: "The URL template's path or query is not in normal form (dot segments, spaces or unencoded characters)." };
  }
  return { ok: true, origin: url.origin, host, placeholders };
}

/** Everything after the authority of an `https://` URL string. */
function pathAndQuery(href: string): string {
  const afterScheme = href.slice("https://".length);
  const cut = afterScheme.search(/[/?]/);
  const rest = cut === -1 ? "" : afterScheme.slice(cut);
  return rest.startsWith("?") || rest === "" ? `/${rest}` : rest;
}

/**
 * Percent-encodes a parameter value so it stays data: `encodeURIComponent`, plus the few characters
 * it leaves alone that the URL parser or a server may treat specially (`!'()*`). The result holds
 * only unreserved characters and `%XX`, so `/`, `?`, `#`, `@`, `\`, `%`, CR/LF and unicode cannot
 * end a segment, start a query or fragment, or reach the host.
 */
export function encodeTemplateValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A path segment the URL parser would resolve away (`.`, `..` and their `%2e` spellings). */
function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}

/**
 * Fills a webhook URL template such as `https://api.example.com/v1/items/{id}?q={query}`. Every
 * value is percent-encoded (`encodeTemplateValue`), a missing parameter is an error, a path value
 * may not be empty or make a `.`/`..` segment, and the result must keep the template's origin and
 * come out of the URL parser unchanged: a value can fill its segment or query value, nothing more.
 */
export function substituteUrlTemplate(template: string, params: Record<string, string | number | boolean>): TemplateResult {
  const check = checkUrlTemplate(template);
  if (!check.ok) return check;
  for (const name of check.placeholders) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return { ok: false, reason: `The parameter ${name} is missing.` };
  }
  const queryStart = template.indexOf("?");
  let filled = "";
  let copied = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    const encoded = encodeTemplateValue(String(params[name]));
    const inPath = queryStart === -1 || match.index < queryStart;
    if (inPath && encoded === "") return { ok: false, reason: `The parameter ${name} is empty, and it fills part of the path.` };
    filled += template.slice(copied, match.index) + encoded;
    copied = match.index + match[0].length;
  }
  filled += template.slice(copied);
  if (filled.length > MAX_URL_LENGTH) return { ok: false, reason: `The filled URL is longer than ${MAX_URL_LENGTH} characters.` };

  const path = pathAndQuery(filled).split("?")[0];
  if (path.split("/").some(isDotSegment)) return { ok: false, reason: "A parameter would make a . or .. path segment." };
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return { ok: false, reason: "The filled URL is not valid." };
  }
  if (url.origin !== check.origin || url.username !== "" || url.password !== "") {
    return { ok: false, reason: "A parameter would change the URL's host." };
  }
  if (url.href !== `${url.origin}${pathAndQuery(filled)}`) return { ok: false, reason: "A parameter would change the URL's structure." };
  return { ok: true, url: url.href };
}
