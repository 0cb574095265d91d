// @vitest-environment node
// The front-door documents carry promises the security checklist asks for: the README warns about
// the encryption key, the setup guide has the security steps, the contributing guide has the
// security review. These tests keep them from quietly disappearing, and keep every link working.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const WEBHOOK_SECRETS = ["TELEGRAM_WEBHOOK_SECRET", "TWILIO_AUTH_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_PUBLIC_KEY", "RESEND_WEBHOOK_SECRET"];

const FRONT_DOOR = ["README.md", "SECURITY.md", "CONTRIBUTING.md", "docs/setup.md", "docs/self-hosting.md"];

function read(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** The text under the level-2 heading matching `title`, up to the next level-2 heading. */
function section(markdown: string, title: RegExp): string | null {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^## /.test(line) && title.test(line.slice(3).trim()));
  if (start === -1) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^## /.test(line));
  return rest.slice(0, end === -1 ? undefined : end).join("\n");
}

/** Each GitHub-style alert box (`> [!WARNING]` and the quoted lines after it), as plain text. */
function warningBoxes(markdown: string): string[] {
  const boxes: string[] = [];
  const lines = markdown.split("\n");
  lines.forEach((line, index) => {
    if (!/^>\s*\[!(WARNING|CAUTION|IMPORTANT)\]/.test(line)) return;
    const box: string[] = [];
    for (let i = index + 1; i < lines.length && lines[i].startsWith(">"); i++) box.push(lines[i].replace(/^>\s?/, ""));
    boxes.push(box.join("\n"));
  });
  return boxes;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, "")
    .replace(/ /g, "-");
}

function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const line of markdown.split("\n")) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) found.add(slug(heading[1].trim()));
  }
  return found;
}

describe("README.md", () => {
  it("warns, in a warning box, to generate your own SKILL_SECRET_ENCRYPTION_KEY and shows the command", () => {
    const box = warningBoxes(read("README.md")).find((text) => text.includes("SKILL_SECRET_ENCRYPTION_KEY"));
    expect(box, "README.md needs a > [!WARNING] box about SKILL_SECRET_ENCRYPTION_KEY").toBeDefined();
    expect(box).toContain("openssl rand -base64 32");
    expect(box).toContain("npx convex env set SKILL_SECRET_ENCRYPTION_KEY");
    expect(box).toMatch(/generate your own/i);
    expect(box, "the same box tells self-hosters to rotate the admin key").toMatch(/rotate the admin key/i);
  });

  it("gives the two commands: npm install && npm start, and npm test", () => {
    const readme = read("README.md");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toMatch(/^npm test$/m);
  });
});

describe("docs/setup.md", () => {
  it("has a Security configuration section naming the encryption key, WorkOS and every webhook secret", () => {
    const text = section(read("docs/setup.md"), /^(\d+\.\s+)?Security configuration$/);
    expect(text, "docs/setup.md needs a '## Security configuration' section").not.toBeNull();
    for (const name of ["SKILL_SECRET_ENCRYPTION_KEY", "WORKOS_CLIENT_ID", ...WEBHOOK_SECRETS]) expect(text).toContain(name);
    expect(text).toContain("openssl rand");
    expect(text, "it warns against the local identity provider in production").toContain("Never set `CLAWSYNC_LOCAL_AUTH_ISSUER`");
  });
});

describe("CONTRIBUTING.md", () => {
  it("has a Security review process section naming what needs a second reviewer", () => {
    const text = section(read("CONTRIBUTING.md"), /^Security review process$/);
    expect(text, "CONTRIBUTING.md needs a '## Security review process' section").not.toBeNull();
    expect(text).toMatch(/second reviewer/i);
    for (const path of ["convex/security/", "convex/lib/functions.ts", "local/auth/", "local/server/"]) expect(text).toContain(path);
    expect(text, "the reviewer updates the SECURITY.md row with its test").toContain("SECURITY.md");
    expect(text).toContain("npm test");
  });
});

describe("front-door documents", () => {
  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const document of FRONT_DOOR) {
      const text = read(document);
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [file, anchor] = target.split("#");
        const path = file === "" ? document : normalize(join(dirname(document), file));
        if (!existsSync(join(ROOT, path))) {
          broken.push(`${document}: ${target} (no such file)`);
          continue;
        }
        if (anchor && path.endsWith(".md") && !anchors(read(path)).has(anchor)) broken.push(`${document}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
