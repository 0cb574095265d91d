// @vitest-environment node
// Files that hold real values must never reach git: every .env file but the template, and the local
// runtime's data folder (database, admin key, signing key). Asked of git itself, so the test follows
// the rules exactly as git applies them.
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Whether .gitignore's rules ignore `path`. `--no-index` asks about the rules alone: without it,
 * git answers "not ignored" for any file that is already tracked.
 */
function ignored(path: string): boolean {
  const result = spawnSync("git", ["check-ignore", "--no-index", "-q", path], { cwd: ROOT, encoding: "utf8" });
  if (result.status === 0) return true;
  if (result.status === 1) return false;
  throw new Error(`git check-ignore ${path} failed: ${result.stderr}`);
}

function trackedFiles(): string[] {
  const result = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`git ls-files failed: ${result.stderr}`);
  return result.stdout.split("\0").filter(Boolean);
}

describe(".gitignore", () => {
  it("ignores .env, .env.local, .env.production and every other .env file", () => {
    const envFiles = [".env", ".env.local", ".env.production", ".env.production.local", ".env.development", ".env.development.local", ".env.test", ".env.convex"];
    expect(envFiles.filter((path) => !ignored(path))).toEqual([]);
  });

  it("ignores .env files in subfolders too", () => {
    const nested = ["convex/.env", "local/.env.local", "src/.env.production", "tests/fixtures/.env"];
    expect(nested.filter((path) => !ignored(path))).toEqual([]);
  });

  it("ignores the local runtime's data folder .clawsync/", () => {
    const dataFiles = [".clawsync/admin_key", ".clawsync/keys/local-idp.pem", ".clawsync/auth/refresh-tokens.json", ".clawsync/auth/audit.jsonl"];
    expect(dataFiles.filter((path) => !ignored(path))).toEqual([]);
  });

  it("does not ignore .env.example", () => {
    expect(ignored(".env.example")).toBe(false);
  });

  it("tracks no .env file other than .env.example", () => {
    const tracked = trackedFiles().filter((path) => basename(path).startsWith(".env") && basename(path) !== ".env.example");
    expect(tracked, "untrack them with `git rm --cached` and rotate every value they held").toEqual([]);
  });
});
