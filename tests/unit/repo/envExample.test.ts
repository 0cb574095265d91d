// @vitest-environment node
// .env.example is the one env file in git, so it must name every variable and hold no value: a
// template with a real key in it is a leaked key.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The variables the design and the docs promise are listed. */
const REQUIRED = [
  "CLAWSYNC_API_PORT",
  "CLAWSYNC_SITE_PORT",
  "CLAWSYNC_UI_PORT",
  "CLAWSYNC_DATA_DIR",
  "CLAWSYNC_HOST",
  "CLAWSYNC_ALLOW_NON_LOOPBACK",
  "CLAWSYNC_ALLOWED_HOSTS",
  "CLAWSYNC_EXPOSE_ERRORS",
  "VITE_CONVEX_URL",
  "VITE_CONVEX_SITE_URL",
  "VITE_WORKOS_CLIENT_ID",
  "VITE_WORKOS_REDIRECT_URI",
  "WORKOS_CLIENT_ID",
  "SKILL_SECRET_ENCRYPTION_KEY",
  "ANTHROPIC_API_KEY",
  "OPENAI_API_KEY",
  "OPENROUTER_API_KEY",
  "TELEGRAM_WEBHOOK_SECRET",
  "TWILIO_AUTH_TOKEN",
  "SLACK_SIGNING_SECRET",
  "DISCORD_PUBLIC_KEY",
  "RESEND_WEBHOOK_SECRET",
  "RESEND_API_KEY",
  "ELEVENLABS_API_KEY",
];

/**
 * Set by the local runtime for itself; a person who sets it on a hosted deployment makes that
 * deployment trust tokens anyone can mint (docs/local-auth.md). So it is never offered as a setting.
 */
const RUNTIME_ONLY = ["CLAWSYNC_LOCAL_AUTH_ISSUER"];

/** A comment that starts by naming its readers: `# [local runtime]`, `# [local runtime, web build]`. */
const READERS = /^#\s*\[(?:local runtime|web build|Convex)(?:,\s*(?:local runtime|web build|Convex))*\]\s+\S/;

/** `NAME=value`, optionally after `export`; value is everything after the first `=`. */
const VARIABLE_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

type Line = { number: number; text: string };
type Variable = { name: string; value: string; line: number; commentAbove: string | null };

function lines(): Line[] {
  return readFileSync(join(ROOT, ".env.example"), "utf8")
    .split(/\r?\n/)
    .map((text, index) => ({ number: index + 1, text }));
}

function variables(): Variable[] {
  const all = lines();
  const found: Variable[] = [];
  all.forEach(({ number, text }, index) => {
    const match = VARIABLE_LINE.exec(text);
    if (!match) return;
    const previous = index > 0 ? all[index - 1].text.trim() : "";
    found.push({ name: match[1], value: match[2], line: number, commentAbove: previous.startsWith("#") ? previous : null });
  });
  return found;
}

/** Source files of the product (not tests, not generated code), as git sees them. */
function productSources(): string[] {
  const result = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`git ls-files failed: ${result.stderr}`);
  return result.stdout
    .split("\0")
    .filter((path) => /^(convex|local|src|scripts|bin)\/.+\.(ts|tsx|js|mjs|cjs)$/.test(path) || path === "vite.config.ts")
    .filter((path) => !path.startsWith("convex/_generated/"));
}

describe(".env.example", () => {
  it("gives every variable an empty value", () => {
    const withValues = variables().filter((variable) => variable.value.length > 0);
    expect(withValues.map((v) => `line ${v.line}: ${v.name}`), "write NAME= and nothing after it, not even a space or a comment").toEqual([]);
  });

  it("holds only comments, blank lines and NAME= lines", () => {
    const other = lines().filter(({ text }) => text.trim() !== "" && !text.trim().startsWith("#") && !VARIABLE_LINE.test(text));
    expect(other.map(({ number }) => `line ${number}`)).toEqual([]);
  });

  it("lists each required variable exactly once", () => {
    const names = variables().map((variable) => variable.name);
    expect(REQUIRED.filter((name) => !names.includes(name)), "missing").toEqual([]);
    expect(names.filter((name, index) => names.indexOf(name) !== index), "listed twice").toEqual([]);
  });

  it("says above each variable whether the local runtime, the web build or the Convex functions read it", () => {
    const unexplained = variables().filter((variable) => variable.commentAbove === null || !READERS.test(variable.commentAbove));
    expect(unexplained.map((v) => v.name)).toEqual([]);
  });

  it("documents every CLAWSYNC_ and VITE_ variable the code reads", () => {
    const listed = new Set(variables().map((variable) => variable.name));
    const used = new Map<string, string>();
    for (const path of productSources()) {
      const text = readFileSync(join(ROOT, path), "utf8");
      for (const [name] of text.matchAll(/\b(?:CLAWSYNC|VITE)_[A-Z0-9_]+\b/g)) if (!used.has(name)) used.set(name, path);
    }
    expect(used.size).toBeGreaterThan(0);
    const undocumented = [...used].filter(([name]) => !listed.has(name) && !RUNTIME_ONLY.includes(name));
    expect(undocumented.map(([name, path]) => `${name} (read in ${path})`)).toEqual([]);
  });

  it("never offers CLAWSYNC_LOCAL_AUTH_ISSUER, which only the local runtime sets", () => {
    const names = variables().map((variable) => variable.name);
    expect(names.filter((name) => RUNTIME_ONLY.includes(name))).toEqual([]);
  });
});
