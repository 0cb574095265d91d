// Serves the built web app (dist/) on the UI port, with the security headers a production host
// would set: a Content-Security-Policy with no inline script or style, no framing, no sniffing.
// Unknown paths get index.html so client-side routes (/chat, /syncboard/...) load directly.
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

import { hostAllowed } from "./httpUtil.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export type UiServerOptions = {
  distDir: string;
  /** Origins the page may connect to: the client API (http and ws) and the site origin. */
  connectSources: string[];
  allowedHosts: ReadonlySet<string>;
};

export function contentSecurityPolicy(connectSources: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${connectSources.join(" ")}`,
    `img-src 'self' data: blob: ${connectSources.filter((source) => source.startsWith("http")).join(" ")}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function createUiServer(options: UiServerOptions): Server {
  const root = path.resolve(options.distDir);
  const headers = {
    "Content-Security-Policy": contentSecurityPolicy(options.connectSources),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  return createServer((request, response) => {
    if (!hostAllowed(request, options.allowedHosts)) {
      response.writeHead(403, { "Content-Type": "text/plain" }).end("This server does not answer for that Host");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD", ...headers }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://local").pathname);
    } catch {
      // A malformed escape ("/%zz") would otherwise throw out of the handler and stop the process.
      response.writeHead(400, { "Content-Type": "text/plain", ...headers }).end("Bad request path");
      return;
    }
    const requested = path.resolve(root, `.${pathname}`);
    const insideRoot = requested === root || requested.startsWith(root + path.sep);
    const isFile = insideRoot && fs.existsSync(requested) && fs.statSync(requested).isFile();
    const file = isFile ? requested : path.join(root, "index.html");
    if (!fs.existsSync(file)) {
      response.writeHead(503, { "Content-Type": "text/plain", ...headers }).end("The web app is not built. Run `npm run build:ui`.");
      return;
    }
    const immutable = isFile && pathname.startsWith("/assets/");
    response.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      ...headers,
    });
    if (request.method === "HEAD") response.end();
    else fs.createReadStream(file).pipe(response);
  });
}
