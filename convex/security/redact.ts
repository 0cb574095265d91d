// The one secret scrubber. Everything that leaves a function as a log row, a stored error message or
// text shown to an owner passes through here first: skill inputs and outputs, provider errors,
// webhook bodies. It removes three things: the exact values of configured secrets (the caller knows
// them), text shaped like a credential (key formats, auth headers, PEM blocks, credentials in URLs),
// and whole values of fields named like a secret. Pure and dependency-free: it runs in Convex's
// default runtime, in Node actions and in tests alike.
//
// What it does not try: guessing that an arbitrary high-entropy string is a secret. That would also
// eat commit hashes, UUIDs and content hashes that owners need to read, so a secret with no known
// shape and no telling name is caught only through `knownSecrets`.

/** Replaces a configured secret's value or a secret-named field's whole value. */
export const REDACTED = "[REDACTED]";

/** The marker for a match of one of SECRET_PATTERNS: says which shape was found, never the value. */
export function redactedMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Named groups a pattern's match may carry; see SecretPattern. */
export type MatchGroups = Readonly<Record<string, string | undefined>>;

/** One credential shape searched for in text. */
export type SecretPattern = {
  /** Short name that appears in the marker, `[REDACTED:<kind>]`. */
  readonly kind: string;
  /** What the pattern is for, for people reading the list. */
  readonly description: string;
  /**
   * Global and pre-compiled. The named groups `pre` and `post`, when present, are context (a header
   * name, a URL's scheme and user) and are kept; the rest of the match is replaced by the marker.
   */
  readonly regex: RegExp;
  /** A second look at a match, for shapes that ordinary prose can also take; absent means always. */
  readonly accept?: (groups: MatchGroups) => boolean;
};

// Every pattern starts at a token boundary, so the engine tries each token once and a scan stays
// linear in the text (no nested quantifiers anywhere below). The boundary also admits a token right
// after an escape such as `\n` inside JSON text, where the preceding character is a letter.
const START = String.raw`(?<!(?<!\\)[A-Za-z0-9_-])`;
/** A context pattern's value never starts with a marker, so scrubbing twice changes nothing. */
const NOT_MARKER = String.raw`(?!\[REDACTED)`;
/** Start of a field, header or scheme name: not inside another identifier (escapes as for START). */
const NAME_START = String.raw`(?<!(?<!\\)[A-Za-z0-9_.+-])`;
/** An optional quote around a name or value, possibly escaped (JSON inside one or two JSON strings). */
const QUOTE = String.raw`(?:\\{0,3}["'])?`;

function pattern(kind: string, description: string, source: string, flags: string, accept?: SecretPattern["accept"]): SecretPattern {
  return Object.freeze({ kind, description, regex: new RegExp(source, flags), ...(accept ? { accept } : {}) });
}

const hasDigit = (s: string) => /[0-9]/.test(s);
const hasLetter = (s: string) => /[A-Za-z]/.test(s);

/**
 * `Bearer <value>`: prose says "Bearer authentication" or "bearer tokens", so a value counts only
 * when it looks like a token (a digit or token punctuation, or long).
 */
function looksLikeBearerToken(groups: MatchGroups): boolean {
  const value = groups.secret ?? "";
  return hasDigit(value) || /[._~+/=]/.test(value) || value.length >= 24;
}

/** `Basic <value>`: a credential is base64 of `user:password`, so it must decode to text with a colon. */
function looksLikeBasicCredentials(groups: MatchGroups): boolean {
  const bytes = decodeBase64(groups.secret ?? "");
  return bytes !== null && bytes.includes(0x3a);
}

/** Names whose value is a secret however it looks (a password can be any word or number). */
const ALWAYS_SECRET_NAME = /^(?:password|passwd|passphrase)$/i;

/**
 * `name = value` / `"name": "value"` with a secret-like name. For passwords every value counts; for
 * the weaker names (token, secret, auth...) prose such as "the secret: nobody knows" must survive,
 * so the value must look machine-made (letters and digits, or long) or be quoted like data.
 */
function looksLikeAssignedSecret(groups: MatchGroups): boolean {
  const value = groups.secret ?? "";
  if (ALWAYS_SECRET_NAME.test(groups.word ?? "")) return true;
  if (value.length < 8) return false;
  return (hasDigit(value) && hasLetter(value)) || value.length >= 20 || (groups.q ?? "") !== "";
}

/**
 * Every credential shape scrubText looks for, in the order applied. Specific key formats come
 * first so their marker names the format; the context patterns after them (headers, URLs,
 * assignments) skip values already replaced.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  pattern(
    "private-key",
    "PEM private key block of any type (RSA, EC, OPENSSH, ENCRYPTED, PGP ... PRIVATE KEY), header to footer; an unterminated block up to the next dashes",
    // The body may not contain "-----", so each block is scanned once even when the END is missing.
    String.raw`-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:(?!-----)[\s\S]){0,65536}(?:-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----)?`,
    "g",
  ),
  pattern(
    "jwt",
    "JSON Web Token (or JWE): base64url parts joined by dots, the first starting eyJ",
    String.raw`${START}eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){1,3}`,
    "g",
  ),
  pattern(
    "sk-key",
    "OpenAI (sk-, sk-proj-), Anthropic (sk-ant-) and OpenRouter (sk-or-v1-) API keys",
    String.raw`${START}sk-[A-Za-z0-9_-]{20,}`,
    "g",
  ),
  pattern("stripe", "Stripe-style secret and restricted keys (sk_live_, sk_test_, rk_live_, rk_test_)", String.raw`${START}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}`, "g"),
  pattern("webhook-secret", "Webhook signing secrets (whsec_: Stripe, Svix, Resend)", String.raw`${START}whsec_[A-Za-z0-9+/=]{16,}`, "g"),
  pattern("slack", "Slack bot, user, app-level and refresh tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-)", String.raw`${START}(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}`, "g"),
  pattern("github", "GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)", String.raw`${START}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`, "g"),
  pattern("google", "Google API keys (AIza...)", String.raw`${START}AIza[0-9A-Za-z_-]{30,}`, "g"),
  pattern("aws", "AWS access key ids, long-term (AKIA) and temporary (ASIA)", String.raw`${START}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, "g"),
  pattern("resend", "Resend API keys (re_ + id + _ + secret)", String.raw`${START}re_[A-Za-z0-9]{6,}_[A-Za-z0-9]{16,}`, "g"),
  pattern(
    "twilio",
    // Account SIDs (AC + 32 hex) are left alone on purpose: they are identifiers that appear in every
    // Twilio URL and error, authenticate nothing without the auth token, and owners need them to
    // debug. The auth token itself has no prefix and is caught as a configured secret.
    "Twilio API key SIDs (SK + 32 hex), half of an API-key credential pair",
    String.raw`${START}SK[0-9a-fA-F]{32}(?![A-Za-z0-9])`,
    "g",
  ),
  pattern(
    "telegram",
    "Telegram bot tokens (bot id, colon, 35 characters), also inside /bot<token>/ API paths",
    // Only digits are excluded before the id: in API URLs the token follows the letters "bot".
    String.raw`(?<![0-9])[0-9]{6,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`,
    "g",
  ),
  pattern(
    "authorization",
    "Authorization, Proxy-Authorization, Cookie and Set-Cookie values: the rest of the header line or quoted value",
    String.raw`(?<pre>${NAME_START}(?:proxy-)?(?:authorization|set-cookie|cookie)${QUOTE}[ \t]{0,8}[:=][ \t]{0,8}${QUOTE})${NOT_MARKER}(?<secret>[^\s"'\\\`<>)][^\r\n"'\\\`<>)]{0,4095})`,
    "gi",
  ),
  pattern(
    "url-credentials",
    "The password in a URL's user info (scheme://user:password@host): user and host are kept",
    String.raw`(?<pre>${NAME_START}[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s/?#@:"'<>]{0,256}:)${NOT_MARKER}(?<secret>[^\s/?#@"'<>]{1,256})(?<post>@)`,
    "g",
  ),
  pattern(
    "query-secret",
    "URL query or fragment parameters named like a credential (key, api_key, token, access_token, secret, password, signature, sig, credential, auth)",
    String.raw`(?<pre>[?&#;][A-Za-z0-9_.\-\[\]]{0,40}?(?:key|token|secret|password|passwd|signature|sig|credential|auth)=)${NOT_MARKER}(?<secret>[^&#\s"'<>\\\`)]{1,4096})`,
    "gi",
  ),
  pattern("bearer", "Bearer tokens in text (Bearer <token>)", String.raw`(?<pre>${NAME_START}bearer[ \t]+)${NOT_MARKER}(?<secret>[A-Za-z0-9._~+/-]{8,4096}=*)`, "gi", looksLikeBearerToken),
  pattern("basic", "HTTP Basic credentials in text (Basic <base64 of user:password>)", String.raw`(?<pre>${NAME_START}basic[ \t]+)${NOT_MARKER}(?<secret>[A-Za-z0-9+/]{4,4096}={0,2})`, "gi", looksLikeBasicCredentials),
  pattern(
    "assignment",
    "name=value, name: value and \"name\": \"value\" where the name ends in password, secret, token, api key, private key, credential, signature or auth",
    String.raw`(?<pre>${NAME_START}[A-Za-z0-9_.-]{0,40}?(?<word>password|passwd|passphrase|(?:api|access|secret|private|client)[_-]?key|client[_-]?secret|secret|token|credentials?|signature|auth)${QUOTE}[ \t]{0,8}[:=][ \t]{0,8}(?<q>${QUOTE}))${NOT_MARKER}(?<secret>[^\s"'&,;<>\\\`]{1,4096})`,
    "gi",
    looksLikeAssignedSecret,
  ),
]);

/**
 * Configured secrets shorter than this are not searched for. A short value (a 4-digit PIN, "admin",
 * "true") occurs in ordinary text, and replacing every occurrence would mangle logs while protecting
 * little: such a value is guessable anyway. Real API keys and tokens are far longer.
 */
export const MIN_KNOWN_SECRET_CHARS = 8;

/** Prepared search strings per knownSecrets array: callers pass the same array for many strings. */
const preparedCache = new WeakMap<readonly string[], readonly string[]>();

/**
 * Every form in which a configured secret can appear in text: as is, URL-encoded (query strings,
 * form bodies), JSON-escaped, and base64 / base64url with and without padding (encoded headers,
 * blobs). Longest first, so a secret that contains another is replaced whole.
 */
function prepareKnownSecrets(knownSecrets: readonly string[]): readonly string[] {
  if (knownSecrets.length === 0) return [];
  const cached = preparedCache.get(knownSecrets);
  if (cached) return cached;
  const forms = new Set<string>();
  for (const secret of knownSecrets) {
    if (typeof secret !== "string" || secret.length < MIN_KNOWN_SECRET_CHARS) continue;
    forms.add(secret);
    const encoded = encodeUriComponentSafe(secret);
    if (encoded !== null) forms.add(encoded);
    forms.add(JSON.stringify(secret).slice(1, -1));
    const base64 = encodeBase64(secret);
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ""));
    forms.add(base64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const prepared = Object.freeze([...forms].filter((form) => form.length >= MIN_KNOWN_SECRET_CHARS).sort((a, b) => b.length - a.length));
  preparedCache.set(knownSecrets, prepared);
  return prepared;
}

function encodeUriComponentSafe(text: string): string | null {
  try {
    return encodeURIComponent(text);
  } catch {
    return null; // a lone surrogate cannot be encoded, so cannot appear encoded either
  }
}

function applyPattern(text: string, { kind, regex, accept }: SecretPattern): string {
  return text.replace(regex, (match: string, ...rest: unknown[]) => {
    const last = rest[rest.length - 1];
    const groups: MatchGroups = typeof last === "object" && last !== null ? (last as MatchGroups) : {};
    if (accept && !accept(groups)) return match;
    return `${groups.pre ?? ""}${redactedMarker(kind)}${groups.post ?? ""}`;
  });
}

function scrubPrepared(text: string, knownForms: readonly string[]): string {
  let out = text;
  for (const form of knownForms) {
    if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  for (const secretPattern of SECRET_PATTERNS) out = applyPattern(out, secretPattern);
  return out;
}

/**
 * Text with every secret replaced by a marker: first the values in `knownSecrets` (in all their
 * encodings, ignoring values shorter than MIN_KNOWN_SECRET_CHARS), then every SECRET_PATTERNS match.
 * Ordinary text (prose, UUIDs, commit hashes, plain URLs) comes out unchanged, and scrubbing is
 * idempotent.
 */
export function scrubText(text: string, knownSecrets: readonly string[] = []): string {
  return scrubPrepared(text, prepareKnownSecrets(knownSecrets));
}

/** Bounds on scrubValue's walk, so a huge or hostile value costs bounded time and output. */
export const SCRUB_LIMITS = Object.freeze({
  /** Nesting below this depth is replaced by TOO_DEEP. */
  maxDepth: 20,
  /** Objects, arrays and strings visited before everything further is replaced by OMITTED. */
  maxNodes: 10_000,
  /** Items of one array, or keys of one object, kept; the rest are summarised. */
  maxEntries: 1000,
});

/** Stands for a value nested deeper than SCRUB_LIMITS.maxDepth. */
export const TOO_DEEP = "[…nested too deep]";
/** Stands for a value past SCRUB_LIMITS.maxNodes. */
export const OMITTED = "[…omitted]";
/** Stands for a reference back to an enclosing object. */
export const CIRCULAR = "[Circular]";

/** Words that make a field name secret, matched against the name split into words. */
const SECRET_WORDS = new Set([
  "key",
  "keys",
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwords",
  "passwd",
  "passphrase",
  "pass",
  "pwd",
  "credential",
  "credentials",
  "creds",
  "auth",
  "authorization",
  "authentication",
  "cookie",
  "cookies",
  "signature",
  "signatures",
  "sig",
  "private",
  "jwt",
  // Names written as one lower-case word, where the split finds no boundary.
  "apikey",
  "xapikey",
  "accesskey",
  "secretkey",
  "privatekey",
  "accesstoken",
  "refreshtoken",
  "authtoken",
  "idtoken",
  "sessiontoken",
  "clientsecret",
  "setcookie",
]);

/**
 * A secret-like name whose last word is one of these describes a secret rather than holding one
 * (`tokenCount`, `tokenUsage`, `keyName`, `secretNames`, `tokenType`): the value is walked and its
 * strings scrubbed like any other. Names (not values) of secrets may be shown by design.
 */
const DESCRIPTIVE_LAST_WORDS = new Set(["count", "counts", "limit", "limits", "usage", "type", "kind", "name", "names", "length"]);

/** Under these words even a number or boolean is withheld: a password or secret can be digits. */
const NUMERIC_SECRET_WORDS = new Set(["password", "passwords", "passwd", "passphrase", "pass", "pwd", "secret", "secrets"]);

/** A field name's words: camelCase, PascalCase, snake_case, kebab-case and dotted names split. */
export function fieldNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether a field's whole value is withheld. Matching is by word, not substring: a substring match
 * on "key" or "auth" would also take `monkey`, `keyboard`, `author` and `authority`. Exceptions: a
 * name ending in a DESCRIPTIVE_LAST_WORDS word; a number, boolean, null or empty string (token
 * counts, `maxTokens`, `isPrivate`, an unset key) unless the name says password or secret.
 */
export function isSecretField(name: string, value: unknown): boolean {
  const words = fieldNameWords(name);
  if (!words.some((word) => SECRET_WORDS.has(word))) return false;
  if (DESCRIPTIVE_LAST_WORDS.has(words[words.length - 1] ?? "")) return false;
  const plain = value === null || value === undefined || value === "" || typeof value === "number" || typeof value === "boolean";
  return !plain || words.some((word) => NUMERIC_SECRET_WORDS.has(word));
}

type WalkState = { nodes: number; readonly forms: readonly string[]; readonly ancestors: Set<object> };

/**
 * A copy of a JSON-like value that is safe to log: every field named like a secret (isSecretField)
 * has its whole value replaced by REDACTED, and every other string, object key included, passes
 * through scrubText. Errors keep name, message, stack and own fields; Dates become ISO text; binary
 * data becomes a byte count; functions and symbols are dropped. Bounded by SCRUB_LIMITS.
 */
export function scrubValue(value: unknown, knownSecrets: readonly string[] = []): unknown {
  return walk(value, 0, { nodes: 0, forms: prepareKnownSecrets(knownSecrets), ancestors: new Set() });
}

function walk(value: unknown, depth: number, state: WalkState): unknown {
  switch (typeof value) {
    case "string":
      return ++state.nodes > SCRUB_LIMITS.maxNodes ? OMITTED : scrubPrepared(value, state.forms);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
    case "function":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (depth >= SCRUB_LIMITS.maxDepth) return TOO_DEEP;
  if (++state.nodes > SCRUB_LIMITS.maxNodes) return OMITTED;
  if (state.ancestors.has(object)) return CIRCULAR;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof ArrayBuffer || ArrayBuffer.isView(object)) return `[binary ${(object as ArrayBuffer).byteLength} bytes]`;

  state.ancestors.add(object);
  try {
    if (Array.isArray(object)) return walkArray(object, depth, state);
    if (object instanceof Map) return walkEntries([...object.entries()].map(([k, v]) => [String(k), v] as const), depth, state);
    if (object instanceof Set) return walkArray([...object], depth, state);
    if (object instanceof Error) return walkEntries(errorEntries(object), depth, state);
    return walkEntries(Object.entries(object), depth, state);
  } finally {
    state.ancestors.delete(object);
  }
}

function walkArray(items: readonly unknown[], depth: number, state: WalkState): unknown[] {
  const kept = items.slice(0, SCRUB_LIMITS.maxEntries).map((item) => walk(item, depth + 1, state));
  if (items.length > kept.length) kept.push(`[…${items.length - kept.length} more items]`);
  return kept;
}

function walkEntries(entries: ReadonlyArray<readonly [string, unknown]>, depth: number, state: WalkState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kept = entries.slice(0, SCRUB_LIMITS.maxEntries);
  for (const [key, child] of kept) {
    const scrubbed = isSecretField(key, child) ? REDACTED : walk(child, depth + 1, state);
    // defineProperty, not assignment: a key named "__proto__" must stay a plain field.
    Object.defineProperty(out, scrubPrepared(key, state.forms), { value: scrubbed, enumerable: true, writable: true, configurable: true });
  }
  if (entries.length > kept.length) out["…"] = `${entries.length - kept.length} more keys`;
  return out;
}

/** An Error's useful fields, most of which are not enumerable, plus its own enumerable ones. */
function errorEntries(error: Error): Array<readonly [string, unknown]> {
  const entries: Array<readonly [string, unknown]> = [
    ["name", error.name],
    ["message", error.message],
  ];
  if (error.stack !== undefined) entries.push(["stack", error.stack]);
  if (error.cause !== undefined) entries.push(["cause", error.cause]);
  for (const [key, value] of Object.entries(error)) {
    if (key !== "name" && key !== "message" && key !== "stack" && key !== "cause") entries.push([key, value]);
  }
  return entries;
}

/** The marker ending a truncated log text; it says how many characters were cut. */
export function truncationMarker(droppedChars: number): string {
  return `…[truncated ${droppedChars} chars]`;
}

/**
 * Log-ready text of a value: a string is scrubbed as text, anything else is scrubbed with scrubValue
 * and serialised as JSON; the result is then cut to at most `maxChars` characters, ending with a
 * truncationMarker. Truncation comes after scrubbing so a cut can never leave the head of a secret
 * that a pattern would no longer recognise.
 */
export function scrubForLog(value: unknown, maxChars: number, knownSecrets: readonly string[] = []): string {
  const text = typeof value === "string" ? scrubText(value, knownSecrets) : serialise(scrubValue(value, knownSecrets));
  return truncate(text, maxChars);
}

function serialise(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[unserialisable value]";
  }
}

function truncate(text: string, maxChars: number): string {
  const max = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 0;
  if (text.length <= max) return text;
  // The marker's length depends on the count it reports, so settle both (two rounds suffice).
  let keep = max;
  for (let round = 0; round < 3; round++) keep = Math.max(0, max - truncationMarker(text.length - keep).length);
  // Never end on half of a surrogate pair.
  if (keep > 0 && /[\uD800-\uDBFF]/.test(text[keep - 1] ?? "")) keep--;
  const result = text.slice(0, keep) + truncationMarker(text.length - keep);
  return result.length <= max ? result : result.slice(0, max);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard padded base64 of the UTF-8 bytes of `text` (written out: no reliance on btoa/Buffer). */
function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64_ALPHABET[(triple >> 18) & 63];
    out += BASE64_ALPHABET[(triple >> 12) & 63];
    out += b === undefined ? "=" : BASE64_ALPHABET[(triple >> 6) & 63];
    out += c === undefined ? "=" : BASE64_ALPHABET[triple & 63];
  }
  return out;
}

/** Bytes of standard base64 text (length a multiple of 4), or null when it is not base64. */
function decodeBase64(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0) return null;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text[i + j] ?? "=";
      const index = ch === "=" ? 0 : BASE64_ALPHABET.indexOf(ch);
      if (index < 0) return null;
      triple = (triple << 6) | index;
    }
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (triple >> shift) & 255;
  }
  return out;
}
