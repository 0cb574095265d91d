// The guarded fetch of convex/security/guardedFetch.ts. Refusals are proven to happen before any
// socket is opened (https.request is replaced by a spy that fails the test if reached); pinning is
// proven through the transport seam (the checked address, port 443, the name kept) and then on the
// wire against a local HTTPS server whose name does not exist in DNS; redirects, size caps and the
// deadline are exercised against that server. Its certificate is made by the openssl CLI in a temp
// folder at test time, so no key is ever stored in the repository. No test touches the internet.
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { TLSSocket } from "node:tls";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import {
  checkRequestShape,
  fetchPinned,
  guardedFetch,
  MAX_REQUEST_BODY_BYTES,
  pinnedLookup,
  type GuardedPolicy,
  type GuardedRequest,
  type GuardedResult,
  type PinnedTarget,
  type Transport,
} from "../../../convex/security/guardedFetch.ts";

const CONVEX_DIR = fileURLToPath(new URL("../../../convex/", import.meta.url));

/** A public address (example.com's) that tests hand out as a DNS answer; nothing connects to it. */
const PUBLIC_IP = "93.184.215.14";

const POLICY: GuardedPolicy = { allowedHosts: ["api.example.com"], timeoutMs: 2_000, maxResponseBytes: 64 * 1024 };

/** The name on the local server's certificate; `.test` is reserved (RFC 6761) and never resolves. */
const SERVER_NAME = "pinned.test";

/** How much later than its deadline a stopped call may come back. */
const DEADLINE_MARGIN_MS = 1_000;

const OK_RESPONSE: GuardedResult = { ok: true, status: 200, headers: {}, body: new Uint8Array(), contentType: null };

function get(url: string, extra: Partial<GuardedRequest> = {}): GuardedRequest {
  return { url, method: "GET", ...extra };
}

describe("checkRequestShape", () => {
  it.each<[string, GuardedRequest]>([
    ["a plain GET", get("https://api.example.com/")],
    ["a lower-case method", get("https://api.example.com/", { method: "post", body: "{}" })],
    ["a DELETE without body", get("https://api.example.com/", { method: "DELETE" })],
    ["ordinary headers", get("https://api.example.com/", { headers: { Accept: "application/json", "X-Api-Key": "k\tv" } })],
    ["a body at the cap", get("https://api.example.com/", { method: "PUT", body: "a".repeat(MAX_REQUEST_BODY_BYTES) })],
  ])("accepts %s", (_name, request) => {
    expect(checkRequestShape(request)).toBeNull();
  });

  it.each<[string, GuardedRequest, string]>([
    ["CONNECT", get("https://api.example.com/", { method: "CONNECT" }), 'The method "CONNECT" is not allowed.'],
    ["TRACE", get("https://api.example.com/", { method: "TRACE" }), 'The method "TRACE" is not allowed.'],
    ["a method with CR/LF", get("https://api.example.com/", { method: "GET\r\nX: y" }), 'The method "GET\\r\\nX: y" is not allowed.'],
    ["a header name with a space", get("https://api.example.com/", { headers: { "X Bad": "1" } }), "A request header name is not valid."],
    ["a header name with CR/LF", get("https://api.example.com/", { headers: { "X-A\r\nInjected": "1" } }), "A request header name is not valid."],
    ["an empty header name", get("https://api.example.com/", { headers: { "": "1" } }), "A request header name is not valid."],
    ["a header value with CR/LF", get("https://api.example.com/", { headers: { "X-A": "a\r\nInjected: 1" } }), "The value of header x-a contains a line break or control character."],
    ["a header value with LF", get("https://api.example.com/", { headers: { "X-A": "a\nb" } }), "The value of header x-a contains a line break or control character."],
    ["a header value with NUL", get("https://api.example.com/", { headers: { "X-A": "a\u0000b" } }), "The value of header x-a contains a line break or control character."],
    ["a Host header", get("https://api.example.com/", { headers: { Host: "internal" } }), "The header host is set by the platform and may not be sent by a skill."],
    ["a Content-Length header", get("https://api.example.com/", { headers: { "Content-Length": "0" } }), "The header content-length is set by the platform and may not be sent by a skill."],
    ["a Transfer-Encoding header", get("https://api.example.com/", { headers: { "transfer-encoding": "chunked" } }), "The header transfer-encoding is set by the platform and may not be sent by a skill."],
    ["a Connection header", get("https://api.example.com/", { headers: { Connection: "upgrade" } }), "The header connection is set by the platform and may not be sent by a skill."],
    ["a Proxy- header", get("https://api.example.com/", { headers: { "Proxy-Authorization": "x" } }), "The header proxy-authorization is set by the platform and may not be sent by a skill."],
    ["a header twice in two cases", get("https://api.example.com/", { headers: { Accept: "a", accept: "b" } }), "The header accept is given twice."],
    ["a long header value", get("https://api.example.com/", { headers: { "X-A": "a".repeat(8193) } }), "The value of header x-a is longer than 8192 characters."],
    ["65 headers", get("https://api.example.com/", { headers: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-${i}`, "1"])) }), "A request may set at most 64 headers."],
    ["a GET with a body", get("https://api.example.com/", { body: "x" }), "A GET request may not have a body."],
    ["a HEAD with a body", get("https://api.example.com/", { method: "HEAD", body: "x" }), "A HEAD request may not have a body."],
    ["a body over the cap", get("https://api.example.com/", { method: "POST", body: "a".repeat(MAX_REQUEST_BODY_BYTES + 1) }), "The request body is larger than 262144 bytes."],
    ["a body over the cap in UTF-8 bytes", get("https://api.example.com/", { method: "POST", body: "é".repeat(MAX_REQUEST_BODY_BYTES / 2 + 1) }), "The request body is larger than 262144 bytes."],
  ])("refuses %s", (_name, request, message) => {
    expect(checkRequestShape(request)).toBe(message);
  });
});

describe("pinnedLookup", () => {
  it("answers the pinned name with the checked address only, in both callback forms", () => {
    const lookup = pinnedLookup("api.example.com", PUBLIC_IP);
    const single = vi.fn();
    lookup("api.example.com", {}, single);
    expect(single).toHaveBeenCalledWith(null, PUBLIC_IP, 4);
    const all = vi.fn();
    lookup("api.example.com", { all: true }, all);
    expect(all).toHaveBeenCalledWith(null, [{ address: PUBLIC_IP, family: 4 }]);
  });

  it("gives an IPv6 address family 6", () => {
    const all = vi.fn();
    pinnedLookup("api.example.com", "2606:4700:4700::1111")("api.example.com", { all: true }, all);
    expect(all).toHaveBeenCalledWith(null, [{ address: "2606:4700:4700::1111", family: 6 }]);
  });

  it("refuses to resolve any other name", () => {
    const callback = vi.fn();
    pinnedLookup("api.example.com", PUBLIC_IP)("internal.example.com", {}, callback);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0][0]).toMatchObject({ code: "ENOTFOUND" });
  });
});

describe("guardedFetch: refusals happen before any connection", () => {
  let requestSpy: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    // Reaching the network in these tests is itself the failure: the spy throws instead.
    requestSpy = vi.spyOn(https, "request").mockImplementation(() => {
      throw new Error("a refused call reached https.request");
    });
  });
  afterEach(() => {
    requestSpy.mockRestore();
  });

  it.each<[string, string[], string]>([
    ["a private address", ["10.0.0.5"], "private"],
    ["loopback", ["127.0.0.1"], "loopback"],
    ["the metadata address", ["169.254.169.254"], "linkLocal"],
    ["a public then a private address (rebinding)", [PUBLIC_IP, "192.168.0.10"], "private"],
    ["a private then a public address", ["172.16.5.4", PUBLIC_IP], "private"],
    ["an IPv4-mapped loopback", ["::ffff:127.0.0.1"], "loopback"],
    ["an IPv4-mapped metadata address", ["::ffff:a9fe:a9fe"], "linkLocal"],
    ["an IPv6 unique-local address", [PUBLIC_IP, "fd00::1"], "uniqueLocal"],
    ["a NAT64 address", ["64:ff9b::a00:1"], "rfc6052"],
    ["something that is not an address", ["localhost"], "invalid"],
  ])("refuses a name resolving to %s", async (_name, addresses, range) => {
    const resolve = vi.fn(async () => addresses);
    const transport = vi.fn<Transport>();
    const result = await guardedFetch(get("https://api.example.com/v1"), POLICY, { resolve, transport });
    expect(result).toEqual({ ok: false, code: "ADDRESS_BLOCKED", message: `The host api.example.com resolves to a ${range} address, so it may not be called.` });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(transport).not.toHaveBeenCalled();
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("refuses with the default transport too, never opening a request", async () => {
    const result = await guardedFetch(get("https://api.example.com/v1"), POLICY, { resolve: async () => ["10.1.2.3"] });
    expect(result).toMatchObject({ ok: false, code: "ADDRESS_BLOCKED" });
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it.each<[string, GuardedRequest, GuardedPolicy, GuardedResult]>([
    ["plain http", get("http://api.example.com/"), POLICY, { ok: false, code: "URL_INVALID", message: "Only https:// URLs may be called." }],
    ["a host not on the allowlist", get("https://evil.example.com/"), POLICY, { ok: false, code: "DOMAIN_NOT_ALLOWED", message: "The host evil.example.com is not on the allowlist." }],
    ["a loopback literal", get("https://127.0.0.1/"), { ...POLICY, allowedHosts: ["127.0.0.1"] }, { ok: false, code: "ADDRESS_BLOCKED", message: "The URL names a loopback address." }],
    ["a header with CR/LF", get("https://api.example.com/", { headers: { "X-A": "1\r\nHost: evil" } }), POLICY, { ok: false, code: "EXECUTION_FAILED", message: "The value of header x-a contains a line break or control character." }],
    ["a zero time limit", get("https://api.example.com/"), { ...POLICY, timeoutMs: 0 }, { ok: false, code: "EXECUTION_FAILED", message: "The skill's time limit is not a positive number." }],
    ["a time limit past setTimeout's range", get("https://api.example.com/"), { ...POLICY, timeoutMs: 2 ** 31 }, { ok: false, code: "EXECUTION_FAILED", message: "The skill's time limit is over 600000 ms." }],
    ["a fractional size limit", get("https://api.example.com/"), { ...POLICY, maxResponseBytes: 1.5 }, { ok: false, code: "EXECUTION_FAILED", message: "The skill's output limit is not a whole number of bytes." }],
  ])("refuses %s without resolving", async (_name, request, policy, expected) => {
    const resolve = vi.fn(async () => [PUBLIC_IP]);
    const transport = vi.fn<Transport>();
    expect(await guardedFetch(request, policy, { resolve, transport })).toEqual(expected);
    expect(resolve).not.toHaveBeenCalled();
    expect(transport).not.toHaveBeenCalled();
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("fails a name with no address", async () => {
    const result = await guardedFetch(get("https://api.example.com/"), POLICY, { resolve: async () => [] });
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The host api.example.com has no address." });
  });

  it("fails a name that does not resolve, without the resolver's own text", async () => {
    const resolve = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND api.example.com at /internal/path"), { code: "ENOTFOUND" });
    };
    const result = await guardedFetch(get("https://api.example.com/"), POLICY, { resolve });
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The host api.example.com could not be found." });
  });

  it("stops a lookup that never answers at the deadline", async () => {
    const started = performance.now();
    const result = await guardedFetch(get("https://api.example.com/"), { ...POLICY, timeoutMs: 150 }, { resolve: () => new Promise<string[]>(() => {}) });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, code: "TIMEOUT", message: "Looking up the host did not finish within the time limit." });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(150 + DEADLINE_MARGIN_MS);
    expect(requestSpy).not.toHaveBeenCalled();
  });
});

describe("guardedFetch: pinning", () => {
  it("resolves once and hands the transport the checked address, port 443 and the name", async () => {
    const resolve = vi.fn(async () => [PUBLIC_IP]);
    const transport = vi.fn<Transport>(async () => OK_RESPONSE);
    const result = await guardedFetch({ url: "https://API.example.com./v1/items?q=1#top", method: "post", body: "{}" }, POLICY, { resolve, transport });
    expect(result).toBe(OK_RESPONSE);
    expect(resolve.mock.calls).toEqual([["api.example.com"]]);
    expect(transport).toHaveBeenCalledTimes(1);
    const [target, request, options] = transport.mock.calls[0];
    expect(target).toEqual({ host: "api.example.com", address: PUBLIC_IP, port: 443, path: "/v1/items?q=1" } satisfies PinnedTarget);
    expect(request).toMatchObject({ method: "POST", body: "{}" });
    expect(options).toMatchObject({ maxResponseBytes: POLICY.maxResponseBytes });
    expect(options.ca).toBeUndefined();
    expect(options.signal.aborted).toBe(false);
  });

  it("pins the IPv4 inside an IPv4-mapped answer, the first of several public ones", async () => {
    const transport = vi.fn<Transport>(async () => OK_RESPONSE);
    await guardedFetch(get("https://api.example.com/"), POLICY, { resolve: async () => [`::ffff:${PUBLIC_IP}`, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"], transport });
    expect(transport.mock.calls[0][0].address).toBe(PUBLIC_IP);
  });

  it("connects to an allowlisted public IP literal without resolving it", async () => {
    const resolve = vi.fn(async () => ["10.0.0.1"]);
    const transport = vi.fn<Transport>(async () => OK_RESPONSE);
    await guardedFetch(get(`https://${PUBLIC_IP}/x`), { ...POLICY, allowedHosts: [PUBLIC_IP] }, { resolve, transport });
    expect(resolve).not.toHaveBeenCalled();
    expect(transport.mock.calls[0][0]).toEqual({ host: PUBLIC_IP, address: PUBLIC_IP, port: 443, path: "/x" });
  });

  it("holds the deadline even over a transport that ignores the signal", async () => {
    const started = performance.now();
    const result = await guardedFetch(get("https://api.example.com/"), { ...POLICY, timeoutMs: 150 }, { resolve: async () => [PUBLIC_IP], transport: () => new Promise<GuardedResult>(() => {}) });
    expect(result).toEqual({ ok: false, code: "TIMEOUT", message: "The request did not finish within its time limit and was stopped." });
    expect(performance.now() - started).toBeLessThan(150 + DEADLINE_MARGIN_MS);
  });

  it("shows nothing of a transport that throws", async () => {
    const transport: Transport = async () => {
      throw new Error("socket hang up: token=abc123 at Object.<anonymous> (/srv/secret.js:1:1)");
    };
    const result = await guardedFetch(get("https://api.example.com/"), POLICY, { resolve: async () => [PUBLIC_IP], transport });
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The request failed." });
  });
});

describe("only guardedFetch may call fetchPinned", () => {
  it("no other module under convex/ names it", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) {
          if (entry !== "_generated" && entry !== "node_modules") walk(path);
        } else if (/\.[cm]?[jt]sx?$/.test(entry)) files.push(path);
      }
    };
    walk(CONVEX_DIR);
    const naming = files.filter((file) => readFileSync(file, "utf8").includes("fetchPinned")).map((file) => relative(CONVEX_DIR, file));
    expect(naming).toEqual([join("security", "guardedFetch.ts")]);
  });
});

/** A self-signed certificate for `SERVER_NAME` (and 127.0.0.1), made by openssl in a temp folder. */
function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "clawsync-guarded-fetch-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyPath, "-out", certPath,
        "-days", "1", "-subj", `/CN=${SERVER_NAME}`, "-addext", `subjectAltName=DNS:${SERVER_NAME},IP:127.0.0.1`],
      { stdio: "ignore" },
    );
    return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What the local server saw of one request. */
type Seen = { path: string; method: string; host: string | undefined; servername: TLSSocket["servername"]; headers: IncomingMessage["headers"]; body: string };

/** A deferred signal the server gives when a response of a given kind is torn down by the client. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe.skipIf(!hasOpenssl())("fetchPinned against a local HTTPS server", () => {
  let server: https.Server;
  let port: number;
  let ca: string;
  let seen: Seen[];
  let connections: number;
  let closed: ReturnType<typeof deferred>;
  let streamedBytes: number;

  /** Writes until the client goes away, respecting backpressure; counts what was written. */
  async function streamForever(res: ServerResponse): Promise<void> {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    while (!res.destroyed && !res.writableEnded) {
      streamedBytes += chunk.length;
      if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    seen.push({
      path: req.url ?? "",
      method: req.method ?? "",
      host: req.headers.host,
      servername: (req.socket as TLSSocket).servername,
      headers: req.headers,
      body,
    });
    res.on("close", () => closed.resolve());
    const redirect = /^\/redirect\/(\d{3})$/.exec(req.url ?? "");
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: "/target" }).end();
    } else if (req.url === "/ok") {
      res.writeHead(201, { "content-type": "application/json", "x-answer": "42", "set-cookie": ["a=1", "b=2"] }).end(JSON.stringify({ got: body }));
    } else if (req.url?.startsWith("/bytes/")) {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.alloc(Number(req.url.slice("/bytes/".length)), 0x62));
    } else if (req.url === "/declared-huge") {
      res.writeHead(200, { "content-length": String(50 * 1024 * 1024) });
      res.write("start");
    } else if (req.url === "/stream-forever") {
      res.writeHead(200, { "content-type": "text/plain" });
      void streamForever(res);
    } else if (req.url === "/stall-body") {
      res.writeHead(200, { "content-length": "1000" });
      res.write("only a little");
    } else if (req.url === "/cut-body") {
      res.writeHead(200, { "content-length": "1000" });
      res.write("only a little", () => req.socket.destroy());
    } else if (req.url === "/hang") {
      // Never answers: the client's deadline must end it.
    } else {
      res.writeHead(404).end();
    }
  }

  beforeAll(async () => {
    const certificate = makeCertificate();
    ca = certificate.cert;
    server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => handle(req, res, Buffer.concat(parts).toString("utf8")));
    });
    server.on("secureConnection", () => {
      connections += 1;
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });

  beforeEach(() => {
    seen = [];
    connections = 0;
    closed = deferred();
    streamedBytes = 0;
  });

  /** The local server as the pinned address of `host`. */
  function target(path: string, host = SERVER_NAME): PinnedTarget {
    return { host, address: "127.0.0.1", port, path };
  }

  function options(extra: { maxResponseBytes?: number; timeoutMs?: number; ca?: string | null } = {}) {
    return {
      signal: AbortSignal.timeout(extra.timeoutMs ?? 5_000),
      maxResponseBytes: extra.maxResponseBytes ?? 64 * 1024,
      ...(extra.ca === null ? {} : { ca: extra.ca ?? ca }),
    };
  }

  it("returns status, headers and body, connecting to the pinned address under the name", async () => {
    const request: GuardedRequest = { url: "ignored by fetchPinned", method: "POST", headers: { "X-Skill": "weather" }, body: '{"city":"Oslo"}' };
    const result = await fetchPinned(target("/ok"), request, options());
    expect(result).toMatchObject({ ok: true, status: 201, contentType: "application/json" });
    if (!result.ok) return;
    expect(result.headers).toMatchObject({ "content-type": "application/json", "x-answer": "42", "set-cookie": "a=1, b=2" });
    expect(new TextDecoder().decode(result.body)).toBe(JSON.stringify({ got: '{"city":"Oslo"}' }));
    expect(result.body).toBeInstanceOf(Uint8Array);
    // pinned.test has no DNS record: the request could only arrive through the pinned address,
    // while the Host header, SNI and the certificate check all used the name.
    expect(seen).toHaveLength(1);
    // (The Host header names the port only because the test server is not on 443.)
    expect(seen[0]).toMatchObject({ path: "/ok", method: "POST", host: `${SERVER_NAME}:${port}`, servername: SERVER_NAME, body: '{"city":"Oslo"}' });
    expect(seen[0].headers["x-skill"]).toBe("weather");
    expect(seen[0].headers["content-length"]).toBe("15");
    expect(connections).toBe(1);
  });

  it("checks an IP-literal target against the certificate's IP entry, without SNI", async () => {
    const result = await fetchPinned(target("/ok", "127.0.0.1"), get("x"), options());
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(seen[0]).toMatchObject({ host: `127.0.0.1:${port}`, servername: false });
  });

  it("refuses a certificate issued for another name", async () => {
    const result = await fetchPinned(target("/ok", "other.test"), get("x"), options());
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The server's TLS certificate is not valid for its host name." });
    expect(seen).toHaveLength(0);
  });

  it("refuses an untrusted certificate when no extra trust anchor is given", async () => {
    const result = await fetchPinned(target("/ok"), get("x"), options({ ca: null }));
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The server's TLS certificate could not be verified." });
    expect(seen).toHaveLength(0);
  });

  it.each([301, 302, 303, 307, 308])("blocks a %i redirect without requesting its Location", async (status) => {
    const result = await fetchPinned(target(`/redirect/${status}`), get("x"), options());
    expect(result).toEqual({ ok: false, code: "REDIRECT_BLOCKED", message: `The server answered with a redirect (${status}); redirects are never followed.` });
    expect(seen.map((s) => s.path)).toEqual([`/redirect/${status}`]);
    expect(connections).toBe(1);
  });

  it("accepts a body exactly at the cap", async () => {
    const result = await fetchPinned(target("/bytes/1000"), get("x"), options({ maxResponseBytes: 1000 }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    if (result.ok) expect(result.body.byteLength).toBe(1000);
  });

  it("refuses a body one byte over the cap", async () => {
    const result = await fetchPinned(target("/bytes/1001"), get("x"), options({ maxResponseBytes: 1000 }));
    expect(result).toEqual({ ok: false, code: "OUTPUT_TOO_LARGE", message: "The response was larger than 1000 bytes and was cut off." });
  });

  it("refuses a declared Content-Length over the cap before reading the body", async () => {
    // The server never finishes this body: only the early refusal can end the call.
    const result = await fetchPinned(target("/declared-huge"), get("x"), options({ maxResponseBytes: 1000 }));
    expect(result).toEqual({ ok: false, code: "OUTPUT_TOO_LARGE", message: "The response was larger than 1000 bytes and was cut off." });
    await closed.promise;
  });

  it("cuts off an endless streamed body as soon as it passes the cap", async () => {
    const cap = 64 * 1024;
    const result = await fetchPinned(target("/stream-forever"), get("x"), options({ maxResponseBytes: cap }));
    expect(result).toEqual({ ok: false, code: "OUTPUT_TOO_LARGE", message: `The response was larger than ${cap} bytes and was cut off.` });
    await closed.promise;
    // Socket buffers let the server write somewhat ahead, but the download stopped.
    expect(streamedBytes).toBeLessThan(cap + 16 * 1024 * 1024);
  });

  it("stops a server that never answers at the deadline and closes the connection", async () => {
    const started = performance.now();
    const result = await fetchPinned(target("/hang"), get("x"), options({ timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, code: "TIMEOUT", message: "The request did not finish within its time limit and was stopped." });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + DEADLINE_MARGIN_MS);
    await closed.promise;
  });

  it("stops a body that stalls at the deadline", async () => {
    const result = await fetchPinned(target("/stall-body"), get("x"), options({ timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, code: "TIMEOUT" });
    await closed.promise;
  });

  it("fails a response cut short by the server", async () => {
    const result = await fetchPinned(target("/cut-body"), get("x"), options());
    expect(result).toMatchObject({ ok: false, code: "EXECUTION_FAILED" });
    if (!result.ok) expect(["The connection closed before the response was complete.", "The server closed the connection."]).toContain(result.message);
  });

  it("does not connect when the signal has already fired or the request is malformed", async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(await fetchPinned(target("/ok"), get("x"), { signal: aborted.signal, maxResponseBytes: 10, ca })).toMatchObject({ ok: false, code: "TIMEOUT" });
    const oversized = { url: "x", method: "POST", body: "a".repeat(MAX_REQUEST_BODY_BYTES + 1) };
    expect(await fetchPinned(target("/ok"), oversized, options())).toMatchObject({ ok: false, code: "EXECUTION_FAILED" });
    expect(connections).toBe(0);
  });

  it("reports a refused connection plainly", async () => {
    const probe = https.createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const freePort = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, "close");
    const result = await fetchPinned({ ...target("/ok"), port: freePort }, get("x"), options());
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The server refused the connection." });
  });

  it("holds guardedFetch's one deadline over connect and body", async () => {
    // The transport seam sends the checked call to the local server; the deadline is guardedFetch's.
    const transport: Transport = (checked, request, opts) => fetchPinned({ ...checked, host: SERVER_NAME, address: "127.0.0.1", port, path: "/hang" }, request, { ...opts, ca });
    const started = performance.now();
    const result = await guardedFetch(get("https://api.example.com/v1"), { ...POLICY, timeoutMs: 300 }, { resolve: async () => [PUBLIC_IP], transport });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, code: "TIMEOUT", message: "The request did not finish within its time limit and was stopped." });
    expect(elapsed).toBeLessThan(300 + DEADLINE_MARGIN_MS);
    await closed.promise;
  });

  it("is the code path https.request is called from, once per call", async () => {
    const spy = vi.spyOn(https, "request");
    try {
      await fetchPinned(target("/ok"), get("x"), options());
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toMatchObject({ host: SERVER_NAME, servername: SERVER_NAME, port, agent: false, rejectUnauthorized: true });
    } finally {
      spy.mockRestore();
    }
  });
});
