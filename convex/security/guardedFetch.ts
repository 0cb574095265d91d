"use node";
// The one way a skill's request leaves the deployment. Convex's default runtime has `fetch` but no
// DNS, so it cannot tell where a name points; this Node module checks the URL (`ssrf.ts`), resolves
// the name once, refuses the call if ANY address is not public (DNS rebinding), and connects to the
// address it checked, with TLS still verified against the name. Redirects are never followed, the
// response is read as a stream under a byte cap, and one deadline covers DNS, connect and body.
// Every failure comes back as a code and a message an owner may read: no stack, no secret.
import { lookup as dnsLookup } from "node:dns/promises";
import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";

import { classifyAddress, parseOutboundUrl } from "./ssrf";

/** Largest request body a skill may send (UTF-8 bytes). */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** Most request headers a skill may set. */
export const MAX_REQUEST_HEADERS = 64;

/** Longest request header value (characters). */
export const MAX_HEADER_VALUE_LENGTH = 8192;

/** Longest deadline accepted: a Convex action cannot run longer than ten minutes anyway. */
export const MAX_TIMEOUT_MS = 10 * 60 * 1000;

/** Methods a skill may use; CONNECT, TRACE and the rest have no business in a webhook call. */
const ALLOWED_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * Headers the guarded fetch owns: it sets Host to the checked name and Content-Length to the body
 * it sends, and it speaks one request per connection. A skill setting them could smuggle a second
 * request or address another virtual host than the one checked.
 */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

/** An HTTP token (RFC 9110): what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header value: visible ASCII, space, tab and obs-text; never CR, LF or NUL. */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/** One outbound request, as a skill asks for it. */
export type GuardedRequest = {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
};

/** The limits an owner set for a skill's outbound calls. */
export type GuardedPolicy = {
  /** Exact hostnames the skill may call (the owner's allowlist). */
  allowedHosts: readonly string[];
  /** One deadline for DNS, connect and the whole body. */
  timeoutMs: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
};

/** Why a guarded call failed; the checker logs these codes as they are. */
export type GuardedFailureCode =
  | "URL_INVALID"
  | "DOMAIN_NOT_ALLOWED"
  | "ADDRESS_BLOCKED"
  | "REDIRECT_BLOCKED"
  | "OUTPUT_TOO_LARGE"
  | "TIMEOUT"
  | "EXECUTION_FAILED";

/** The response of a guarded call, or a failure with a message safe to show an owner. */
export type GuardedResult =
  | { ok: true; status: number; headers: Record<string, string>; body: Uint8Array; contentType: string | null }
  | { ok: false; code: GuardedFailureCode; message: string };

/** Resolves a hostname to every address it has (IPv4 and IPv6). */
export type Resolver = (host: string) => Promise<string[]>;

/** Where a checked request goes: the name it is for, and the address already checked for it. */
export type PinnedTarget = {
  /** The URL's host: TLS SNI, the certificate check and the Host header all use it. */
  host: string;
  /** The address the socket connects to; never looked up again. */
  address: string;
  /** 443 for every production call (`parseOutboundUrl` allows no other port). */
  port: number;
  /** Path and query, as sent on the request line. */
  path: string;
};

/** How a pinned request is bounded. */
export type PinnedOptions = {
  /** Aborting it destroys the request and yields TIMEOUT. */
  signal: AbortSignal;
  maxResponseBytes: number;
  /**
   * Extra trust anchors for the server certificate. Only tests set it (for a local server's
   * self-signed certificate); verification itself is never switched off.
   */
  ca?: string;
};

/** Sends a request to an already-checked address. */
export type Transport = (target: PinnedTarget, request: GuardedRequest, options: PinnedOptions) => Promise<GuardedResult>;

/**
 * Replaceable pieces, for tests only: `resolve` stands in for DNS, `transport` for the network. The
 * address check sits between them and cannot be replaced: a transport only ever receives an
 * address that `classifyAddress` allowed.
 */
export type GuardedFetchDeps = { resolve?: Resolver; transport?: Transport };

function failure(code: GuardedFailureCode, message: string): GuardedResult {
  return { ok: false, code, message };
}

/** The message for a call stopped by its deadline. */
function timeoutFailure(): GuardedResult {
  return failure("TIMEOUT", "The request did not finish within its time limit and was stopped.");
}

/**
 * Makes one outbound request for a skill: checks the request and URL, resolves the host once,
 * refuses it unless every address is public, connects to the checked address (pinned) on port 443,
 * never follows a redirect, caps the response body, and stops everything at `policy.timeoutMs`.
 */
export async function guardedFetch(request: GuardedRequest, policy: GuardedPolicy, deps: GuardedFetchDeps = {}): Promise<GuardedResult> {
  const policyProblem = checkPolicy(policy);
  if (policyProblem !== null) return failure("EXECUTION_FAILED", policyProblem);
  const requestProblem = checkRequestShape(request);
  if (requestProblem !== null) return failure("EXECUTION_FAILED", requestProblem);
  const parsed = parseOutboundUrl(request.url, policy.allowedHosts);
  if (!parsed.ok) return failure(parsed.code, parsed.reason);

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), policy.timeoutMs);
  try {
    let address: string;
    if (parsed.isIpLiteral) {
      const verdict = classifyAddress(parsed.host);
      // parseOutboundUrl already refused a non-public literal; checked again so this line alone decides.
      if (!verdict.allowed) return failure("ADDRESS_BLOCKED", `The URL names a ${verdict.range} address.`);
      address = verdict.address;
    } else {
      const resolved = await resolveChecked(parsed.host, deps.resolve ?? resolveWithDns, deadline.signal);
      if (!resolved.ok) return resolved;
      address = resolved.address;
    }
    const target: PinnedTarget = { host: parsed.host, address, port: 443, path: `${parsed.url.pathname}${parsed.url.search}` };
    const transport = deps.transport ?? fetchPinned;
    const sent = transport(target, { ...request, method: request.method.toUpperCase() }, { signal: deadline.signal, maxResponseBytes: policy.maxResponseBytes });
    // fetchPinned stops itself on the signal; this also holds the deadline over any other transport.
    const outcome = await untilAborted(sent, deadline.signal);
    return outcome.aborted ? timeoutFailure() : outcome.value;
  } catch {
    // A transport or resolver that throws instead of answering: nothing of the error is shown.
    return deadline.signal.aborted ? timeoutFailure() : failure("EXECUTION_FAILED", "The request failed.");
  } finally {
    clearTimeout(timer);
  }
}

/** Why a policy cannot bound a call, or null. */
function checkPolicy(policy: GuardedPolicy): string | null {
  if (!Number.isFinite(policy.timeoutMs) || policy.timeoutMs <= 0) return "The skill's time limit is not a positive number.";
  // setTimeout fires at once for delays over 2^31-1 ms, so an absurd limit must not reach it.
  if (policy.timeoutMs > MAX_TIMEOUT_MS) return `The skill's time limit is over ${MAX_TIMEOUT_MS} ms.`;
  if (!Number.isSafeInteger(policy.maxResponseBytes) || policy.maxResponseBytes < 0) return "The skill's output limit is not a whole number of bytes.";
  return null;
}

/**
 * Why a request may not be sent as asked, or null: an allowed method, at most
 * `MAX_REQUEST_HEADERS` headers with token names, no reserved or duplicate names and no CR/LF in
 * values, and a body of at most `MAX_REQUEST_BODY_BYTES` only on methods that carry one.
 */
export function checkRequestShape(request: GuardedRequest): string | null {
  const method = request.method.toUpperCase();
  if (!ALLOWED_METHODS.has(method)) return `The method ${JSON.stringify(request.method.slice(0, 16))} is not allowed.`;
  const entries = Object.entries(request.headers ?? {});
  if (entries.length > MAX_REQUEST_HEADERS) return `A request may set at most ${MAX_REQUEST_HEADERS} headers.`;
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (!HEADER_NAME.test(name) || name.length > 256) return "A request header name is not valid.";
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower.startsWith("proxy-")) return `The header ${lower} is set by the platform and may not be sent by a skill.`;
    if (seen.has(lower)) return `The header ${lower} is given twice.`;
    seen.add(lower);
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) return `The value of header ${lower} contains a line break or control character.`;
    if (value.length > MAX_HEADER_VALUE_LENGTH) return `The value of header ${lower} is longer than ${MAX_HEADER_VALUE_LENGTH} characters.`;
  }
  if (request.body !== undefined) {
    if (method === "GET" || method === "HEAD") return `A ${method} request may not have a body.`;
    if (Buffer.byteLength(request.body, "utf8") > MAX_REQUEST_BODY_BYTES) return `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`;
  }
  return null;
}

/** The system resolver (getaddrinfo), asked for every address of both families. */
async function resolveWithDns(host: string): Promise<string[]> {
  const entries = await dnsLookup(host, { all: true, verbatim: true });
  return entries.map((entry) => entry.address);
}

/**
 * Resolves `host` once and checks every address: one that is not public refuses the whole call, so
 * a name that answers with both a public and an internal address (DNS rebinding) never connects.
 * Returns the canonical form of the first address, the one the request is pinned to.
 */
export async function resolveChecked(
  host: string,
  resolve: Resolver,
  signal: AbortSignal,
): Promise<{ ok: true; address: string } | { ok: false; code: GuardedFailureCode; message: string }> {
  let addresses: string[];
  try {
    const outcome = await untilAborted(resolve(host), signal);
    if (outcome.aborted) return { ok: false, code: "TIMEOUT", message: "Looking up the host did not finish within the time limit." };
    addresses = outcome.value;
  } catch (error) {
    const code = errorCode(error);
    const message = code === "ENOTFOUND" || code === "ENODATA" ? `The host ${host} could not be found.` : `Looking up the host ${host} failed.`;
    return { ok: false, code: "EXECUTION_FAILED", message };
  }
  if (addresses.length === 0) return { ok: false, code: "EXECUTION_FAILED", message: `The host ${host} has no address.` };
  const verdicts = addresses.map(classifyAddress);
  for (const verdict of verdicts) {
    // The address itself is not echoed: it may describe the deployment's internal network.
    if (!verdict.allowed) return { ok: false, code: "ADDRESS_BLOCKED", message: `The host ${host} resolves to a ${verdict.range} address, so it may not be called.` };
  }
  const first = verdicts[0];
  return first.allowed ? { ok: true, address: first.address } : { ok: false, code: "ADDRESS_BLOCKED", message: `The host ${host} may not be called.` };
}

/** Waits for `work` unless `signal` aborts first; the work's own rejection propagates. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<{ aborted: true } | { aborted: false; value: T }> {
  if (signal.aborted) return Promise.resolve({ aborted: true });
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve({ aborted: true });
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve({ aborted: false, value });
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A `lookup` for `https.request` that answers with the checked address and nothing else, so the
 * socket goes where the check said while the request, SNI and certificate keep the name. It refuses
 * any other name rather than resolve it: there is no second DNS resolution.
 */
export function pinnedLookup(host: string, address: string): LookupFunction {
  const family = address.includes(":") ? 6 : 4;
  return (hostname, options, callback) => {
    if (hostname !== host) {
      callback(Object.assign(new Error("Pinned lookup asked for another host."), { code: "ENOTFOUND" }), "", 0);
      return;
    }
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * Sends one request to `target.address` for `target.host` over HTTPS. It does NOT check the
 * address: `guardedFetch` calls it only with an address `classifyAddress` allowed, and tests call it
 * against a local server. No other code may import it (tests/unit/security/guardedFetch.test.ts
 * checks). Any 3xx is REDIRECT_BLOCKED without reading it, a body over `maxResponseBytes` (declared
 * or streamed) is OUTPUT_TOO_LARGE and stops the download, and an abort destroys the request.
 */
export function fetchPinned(target: PinnedTarget, request: GuardedRequest, options: PinnedOptions): Promise<GuardedResult> {
  const problem = checkRequestShape(request);
  if (problem !== null) return Promise.resolve(failure("EXECUTION_FAILED", problem));
  if (options.signal.aborted) return Promise.resolve(timeoutFailure());
  const isIpHost = isIP(target.host) !== 0;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
  const headers: Record<string, string> = { ...request.headers };
  if (body !== undefined) headers["content-length"] = String(body.length);

  return new Promise<GuardedResult>((resolve) => {
    let settled = false;
    const finish = (result: GuardedResult) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(result);
    };
    const onAbort = () => finish(timeoutFailure());

    const req = https.request(
      {
        host: isIpHost ? target.address : target.host,
        port: target.port,
        path: target.path,
        method: request.method.toUpperCase(),
        headers,
        lookup: pinnedLookup(target.host, target.address),
        // SNI carries names only; an IP literal is checked against the certificate's IP entries.
        ...(isIpHost ? {} : { servername: target.host }),
        // A fresh connection per call: no pooled socket from another call is ever reused.
        agent: false,
        rejectUnauthorized: true,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          finish(failure("REDIRECT_BLOCKED", `The server answered with a redirect (${status}); redirects are never followed.`));
          return;
        }
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
          finish(tooLarge(options.maxResponseBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxResponseBytes) finish(tooLarge(options.maxResponseBytes));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          const all = Buffer.concat(chunks);
          finish({
            ok: true,
            status,
            headers: flattenHeaders(res.headers),
            body: new Uint8Array(all.buffer, all.byteOffset, all.byteLength),
            contentType: res.headers["content-type"] ?? null,
          });
        });
        res.on("error", (error) => finish(networkFailure(error)));
        res.on("close", () => {
          if (!res.complete) finish(failure("EXECUTION_FAILED", "The connection closed before the response was complete."));
        });
      },
    );
    req.on("error", (error) => finish(networkFailure(error)));
    options.signal.addEventListener("abort", onAbort, { once: true });
    req.end(body);
  });
}

function tooLarge(limit: number): GuardedResult {
  return failure("OUTPUT_TOO_LARGE", `The response was larger than ${limit} bytes and was cut off.`);
}

/** Response headers as one string each (repeated headers joined with ", "). */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** TLS verification failures from OpenSSL and Node. */
const TLS_ERROR = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/;

/** A socket, TLS or HTTP error as a failure an owner may read; the error's own text is never shown. */
export function networkFailure(error: unknown): GuardedResult {
  const code = errorCode(error) ?? "";
  if (code === "ECONNREFUSED") return failure("EXECUTION_FAILED", "The server refused the connection.");
  if (code === "ECONNRESET" || code === "EPIPE") return failure("EXECUTION_FAILED", "The server closed the connection.");
  if (code === "ETIMEDOUT") return failure("EXECUTION_FAILED", "Connecting to the server timed out.");
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return failure("EXECUTION_FAILED", "The server could not be reached.");
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return failure("EXECUTION_FAILED", "The server's TLS certificate is not valid for its host name.");
  if (TLS_ERROR.test(code)) return failure("EXECUTION_FAILED", "The server's TLS certificate could not be verified.");
  if (code.startsWith("HPE_")) return failure("EXECUTION_FAILED", "The server sent an invalid HTTP response.");
  return failure("EXECUTION_FAILED", "The request failed.");
}
