// The one secret scrubber (convex/security/redact.ts): a truth table per credential format, canary
// secrets embedded in prose, JSON, headers, URLs, nested values, error messages and stack text, the
// field-name rules of scrubValue, truncation after scrubbing, and pathological inputs. Canaries are
// assembled at run time from pieces and seeded filler, so this file holds no secret-shaped literal
// (tests/unit/repo/secrets.test.ts scans it).
import { describe, expect, it } from "vitest";

import {
  CIRCULAR,
  fieldNameWords,
  isSecretField,
  MIN_KNOWN_SECRET_CHARS,
  OMITTED,
  REDACTED,
  redactedMarker,
  SCRUB_LIMITS,
  scrubForLog,
  scrubText,
  scrubValue,
  SECRET_PATTERNS,
  TOO_DEEP,
  truncationMarker,
} from "../../../convex/security/redact.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DIGITS = "0123456789";

let seed = 20240613;
/** Seeded pseudo-random filler: every canary differs and looks as random as a real key. */
function random(length: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[seed % alphabet.length];
  }
  return out;
}

/** Base64 of text (Basic credentials, encoded secrets). */
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** Every 8-character window of `secret` found in `output`: a leak, however partial. */
function leaks(output: string, secret: string, window = 8): string[] {
  const found: string[] = [];
  for (let i = 0; i + window <= secret.length; i++) {
    const piece = secret.slice(i, i + window);
    if (output.includes(piece)) found.push(piece);
  }
  return found;
}

type FormatCase = {
  /** Which shape, for the test title. */
  name: string;
  /** The kind its marker names. */
  kind: string;
  /** The part that must vanish. */
  secret: string;
  /** The secret as it appears in text (with a scheme or header around it, when it needs one). */
  text: string;
};

function bare(name: string, kind: string, secret: string): FormatCase {
  return { name, kind, secret, text: secret };
}

function pem(label: string): FormatCase {
  const body = [random(64), random(64), random(40), "=="].join("\n");
  const header = ["-----BEGIN ", label, "-----"].join("");
  const footer = ["-----END ", label, "-----"].join("");
  return { name: `PEM ${label}`, kind: "private-key", secret: body, text: `${header}\n${body}\n${footer}` };
}

function jwt(): string {
  const part = (length: number) => ["ey", "J", random(length, `${ALNUM}_-`)].join("");
  return [part(30), part(60), random(43, `${ALNUM}_-`)].join(".");
}

/** One canary per format scrubText knows, built fresh (the seed advances for each). */
function formatCases(): FormatCase[] {
  const basicPassword = random(16);
  const basicCredentials = base64(`alice:${basicPassword}`);
  const urlPassword = random(20);
  const headerToken = random(40);
  const cookieValue = random(32);
  const bearerToken = [random(20), ".", random(20)].join("");
  return [
    bare("OpenAI legacy key", "sk-key", ["sk", "-", random(48)].join("")),
    bare("OpenAI project key", "sk-key", ["sk", "-proj-", random(64, `${ALNUM}_-`)].join("")),
    bare("Anthropic key", "sk-key", ["sk", "-ant-", "api03-", random(80, `${ALNUM}_-`)].join("")),
    bare("OpenRouter key", "sk-key", ["sk", "-or-", "v1-", random(64, HEX)].join("")),
    bare("Stripe live secret key", "stripe", ["sk", "_live_", random(24)].join("")),
    bare("Stripe restricted key", "stripe", ["rk", "_live_", random(24)].join("")),
    bare("Stripe test secret key", "stripe", ["sk", "_test_", random(24)].join("")),
    bare("webhook signing secret", "webhook-secret", ["wh", "sec_", random(32)].join("")),
    ...["b", "p", "a", "r", "s"].map((letter) =>
      bare(`Slack xox${letter} token`, "slack", ["xo", `x${letter}-`, random(11, DIGITS), "-", random(12, DIGITS), "-", random(24)].join("")),
    ),
    bare("Slack app-level token", "slack", ["xa", "pp-", "1-A", random(10, UPPER_DIGITS), "-", random(13, DIGITS), "-", random(64, HEX)].join("")),
    ...["p", "o", "u", "s", "r"].map((letter) => bare(`GitHub gh${letter}_ token`, "github", ["gh", `${letter}_`, random(36)].join(""))),
    bare("GitHub fine-grained token", "github", ["github", "_pat_", random(22), "_", random(59)].join("")),
    bare("Google API key", "google", ["AI", "za", random(35, `${ALNUM}_-`)].join("")),
    bare("AWS access key id", "aws", ["AK", "IA", random(16, UPPER_DIGITS)].join("")),
    bare("AWS temporary access key id", "aws", ["AS", "IA", random(16, UPPER_DIGITS)].join("")),
    bare("Resend API key", "resend", ["re", "_", random(8), "_", random(24)].join("")),
    bare("Twilio API key SID", "twilio", ["S", "K", random(32, HEX)].join("")),
    bare("Telegram bot token", "telegram", [random(9, DIGITS), ":", "AA", random(33, `${ALNUM}_-`)].join("")),
    bare("JSON Web Token", "jwt", jwt()),
    pem("RSA PRIVATE KEY"),
    pem("PRIVATE KEY"),
    pem("EC PRIVATE KEY"),
    pem("OPENSSH PRIVATE KEY"),
    pem("ENCRYPTED PRIVATE KEY"),
    pem("PGP PRIVATE KEY BLOCK"),
    { name: "Bearer token", kind: "bearer", secret: bearerToken, text: ["Bea", "rer ", bearerToken].join("") },
    { name: "Basic credentials", kind: "basic", secret: basicCredentials, text: `Basic ${basicCredentials}` },
    { name: "Authorization header line", kind: "authorization", secret: headerToken, text: `Authorization: Token ${headerToken}` },
    { name: "Cookie header line", kind: "authorization", secret: cookieValue, text: `Cookie: session=${cookieValue}; theme=dark` },
    { name: "password in a URL", kind: "url-credentials", secret: urlPassword, text: `postgres://deploy:${urlPassword}@db.example.com:5432/app` },
    ...["api_key", "key", "access_token", "token", "secret", "password", "sig", "signature", "X-Amz-Signature"].map((param): FormatCase => {
      const value = random(32);
      return { name: `query parameter ${param}`, kind: "query-secret", secret: value, text: `https://api.example.com/v1/items?page=2&${param}=${value}` };
    }),
    ...[
      ["DATABASE_PASSWORD=", ""],
      ['"clientSecret": "', '"'],
      ["X-Api-Key: ", ""],
      ["aws_secret_access_key = ", ""],
      ["private_key='", "'"],
    ].map(([before, after]): FormatCase => {
      const value = random(40, `${ALNUM}/+`);
      return { name: `assignment ${before.trim()}`, kind: "assignment", secret: value, text: `${before}${value}${after}` };
    }),
  ];
}

const FORMAT_CASES = formatCases();

describe("scrubText: one truth table row per credential format", () => {
  it.each(FORMAT_CASES.map((c) => [c.name, c] as const))("%s is replaced by its marker", (_name, c) => {
    const out = scrubText(c.text);
    expect(leaks(out, c.secret)).toEqual([]);
    expect(out).toContain(redactedMarker(c.kind));
  });

  it("covers every pattern in SECRET_PATTERNS with at least one canary", () => {
    const covered = new Set(FORMAT_CASES.map((c) => c.kind));
    expect(SECRET_PATTERNS.map((p) => p.kind).filter((kind) => !covered.has(kind))).toEqual([]);
  });

  it("exports the pattern list as data: unique kinds, global pre-compiled regexes, a description each", () => {
    const kinds = SECRET_PATTERNS.map((p) => p.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const p of SECRET_PATTERNS) {
      expect(p.regex.global, p.kind).toBe(true);
      expect(p.description.length, p.kind).toBeGreaterThan(10);
    }
    expect(Object.isFrozen(SECRET_PATTERNS)).toBe(true);
  });

  it("keeps the context around a secret: header names, URL user and host, other parameters", () => {
    const urlCase = FORMAT_CASES.find((c) => c.kind === "url-credentials") as FormatCase;
    expect(scrubText(urlCase.text)).toBe(`postgres://deploy:${redactedMarker("url-credentials")}@db.example.com:5432/app`);
    const query = FORMAT_CASES.find((c) => c.name === "query parameter api_key") as FormatCase;
    expect(scrubText(query.text)).toBe(`https://api.example.com/v1/items?page=2&api_key=${redactedMarker("query-secret")}`);
    const header = FORMAT_CASES.find((c) => c.name === "Authorization header line") as FormatCase;
    expect(scrubText(`${header.text}\nContent-Type: application/json`)).toBe(`Authorization: ${redactedMarker("authorization")}\nContent-Type: application/json`);
  });

  it("finds a Telegram token inside a Bot API path", () => {
    const token = [random(10, DIGITS), ":", "AA", random(33)].join("");
    expect(scrubText(`POST https://api.telegram.org/bot${token}/sendMessage failed`)).toBe(
      `POST https://api.telegram.org/bot${redactedMarker("telegram")}/sendMessage failed`,
    );
  });

  it("replaces an unterminated private key block up to where the key text ends", () => {
    const c = pem("RSA PRIVATE KEY");
    const cut = c.text.slice(0, c.text.indexOf("-----END"));
    const out = scrubText(`${cut}-----\nrest of the log`);
    expect(leaks(out, c.secret)).toEqual([]);
    expect(out).toContain("rest of the log");
  });

  it("is idempotent: scrubbing scrubbed text changes nothing", () => {
    const text = FORMAT_CASES.map((c) => `line: ${c.text}`).join("\n");
    const once = scrubText(text);
    expect(scrubText(once)).toBe(once);
  });
});

/**
 * Ways a secret shows up in what gets logged. `kept` must survive scrubbing; `keptAfter` is text
 * after the secret on the same line, which also survives except for header formats, whose value is
 * the rest of the line by design (an Authorization or Cookie value has spaces and parameters).
 */
const CONTEXTS: ReadonlyArray<{ name: string; wrap: (text: string) => string; kept: string[]; keptAfter: string[] }> = [
  { name: "prose", wrap: (t) => `Deploy failed: ${t} was rejected, please rotate it`, kept: ["Deploy failed:"], keptAfter: ["please rotate it"] },
  { name: "start of text", wrap: (t) => `${t} was rejected`, kept: [], keptAfter: ["was rejected"] },
  { name: "end of text", wrap: (t) => `the value is ${t}`, kept: ["the value is"], keptAfter: [] },
  { name: "own line", wrap: (t) => `first line\n${t}\nlast line`, kept: ["first line", "last line"], keptAfter: [] },
  { name: "JSON text", wrap: (t) => JSON.stringify({ message: t, attempt: 2 }), kept: ['{"message":"', '"attempt":2'], keptAfter: [] },
  { name: "JSON inside a JSON string", wrap: (t) => JSON.stringify(JSON.stringify({ config: t, retry: true })), kept: ['\\"retry\\":true'], keptAfter: [] },
  { name: "JSON with an escape before", wrap: (t) => JSON.stringify({ text: `line one\n${t}` }), kept: ["line one\\n"], keptAfter: [] },
  { name: "single quotes", wrap: (t) => `config = '${t}'; done`, kept: ["config = '", "done"], keptAfter: [] },
  { name: "parentheses", wrap: (t) => `the call (${t}) failed`, kept: ["the call ("], keptAfter: [" failed"] },
  { name: "angle brackets", wrap: (t) => `<${t}> end`, kept: ["<"], keptAfter: ["> end"] },
  { name: "backticks", wrap: (t) => `run \`${t}\` now`, kept: ["run `"], keptAfter: ["` now"] },
  {
    name: "error and stack",
    wrap: (t) => `Error: upstream said ${t}\n    at callProvider (/app/convex/skills/runner.ts:42:7)\n    at async run (node:internal/process:1:1)`,
    kept: ["Error: upstream said", "at callProvider (/app/convex/skills/runner.ts:42:7)", "at async run"],
    keptAfter: [],
  },
];

describe("scrubText: every canary in every context", () => {
  const rows = CONTEXTS.flatMap((context) => FORMAT_CASES.map((c) => [context.name, c.name, context, c] as const));
  it.each(rows)("%s: %s", (_context, _format, context, c) => {
    const out = scrubText(context.wrap(c.text));
    expect(leaks(out, c.secret)).toEqual([]);
    const kept = c.kind === "authorization" ? context.kept : [...context.kept, ...context.keptAfter];
    for (const text of kept) expect(out).toContain(text);
  });

  it("scrubs all canaries at once in one long log text", () => {
    const text = FORMAT_CASES.map((c, i) => `step ${i}: ${c.text}`).join("\n");
    const out = scrubText(text);
    for (const c of FORMAT_CASES) expect(leaks(out, c.secret), c.name).toEqual([]);
    expect(out).toContain(`step ${FORMAT_CASES.length - 1}:`);
  });
});

describe("scrubText: ordinary text is left alone", () => {
  const ordinary = [
    "The quick brown fox jumps over the lazy dog, twice.",
    "Request 550e8400-e29b-41d4-a716-446655440000 finished in 42 ms",
    "Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b on main",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "See https://docs.example.com/guide/setup?section=models&page=2#providers for details",
    "Mail owner@example.com or visit http://localhost:5173/syncboard",
    "Released 2024-06-13T10:15:30Z as v1.48.2 from /usr/local/lib/node_modules",
    "Bearer authentication and Basic authentication are both supported",
    "bearer tokens expire; basic auth is off",
    "the secret: nobody knows, and the token: short",
    "maxTokens: 4096, inputTokens=1200, token_count=123456",
    "a risk-assessment-of-the-whole-platform-and-more, using sk-learn",
    "author: Jane Doe; monkey=banana; keyboard: qwerty; the key to success",
    "Forgot your password? Use the reset link.",
    "Ratio 16:9 at 12:30:45, build 20240613:42",
    "AKIA1234 is too short, eyJ alone is not a token, re_render is a function",
    "Authorization is required for this endpoint",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
  ];
  it.each(ordinary)("%s", (text) => {
    expect(scrubText(text)).toBe(text);
  });

  it("keeps Twilio account SIDs: identifiers that authenticate nothing alone", () => {
    const sid = ["A", "C", random(32, HEX)].join("");
    const text = `POST /2010-04-01/Accounts/${sid}/Messages.json returned 401`;
    expect(scrubText(text)).toBe(text);
  });
});

describe("scrubText: configured secret values", () => {
  it("replaces a known secret in every encoding it can travel in", () => {
    const secret = `${random(12)} /+=&"${random(12)}`;
    const forms = [
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      base64(secret),
      base64(secret).replace(/=+$/, ""),
      base64(secret).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"),
    ];
    for (const form of forms) {
      const out = scrubText(`value=${form} end`, [secret]);
      expect(out, form).toContain(REDACTED);
      expect(out, form).toContain(" end");
      expect(leaks(out, form)).toEqual([]);
    }
  });

  it("catches a secret that has no known shape (a Twilio auth token is plain hex)", () => {
    const authToken = random(32, HEX);
    expect(scrubText(`twilio said ${authToken} is wrong`)).toContain(authToken);
    expect(scrubText(`twilio said ${authToken} is wrong`, [authToken])).toBe(`twilio said ${REDACTED} is wrong`);
  });

  it.each([
    ["admin", false],
    ["1234", false],
    ["x".repeat(MIN_KNOWN_SECRET_CHARS - 1), false],
    ["y".repeat(MIN_KNOWN_SECRET_CHARS), true],
  ] as const)("a secret %s is searched for: %s (shorter values would mangle ordinary text)", (secret, replaced) => {
    const text = `the admin account uses ${secret} here`;
    expect(scrubText(text, [secret]) !== text).toBe(replaced);
  });

  it("replaces the longest secret first, so a secret containing another leaves no tail", () => {
    const short = random(10);
    const long = `${short}${random(14)}`;
    const out = scrubText(`a=${long} b=${short}`, [short, long]);
    expect(out).toBe(`a=${REDACTED} b=${REDACTED}`);
  });
});

describe("scrubValue", () => {
  it("scrubs canaries in strings anywhere in nested objects and arrays", () => {
    const value = {
      level: "info",
      request: { url: FORMAT_CASES[0].text, headers: [["x-trace", "abc"], ["x-note", FORMAT_CASES[5].text]] },
      items: FORMAT_CASES.map((c) => ({ note: `saw ${c.text}` })),
      deep: { a: { b: { c: { d: [FORMAT_CASES[10].text] } } } },
    };
    const json = JSON.stringify(scrubValue(value));
    for (const c of FORMAT_CASES) expect(leaks(json, c.secret), c.name).toEqual([]);
    expect(json).toContain('"level":"info"');
    expect(json).toContain('["x-trace","abc"]');
  });

  it.each([
    ["apiKey", "abc"],
    ["api_key", "abc"],
    ["x-api-key", "abc"],
    ["OPENAI_API_KEY", "abc"],
    ["apikey", "abc"],
    ["Authorization", "Token abc"],
    ["authToken", "abc"],
    ["accessToken", "abc"],
    ["refresh_token", "abc"],
    ["client_secret", "abc"],
    ["secretKey", "abc"],
    ["password", "hunter2"],
    ["password", 12345678],
    ["userPassword", true],
    ["passwd", "abc"],
    ["privateKey", "abc"],
    ["private_key", { kty: "RSA" }],
    ["set-cookie", ["a=1"]],
    ["Cookie", "a=1"],
    ["signature", "v0=abc"],
    ["credentials", { user: "u", pass: "p" }],
    ["AUTH", "u:p"],
    ["webhookSecret", "abc"],
  ] as const)("withholds the whole value of %s", (name, value) => {
    expect(isSecretField(name, value)).toBe(true);
    expect(scrubValue({ [name]: value })).toEqual({ [name]: REDACTED });
  });

  it.each([
    ["maxTokens", 4096, "a count is a number, not a credential"],
    ["inputTokens", 1200, "usage numbers are kept"],
    ["tokenCount", 5, "descriptive last word"],
    ["tokenUsage", { input: 1 }, "descriptive last word"],
    ["tokenType", "Bearer", "descriptive last word"],
    ["keyName", "OPENAI_API_KEY", "names of secrets may be shown"],
    ["secretNames", ["RESEND_API_KEY"], "names of secrets may be shown"],
    ["isPrivate", true, "a boolean is not a credential"],
    ["apiKey", null, "nothing to hide"],
    ["apiKey", "", "nothing to hide"],
    ["author", "Jane", "words, not substrings: author is not auth"],
    ["authority", "x", "words, not substrings"],
    ["monkey", "banana", "words, not substrings: monkey is not key"],
    ["keyboard", "qwerty", "words, not substrings"],
    ["description", "plain", "not secret-like at all"],
  ] as const)("keeps %s (%s): %s", (name, value, _reason) => {
    expect(isSecretField(name, value)).toBe(false);
    expect(scrubValue({ [name]: value })).toEqual({ [name]: value });
  });

  it.each([
    ["apiKey", ["api", "key"]],
    ["OPENAI_API_KEY", ["openai", "api", "key"]],
    ["x-api-key", ["x", "api", "key"]],
    ["HTTPHeaders", ["http", "headers"]],
    ["client.secret", ["client", "secret"]],
  ] as const)("splits %s into words", (name, words) => {
    expect(fieldNameWords(name)).toEqual(words);
  });

  it("scrubs object keys too, and never lets __proto__ touch a prototype", () => {
    const canary = FORMAT_CASES[1];
    const out = scrubValue({ [canary.text]: 1 }) as Record<string, unknown>;
    expect(leaks(JSON.stringify(out), canary.secret)).toEqual([]);
    const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}') as unknown;
    const scrubbed = scrubValue(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(scrubbed, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stops at the depth limit, replacing what is deeper (and any secret in it)", () => {
    const canary = FORMAT_CASES[2];
    let value: unknown = { secret: "n/a", note: canary.text };
    for (let i = 0; i < SCRUB_LIMITS.maxDepth + 5; i++) value = { child: value };
    const json = JSON.stringify(scrubValue(value));
    expect(json).toContain(TOO_DEEP);
    expect(leaks(json, canary.secret)).toEqual([]);
  });

  it("bounds arrays, object keys and the total number of nodes", () => {
    const long = Array.from({ length: SCRUB_LIMITS.maxEntries + 50 }, (_, i) => i);
    expect((scrubValue(long) as unknown[]).at(-1)).toBe("[…50 more items]");
    const wide = Object.fromEntries(long.map((i) => [`k${i}`, i]));
    expect((scrubValue(wide) as Record<string, unknown>)["…"]).toBe("50 more keys");
    const canary = FORMAT_CASES[3];
    const huge = Array.from({ length: 20 }, () => Array.from({ length: SCRUB_LIMITS.maxEntries }, () => `x ${canary.text}`));
    const json = JSON.stringify(scrubValue(huge));
    expect(json).toContain(OMITTED);
    expect(leaks(json, canary.secret)).toEqual([]);
  });

  it("survives cycles, errors, dates, binary data, maps, sets, bigints and functions", () => {
    const canary = FORMAT_CASES[4];
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const error = Object.assign(new Error(`provider said ${canary.text}`, { cause: new Error(`cause ${canary.text}`) }), { status: 401 });
    const out = scrubValue({
      cyclic,
      error,
      at: new Date(Date.UTC(2024, 5, 13)),
      bytes: new Uint8Array(16),
      map: new Map([["apiKey", "abc"], ["region", "eu"]]),
      set: new Set(["one"]),
      big: 10n,
      fn: () => 1,
    }) as Record<string, unknown>;
    expect((out.cyclic as Record<string, unknown>).self).toBe(CIRCULAR);
    const scrubbedError = out.error as Record<string, unknown>;
    expect(scrubbedError.name).toBe("Error");
    expect(scrubbedError.status).toBe(401);
    expect(typeof scrubbedError.stack).toBe("string");
    expect(leaks(JSON.stringify(out), canary.secret)).toEqual([]);
    expect(out.at).toBe("2024-06-13T00:00:00.000Z");
    expect(out.bytes).toBe("[binary 16 bytes]");
    expect(out.map).toEqual({ apiKey: REDACTED, region: "eu" });
    expect(out.set).toEqual(["one"]);
    expect(out.big).toBe("10");
    expect(out.fn).toBeUndefined();
  });

  it("passes numbers, booleans and null through unchanged", () => {
    expect(scrubValue(42)).toBe(42);
    expect(scrubValue(false)).toBe(false);
    expect(scrubValue(null)).toBeNull();
  });
});

describe("scrubForLog", () => {
  it("scrubs a string as text and anything else as JSON", () => {
    const canary = FORMAT_CASES[0];
    expect(scrubForLog(`key ${canary.text}`, 1000)).toBe(`key ${redactedMarker("sk-key")}`);
    expect(scrubForLog({ apiKey: canary.text, city: "Oslo" }, 1000)).toBe(`{"apiKey":"${REDACTED}","city":"Oslo"}`);
  });

  it("truncates with a visible marker and never exceeds maxChars", () => {
    const out = scrubForLog("x".repeat(500), 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.endsWith(truncationMarker(500 - out.indexOf("…")))).toBe(true);
    expect(out).toMatch(/^x+…\[truncated \d+ chars\]$/);
    expect(scrubForLog("short", 100)).toBe("short");
  });

  it.each([0, -5, Number.NaN, 3])("stays within a tiny or invalid maxChars (%s)", (max) => {
    expect(scrubForLog("x".repeat(50), max).length).toBeLessThanOrEqual(Math.max(0, Number.isNaN(max) ? 0 : max));
  });

  it("truncates after scrubbing: no cut position leaves a prefix of a secret", () => {
    for (const c of [FORMAT_CASES[1], FORMAT_CASES.find((f) => f.kind === "jwt") as FormatCase]) {
      const text = `${"a".repeat(40)} ${c.text} ${"b".repeat(40)}`;
      for (let max = 30; max <= text.length + 5; max++) {
        const out = scrubForLog(text, max);
        expect(leaks(out, c.secret), `${c.name} cut at ${max}`).toEqual([]);
      }
    }
  });

  it("truncates after scrubbing a known secret too", () => {
    const secret = random(40);
    const text = `prefix ${secret} suffix`;
    for (let max = 10; max <= text.length; max++) expect(leaks(scrubForLog(text, max, [secret]), secret)).toEqual([]);
  });

  it("does not split a surrogate pair at the cut", () => {
    const out = scrubForLog("😀".repeat(100), 50);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("performance shape: no catastrophic backtracking", () => {
  const pathological: ReadonlyArray<readonly [string, string]> = [
    ["100k a", "a".repeat(100_000)],
    ["sk- repeated", "sk-".repeat(33_000)],
    ["eyJ repeated with dots", `${"eyJ".repeat(20_000)}.${"eyJ".repeat(20_000)}.`],
    ["PEM headers without bodies", ["-----BEGIN ", "PRIVATE KEY-----"].join("").repeat(3000)],
    ["Bearer repeated", "Bearer ".repeat(10_000)],
    ["query keys repeated", "?key=&token=".repeat(10_000)],
    ["colons", "a:".repeat(50_000)],
    ["digits then a colon", `${"1".repeat(100_000)}:`],
    ["scheme repeated", `${"https://".repeat(10_000)}a:${"b".repeat(1000)}`],
    ["assignment names repeated", `${"password_token_".repeat(5000)}= x`],
    ["Authorization repeated", "Authorization: ".repeat(5000)],
    ["base64-ish run", "A".repeat(100_000)],
  ];
  it.each(pathological)("returns for %s", (_name, input) => {
    expect(typeof scrubText(input)).toBe("string");
  });

  it("scrubs a 50 KB log with secrets in it", () => {
    const chunk = `lorem ipsum ${FORMAT_CASES[0].text} dolor https://example.com/?q=1 `;
    const text = chunk.repeat(Math.ceil(50_000 / chunk.length));
    const out = scrubText(text);
    expect(leaks(out, FORMAT_CASES[0].secret)).toEqual([]);
  });
});
