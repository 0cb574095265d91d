// @vitest-environment node
// No credential may be committed: every file git tracks (or would track: untracked files that are not
// ignored) is scanned for the shapes of real keys and tokens. The scanner itself is proven on canary
// strings assembled at run time, so this file never holds a secret-shaped literal of its own.
import { spawnSync } from "node:child_process";
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

type PatternName =
  | "provider API key (sk-)"
  | "Slack token"
  | "GitHub token"
  | "Google API key"
  | "private key block"
  | "Telegram bot token"
  | "AWS access key id"
  | "JSON Web Token"
  | "Bearer token";

type SecretPattern = {
  name: PatternName;
  /** Global, so every occurrence in a file is found. */
  regex: RegExp;
  /** A fake secret of this shape, assembled from pieces so no source line matches. */
  canary: () => string;
};

/** Deterministic filler from a mixed alphabet, so canaries look like real tokens. */
function filler(length: number, alphabet = "aZ3kQ9xL2mP7vR4tY8wB6nC1dF5gH0j"): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(i * 7 + 3) % alphabet.length];
  return out;
}

const UPPER_DIGITS = "QWERTY23456789ABCDEFGHJKLMNPSUVXZ";

/** A header and payload of a JWT ("eyJ" is how base64url of `{"` begins). */
const jwtPart = (body: string) => ["ey", "J", body].join("");

const PATTERNS: readonly SecretPattern[] = [
  {
    // Anthropic (sk-ant-), OpenAI (sk-, sk-proj-), OpenRouter (sk-or-v1-) and look-alikes.
    name: "provider API key (sk-)",
    regex: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g,
    canary: () => ["sk", "-", "ant-api03-", filler(48)].join(""),
  },
  {
    name: "Slack token",
    regex: /(?<![A-Za-z0-9])xox[abeprs]-[A-Za-z0-9-]{10,}/g,
    canary: () => ["xo", "xb-", "1234567890-", filler(24)].join(""),
  },
  {
    name: "GitHub token",
    regex: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})/g,
    canary: () => ["gh", "p_", filler(36)].join(""),
  },
  {
    name: "Google API key",
    regex: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    canary: () => ["AI", "za", filler(35)].join(""),
  },
  {
    // A header followed by key material; a bare header (as in an assertion about a file's first
    // line) holds no key. `\n` written as an escape counts as a line break.
    name: "private key block",
    regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s)+[A-Za-z0-9+/=]{40,}/g,
    canary: () => ["-----BEGIN ", "RSA PRIVATE", " KEY-----\n", "MIIE", filler(60), "\n"].join(""),
  },
  {
    name: "Telegram bot token",
    regex: /(?<![A-Za-z0-9])\d{8,10}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    canary: () => ["123456789", ":", "AA", filler(33)].join(""),
  },
  {
    name: "AWS access key id",
    regex: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    canary: () => ["AK", "IA", filler(16, UPPER_DIGITS)].join(""),
  },
  {
    name: "JSON Web Token",
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    canary: () => [jwtPart("hbGciOiJSUzI1NiJ9"), jwtPart("zdWIiOiJvd25lciJ9"), filler(43)].join("."),
  },
  {
    // Must hold a digit and a letter: prose such as "Bearer authentication" is not a token.
    name: "Bearer token",
    regex: /[Bb]earer\s+(?=[A-Za-z0-9._~+/-]*[0-9])(?=[A-Za-z0-9._~+/-]*[A-Za-z])[A-Za-z0-9._~+/-]{20,}=*/g,
    canary: () => ["Bea", "rer ", filler(40)].join(""),
  },
];

type Finding = { pattern: PatternName; line: number; preview: string };

/** A finding's text for a report: enough to locate it, never the secret itself. */
function mask(match: string): string {
  return `${match.slice(0, 4)}… (${match.length} characters)`;
}

/** Every secret-shaped string in `text`, with its line number and a masked preview. */
function scanText(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const { name, regex } of PATTERNS) {
    for (const match of text.matchAll(regex)) {
      const line = text.slice(0, match.index).split("\n").length;
      findings.push({ pattern: name, line, preview: mask(match[0]) });
    }
  }
  return findings;
}

/**
 * Test files that deliberately hold a fake secret of one shape (a canary for the redaction tests,
 * say). Keep this tiny: prefer assembling canaries at run time, as this file does. An entry names
 * the file, the one pattern it may contain, and why.
 */
const CANARY_ALLOWLIST: ReadonlyArray<{ path: string; pattern: PatternName; reason: string }> = [];

/** Files git tracks plus untracked ones it would track, relative to the repository root. */
function repositoryFiles(): string[] {
  const result = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`git ls-files failed: ${result.stderr}`);
  return [...new Set(result.stdout.split("\0").filter(Boolean))].sort();
}

/** The file's text, or null when it is gone from the work tree, a symlink, or binary. */
function readText(path: string): string | null {
  const absolute = join(ROOT, path);
  let stats;
  try {
    stats = lstatSync(absolute);
  } catch {
    return null; // tracked but deleted in the work tree
  }
  if (!stats.isFile()) return null;
  const bytes = readFileSync(absolute);
  if (bytes.subarray(0, 8192).includes(0)) return null;
  return bytes.toString("utf8");
}

describe("secret scanner", () => {
  it("catches a canary of each secret pattern, including one buried in other text", () => {
    for (const pattern of PATTERNS) {
      const canary = pattern.canary();
      expect(scanText(canary).map((f) => f.pattern), `alone: ${pattern.name}`).toContain(pattern.name);
      const buried = `const config = {\n  note: "first line",\n  value: "${canary}",\n};\n`;
      expect(scanText(buried), `buried: ${pattern.name}`).toContainEqual(expect.objectContaining({ pattern: pattern.name, line: 3 }));
    }
  });

  it("ignores placeholders and look-alikes that are not secrets", () => {
    const lookAlikes = [
      "Authorization: Bearer <token>",
      "headers: { Authorization: `Bearer ${token}` }",
      "Bearer authentication with a token minted in SyncBoard",
      "OPENAI_API_KEY=sk-...",
      "const key = process.env.ANTHROPIC_API_KEY;",
      "risk-assessment-of-the-whole-platform-and-more",
      "expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\\n/);",
      "AKIA1234",
      "openssl rand -base64 32 | npx convex env set SKILL_SECRET_ENCRYPTION_KEY",
      "https://api.workos.com/sso/jwks/${workosClientId}",
      "sha512-" + filler(86) + "==",
    ];
    for (const text of lookAlikes) expect(scanText(text), text).toEqual([]);
  });

  it("reports where a secret is without repeating it", () => {
    const canary = PATTERNS[0].canary();
    const [finding] = scanText(`first\nsecond ${canary}\n`);
    expect(finding).toEqual({ pattern: "provider API key (sk-)", line: 2, preview: `${canary.slice(0, 4)}… (${canary.length} characters)` });
    expect(JSON.stringify(finding)).not.toContain(canary.slice(8));
  });
});

describe("repository files", () => {
  it("finds no hardcoded API keys, tokens or secrets in any file git tracks or would track", () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const path of files) {
      const text = readText(path);
      if (text === null) continue;
      const allowed = new Set(CANARY_ALLOWLIST.filter((entry) => entry.path === path).map((entry) => entry.pattern));
      for (const finding of scanText(text)) {
        if (!allowed.has(finding.pattern)) problems.push(`${path}:${finding.line} ${finding.pattern} ${finding.preview}`);
      }
    }
    expect(problems, "remove the secret, rotate it, and never commit it again").toEqual([]);
  });

  it("allowlists only test files, each still holding its canary", () => {
    expect(CANARY_ALLOWLIST.length).toBeLessThanOrEqual(5);
    const files = new Set(repositoryFiles());
    for (const entry of CANARY_ALLOWLIST) {
      expect(entry.path, "only test files may hold a canary").toMatch(/^tests\/.+\.test\.ts$/);
      expect(entry.reason.trim().length, `${entry.path} needs a reason`).toBeGreaterThan(10);
      expect(files.has(entry.path), `${entry.path} no longer exists: remove its entry`).toBe(true);
      const text = readText(entry.path) ?? "";
      expect(scanText(text).map((f) => f.pattern), `${entry.path} no longer holds a ${entry.pattern}: remove its entry`).toContain(entry.pattern);
    }
  });
});
