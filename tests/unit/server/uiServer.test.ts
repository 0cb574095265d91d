// The UI server: built files with a strict Content-Security-Policy, index.html for client routes,
// no path ever escaping the dist folder, Host checks against DNS rebinding, and GET/HEAD only.
import fs from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { contentSecurityPolicy, createUiServer } from "../../../local/server/uiServer.ts";

const INDEX = "<!doctype html><title>ClawSync</title>INDEX";
const SECRET = "SECRET-OUTSIDE-DIST";
const SOURCES = ["http://127.0.0.1:3210", "ws://127.0.0.1:3210", "http://127.0.0.1:3211"];

let root: string;
let server: Server;
let emptyServer: Server;
let host: string;
let port: number;
let emptyPort: number;

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** Sends a raw request line, exactly as given (no URL normalisation on the client side). */
function send(rawPath: string, options: { method?: string; host?: string | null; to?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.host !== null) headers.Host = options.host ?? host;
    const request = httpRequest(
      { host: "127.0.0.1", port: options.to ?? port, method: options.method ?? "GET", path: rawPath, headers, setHost: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

async function listen(distDir: string, allowedHosts: Set<string>): Promise<{ server: Server; port: number }> {
  const created = createUiServer({ distDir, connectSources: SOURCES, allowedHosts });
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
  const { port: actual } = created.address() as AddressInfo;
  allowedHosts.add(`127.0.0.1:${actual}`);
  allowedHosts.add(`localhost:${actual}`);
  return { server: created, port: actual };
}

beforeAll(async () => {
  // root/site/dist is served; secrets sit where traversal would land: root/site/package.json,
  // root/etc/passwd and root/secret.txt.
  root = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-ui-"));
  const dist = path.join(root, "site", "dist");
  fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
  fs.mkdirSync(path.join(dist, "syncboard"), { recursive: true });
  fs.writeFileSync(path.join(dist, "index.html"), INDEX);
  fs.writeFileSync(path.join(dist, "assets", "app-1234.js"), "console.log('app')");
  fs.writeFileSync(path.join(dist, "assets", "app-1234.css"), "body{}");
  fs.writeFileSync(path.join(dist, "robots.txt"), "User-agent: *");
  fs.writeFileSync(path.join(dist, "unknown.xyz"), "blob");
  fs.mkdirSync(path.join(root, "etc"));
  fs.writeFileSync(path.join(root, "etc", "passwd"), SECRET);
  fs.writeFileSync(path.join(root, "site", "package.json"), SECRET);
  fs.writeFileSync(path.join(root, "secret.txt"), SECRET);
  fs.mkdirSync(path.join(root, "site", "dist-private"));
  fs.writeFileSync(path.join(root, "site", "dist-private", "key.txt"), SECRET);
  ({ server, port } = await listen(dist, new Set()));
  host = `127.0.0.1:${port}`;
  const empty = path.join(root, "empty");
  fs.mkdirSync(empty);
  ({ server: emptyServer, port: emptyPort } = await listen(empty, new Set()));
});

afterAll(async () => {
  for (const running of [server, emptyServer]) {
    running.closeAllConnections();
    await new Promise<void>((resolve) => running.close(() => resolve()));
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe("Content-Security-Policy", () => {
  it("is exactly the strict policy for the given origins", () => {
    expect(contentSecurityPolicy(SOURCES)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; " +
        "connect-src 'self' http://127.0.0.1:3210 ws://127.0.0.1:3210 http://127.0.0.1:3211; " +
        "img-src 'self' data: blob: http://127.0.0.1:3210 http://127.0.0.1:3211; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it.each(["/", "/syncboard/x", "/assets/app-1234.js"])("is sent with %s, with no unsafe-inline or unsafe-eval", async (url) => {
    const reply = await send(url);
    const csp = reply.headers["content-security-policy"] as string;
    expect(csp).toBe(contentSecurityPolicy(SOURCES));
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["x-frame-options"]).toBe("DENY");
    expect(reply.headers["referrer-policy"]).toBe("no-referrer");
  });
});

describe("files and client routes", () => {
  it.each<[string, string, string, string]>([
    ["/", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/index.html", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/assets/app-1234.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log('app')"],
    ["/assets/app-1234.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body{}"],
    ["/robots.txt", "text/plain; charset=utf-8", "no-cache", "User-agent: *"],
    ["/unknown.xyz", "application/octet-stream", "no-cache", "blob"],
    ["/chat", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/syncboard/x", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/syncboard", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/syncboard/skills/abc?tab=1#x", "text/html; charset=utf-8", "no-cache", INDEX],
    ["/assets/missing.js", "text/html; charset=utf-8", "no-cache", INDEX],
  ])("GET %s", async (url, type, cache, body) => {
    const reply = await send(url);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe(type);
    expect(reply.headers["cache-control"]).toBe(cache);
    expect(reply.body).toBe(body);
  });

  it("HEAD answers with headers and no body", async () => {
    const reply = await send("/syncboard/x", { method: "HEAD" });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.body).toBe("");
  });

  it("without a built app, answers 503 with a hint", async () => {
    const reply = await send("/", { to: emptyPort, host: `127.0.0.1:${emptyPort}` });
    expect(reply.status).toBe(503);
    expect(reply.body).toBe("The web app is not built. Run `npm run build:ui`.");
  });
});

describe("paths never escape the dist folder", () => {
  it.each([
    "/../package.json",
    "/../../secret.txt",
    "/..%2fpackage.json",
    "/..%2f..%2fetc/passwd",
    "/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
    "/%2e%2e/%2e%2e/secret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/assets/..%2f..%2f..%2fsecret.txt",
    "/..%5c..%5csecret.txt",
    "/....//....//secret.txt",
    "/%252e%252e%252fsecret.txt",
    "//etc/passwd",
    "/..%2f..%2fsite/package.json",
    "/../dist-private/key.txt",
    "/..%2fdist-private/key.txt",
    "/%00../secret.txt",
    "/index.html%00.js",
  ])("%s", async (rawPath) => {
    const reply = await send(rawPath);
    expect(reply.body).not.toContain(SECRET);
    expect([200, 400, 404]).toContain(reply.status);
    if (reply.status === 200) expect(reply.body).toBe(INDEX);
  });

  it.each(["/%E0%A4%A", "/%", "/%zz", "/..%2f%c0%ae%c0%ae%2fsecret.txt", "//[", "//%zz"])("a malformed path (%s) is refused and the server keeps serving", async (rawPath) => {
    const reply = await send(rawPath);
    expect(reply.status).toBe(400);
    expect(reply.body).not.toContain(SECRET);
    expect((await send("/")).status).toBe(200);
  });
});

describe("Host check", () => {
  it.each<[string, string]>([
    ["an attacker's name on our port", "evil.example:PORT"],
    ["an attacker's name with no port", "evil.example"],
    ["localhost on another port", "localhost:1"],
    ["our address as a prefix of an attacker's name", "127.0.0.1:PORT.evil.example"],
  ])("refuses %s with 403", async (_name, hostHeader) => {
    const reply = await send("/", { host: hostHeader.replace("PORT", String(port)) });
    expect(reply.status).toBe(403);
    expect(reply.body).toBe("This server does not answer for that Host");
    expect(reply.body).not.toContain("INDEX");
  });

  it("a request with no Host header at all never reaches the app (Node answers 400)", async () => {
    const reply = await send("/", { host: null });
    expect(reply.status).toBe(400);
    expect(reply.body).not.toContain("INDEX");
  });

  it("accepts localhost and 127.0.0.1 on its port", async () => {
    expect((await send("/", { host: `localhost:${port}` })).status).toBe(200);
    expect((await send("/", { host: `127.0.0.1:${port}` })).status).toBe(200);
  });

  it("checks the Host before the method", async () => {
    expect((await send("/", { method: "POST", host: "evil.example" })).status).toBe(403);
  });
});

describe("methods", () => {
  it.each(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])("%s gets 405 with Allow: GET, HEAD and the security headers", async (method) => {
    const reply = await send("/syncboard/x", { method });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD");
    expect(reply.headers["content-security-policy"]).toBe(contentSecurityPolicy(SOURCES));
    expect(reply.body).toBe("");
  });
});
