// Small HTTP helpers shared by the runtime's servers: Host checks against DNS rebinding, bounded
// body reading, and conversion between Node's request/response and the fetch API's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

export class BodyTooLarge extends Error {}

/**
 * Whether the Host header names this server. A browser tricked by DNS rebinding sends the
 * attacker's hostname, so requests for any other host are refused (finding MED-03).
 */
export function hostAllowed(request: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = request.headers.host?.toLowerCase();
  return host !== undefined && allowedHosts.has(host);
}

/** The request's URL, or null for a target `new URL` cannot parse (answer those with 400). */
export function requestUrl(request: IncomingMessage, origin = "http://local"): URL | null {
  try {
    return new URL(request.url ?? "/", origin);
  } catch {
    return null;
  }
}

/** Reads the whole body, refusing (without buffering the rest) once it passes `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(payload);
}

/** The client address, used as the key for per-client limits. */
export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? "unknown";
}

/** Builds a fetch `Request` from a Node request whose body has already been read. */
export function toFetchRequest(request: IncomingMessage, url: URL, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = request.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, { method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

/** Streams a fetch `Response` back through a Node response. */
export async function sendFetchResponse(response: ServerResponse, fetchResponse: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  fetchResponse.headers.forEach((value, name) => {
    if (name === "set-cookie") return;
    headers[name] = value;
  });
  const cookies = fetchResponse.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  response.writeHead(fetchResponse.status, fetchResponse.statusText, headers);
  if (fetchResponse.body === null) {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(fetchResponse.body as import("node:stream/web").ReadableStream).on("error", reject).pipe(response).on("finish", resolve).on("error", reject);
  });
}
