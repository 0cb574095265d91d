// @vitest-environment node
// Behaviour of the admin key: storage, constant-time comparison, and the Authorization header.
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  adminKeyMatches,
  loadOrCreateAdminKey,
  parseConvexAuthorization,
  type ConvexAuthorization,
} from "../../../local/auth/adminKey.ts";

const KEY_FORMAT = /^clawsync-local\|[0-9a-f]{64}$/;
let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), "clawsync-admin-"));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(root, { recursive: true, force: true });
});

describe("loadOrCreateAdminKey", () => {
  it("creates a key in the data folder, file 0600 and folder 0700", async () => {
    const dataDir = join(root, ".clawsync");
    const key = await loadOrCreateAdminKey(dataDir);
    expect(key).toMatch(KEY_FORMAT);
    expect(await fs.readFile(join(dataDir, "admin_key"), "utf8")).toBe(`${key}\n`);
    expect((await fs.stat(join(dataDir, "admin_key"))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(dataDir)).mode & 0o777).toBe(0o700);
  });

  it("returns the same key on every later call", async () => {
    const first = await loadOrCreateAdminKey(root);
    expect(await loadOrCreateAdminKey(root)).toBe(first);
  });

  it("gives every concurrent caller the same key", async () => {
    const keys = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateAdminKey(root)));
    expect(new Set(keys).size).toBe(1);
  });

  it("repairs the permissions of a key file open to others, with a warning", async () => {
    const key = await loadOrCreateAdminKey(root);
    const path = join(root, "admin_key");
    await fs.chmod(path, 0o644);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(await loadOrCreateAdminKey(root)).toBe(key);
    expect((await fs.stat(path)).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledWith(`Permissions of ${path} were 644; corrected to 600`);
  });

  it("refuses a damaged key file instead of replacing it", async () => {
    await fs.writeFile(join(root, "admin_key"), "not-a-key\n", { mode: 0o600 });
    await expect(loadOrCreateAdminKey(root)).rejects.toThrow(
      `${join(root, "admin_key")} does not hold a valid admin key; delete it and restart to create a new one`,
    );
  });
});

describe("adminKeyMatches", () => {
  const key = `clawsync-local|${"ab".repeat(32)}`;

  it.each<[string, unknown, unknown, boolean]>([
    ["the key itself", key, key, true],
    ["one character different", `${key.slice(0, -1)}c`, key, false],
    ["a prefix of the key", key.slice(0, 20), key, false],
    ["the key plus a suffix", `${key}0`, key, false],
    ["a much longer string", key.repeat(10), key, false],
    ["different case", key.toUpperCase(), key, false],
    ["empty candidate", "", key, false],
    ["empty key", "", "", false],
    ["candidate not a string", 42, key, false],
    ["candidate undefined", undefined, key, false],
    ["key undefined", key, undefined, false],
  ])("%s -> %s", (_name, candidate, expectedKey, expected) => {
    expect(adminKeyMatches(candidate, expectedKey)).toBe(expected);
  });
});

function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

describe("parseConvexAuthorization", () => {
  const key = `clawsync-local|${"0f".repeat(32)}`;

  it.each<[string, string | undefined, ConvexAuthorization]>([
    ["no header", undefined, { kind: "none" }],
    ["bearer token", "Bearer aaa.bbb.ccc", { kind: "user", token: "aaa.bbb.ccc" }],
    ["bearer, lower case scheme", "bearer aaa.bbb.ccc", { kind: "user", token: "aaa.bbb.ccc" }],
    ["bearer with surrounding spaces", "  Bearer   aaa.bbb.ccc  ", { kind: "user", token: "aaa.bbb.ccc" }],
    ["admin key", `Convex ${key}`, { kind: "admin", key }],
    ["admin key, upper case scheme", `CONVEX ${key}`, { kind: "admin", key }],
    [
      "admin key acting as a user",
      `Convex ${key}:${base64Json({ subject: "user-1", issuer: "https://idp" })}`,
      { kind: "admin", key, actingAs: { subject: "user-1", issuer: "https://idp" } },
    ],
    ["empty header", "", { kind: "malformed" }],
    ["scheme only", "Bearer", { kind: "malformed" }],
    ["two credentials", "Bearer a b", { kind: "malformed" }],
    ["unknown scheme", "Basic dXNlcjpwYXNz", { kind: "malformed" }],
    ["acting-as part empty", `Convex ${key}:`, { kind: "malformed" }],
    ["acting-as not base64", `Convex ${key}:%%%`, { kind: "malformed" }],
    ["acting-as base64 of non-JSON", `Convex ${key}:${Buffer.from("nope").toString("base64")}`, { kind: "malformed" }],
    ["acting-as an array", `Convex ${key}:${base64Json([1, 2])}`, { kind: "malformed" }],
    ["acting-as null", `Convex ${key}:${base64Json(null)}`, { kind: "malformed" }],
    ["acting-as invalid UTF-8", `Convex ${key}:${Buffer.from([0xff, 0xfe]).toString("base64")}`, { kind: "malformed" }],
    ["empty key before the identity", `Convex :${base64Json({ subject: "x" })}`, { kind: "malformed" }],
    ["header over 16 KB", `Bearer ${"a".repeat(16_384)}`, { kind: "malformed" }],
  ])("%s", (_name, header, expected) => {
    expect(parseConvexAuthorization(header)).toEqual(expected);
  });

  it("reads the header the real ConvexHttpClient sends for setAdminAuth with an identity", async () => {
    let sent: string | undefined;
    const client = new ConvexHttpClient("http://127.0.0.1:3210", {
      logger: false,
      fetch: async (_url, init) => {
        sent = new Headers(init?.headers).get("authorization") ?? undefined;
        return new Response(JSON.stringify({ status: "success", value: null, logLines: [] }), { status: 200 });
      },
    });
    const identity = { subject: "owner-1", issuer: "http://127.0.0.1:3211", name: "Zoë 🦀" };
    // setAdminAuth is marked @internal, so it is missing from the published types; it exists at run time.
    const admin = client as unknown as { setAdminAuth(token: string, actingAs?: Record<string, unknown>): void };
    admin.setAdminAuth(key, identity);
    await client.query(anyApi.owners!.whoami!, {});
    expect(parseConvexAuthorization(sent)).toEqual({ kind: "admin", key, actingAs: identity });
  });

  it("reads the header the real ConvexHttpClient sends for setAuth", async () => {
    let sent: string | undefined;
    const client = new ConvexHttpClient("http://127.0.0.1:3210", {
      logger: false,
      fetch: async (_url, init) => {
        sent = new Headers(init?.headers).get("authorization") ?? undefined;
        return new Response(JSON.stringify({ status: "success", value: null, logLines: [] }), { status: 200 });
      },
    });
    client.setAuth("header.payload.signature");
    await client.query(anyApi.owners!.whoami!, {});
    expect(parseConvexAuthorization(sent)).toEqual({ kind: "user", token: "header.payload.signature" });
  });
});
