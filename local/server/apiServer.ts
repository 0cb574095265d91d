// The client API origin (CONVEX_CLOUD_URL): the websocket sync endpoint used by ConvexReactClient
// and ConvexClient, the HTTP function API used by ConvexHttpClient (status 560 for a function
// failure, as on a deployment), and file upload and download for `ctx.storage`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import type { JSONValue } from "convex/values";
import { WebSocketServer } from "ws";

import { newRequestId, type Runtime } from "../engine/runtime.ts";
import type { UdfType } from "../engine/types.ts";
import type { CallerAuthenticator } from "./callerAuth.ts";
import { BodyTooLarge, clientAddress, hostAllowed, readBody, requestUrl, sendJson } from "./httpUtil.ts";
import { MutationReplayCache } from "./mutationReplay.ts";
import { encodeTs } from "./protocol.ts";
import { SubscriptionManager } from "./subscriptions.ts";
import { SyncSession } from "./syncSession.ts";

/** Status a deployment uses for "the function ran and failed". */
export const STATUS_FUNCTION_FAILED = 560;
const MAX_REQUEST_BYTES = 16 << 20;
const MAX_UPLOAD_BYTES = 64 << 20;
const PING_INTERVAL_MS = 15_000;
const SYNC_PATH = /^\/api\/[^/]+\/sync$/;
const STORAGE_PATH = /^\/api\/storage\/([0-9a-z]{28,40})$/;

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Convex-Client",
  "Access-Control-Max-Age": "86400",
};

export type ApiServerOptions = {
  runtime: Runtime;
  auth: CallerAuthenticator;
  allowedHosts: ReadonlySet<string>;
  log: (line: string) => void;
};

export class ApiServer {
  readonly server: Server;
  readonly subscriptions: SubscriptionManager;
  private readonly sessions = new Set<SyncSession>();
  private readonly wss: WebSocketServer;
  private readonly replay = new MutationReplayCache();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ApiServerOptions) {
    this.subscriptions = new SubscriptionManager(options.runtime, (ts) => {
      for (const session of this.sessions) session.flush(ts);
    });
    options.runtime.onCommit((event) => this.subscriptions.markCommit(event));
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        options.log(`[api] ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) sendJson(response, 500, { code: "InternalServerError", message: "Internal server error" });
        else response.destroy();
      });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
    this.server.on("upgrade", (request, socket, head) => {
      const path = requestUrl(request)?.pathname ?? "";
      if (!SYNC_PATH.test(path) || !hostAllowed(request, options.allowedHosts)) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
  }

  listen(port: number, host: string): Promise<void> {
    this.pingTimer = setInterval(() => {
      for (const session of this.sessions) session.ping();
    }, PING_INTERVAL_MS);
    this.pingTimer.unref();
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  /** Closes every connection with "going away" so clients reconnect to the next run. */
  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const ws of this.wss.clients) ws.close(1001, "Server shutting down");
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private accept(ws: import("ws").WebSocket, request: IncomingMessage): void {
    const session = new SyncSession(ws, {
      runtime: this.options.runtime,
      subscriptions: this.subscriptions,
      auth: this.options.auth,
      replay: this.replay,
      meta: { ip: clientAddress(request), userAgent: request.headers["user-agent"] ?? null },
      log: this.options.log,
    });
    this.sessions.add(session);
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, "ProtocolError: binary frames are not supported");
        return;
      }
      session.receive(data.toString());
    });
    ws.on("close", () => {
      this.sessions.delete(session);
      session.dispose();
    });
    ws.on("error", () => ws.terminate());
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request, this.options.allowedHosts)) {
      sendJson(response, 403, { code: "HostNotAllowed", message: "This server does not answer for that Host" });
      return;
    }
    const url = requestUrl(request);
    if (url === null) {
      sendJson(response, 400, { code: "BadRequest", message: "Malformed request target" }, CORS);
      return;
    }
    if (request.method === "OPTIONS") {
      response.writeHead(204, CORS).end();
      return;
    }
    if (request.method === "GET" && url.pathname === "/version") {
      response.writeHead(200, { "Content-Type": "text/plain", ...CORS }).end("clawsync-local");
      return;
    }
    const storage = STORAGE_PATH.exec(url.pathname);
    if (request.method === "GET" && storage) return this.download(storage[1], response);
    if (request.method === "POST" && url.pathname === "/api/storage/upload") return await this.upload(request, url, response);
    if (request.method !== "POST") {
      sendJson(response, 404, { code: "NotFound", message: "Not found" }, CORS);
      return;
    }
    switch (url.pathname) {
      case "/api/query":
      case "/api/query_at_ts":
        return await this.call(request, response, "query");
      case "/api/mutation":
        return await this.call(request, response, "mutation");
      case "/api/action":
        return await this.call(request, response, "action");
      case "/api/function":
        return await this.call(request, response, "any");
      case "/api/query_ts":
        sendJson(response, 200, { ts: encodeTs(this.options.runtime.currentTs) }, CORS);
        return;
      default:
        if (url.pathname.startsWith("/api/run/")) return await this.call(request, response, "any", runPath(url.pathname));
        sendJson(response, 404, { code: "NotFound", message: "Not found" }, CORS);
    }
  }

  /** `POST /api/{query,mutation,action,function}` with `{ path, args, format }`. */
  private async call(request: IncomingMessage, response: ServerResponse, type: UdfType | "any", pathFromUrl?: string): Promise<void> {
    let body: { path?: unknown; args?: unknown; componentPath?: unknown };
    try {
      body = JSON.parse((await readBody(request, MAX_REQUEST_BYTES)).toString("utf8") || "{}") as typeof body;
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(response, 413, { code: "PayloadTooLarge", message: `Request body exceeds ${MAX_REQUEST_BYTES} bytes` }, CORS);
      else sendJson(response, 400, { code: "BadJsonBody", message: "The request body is not valid JSON" }, CORS);
      return;
    }
    const udfPath = pathFromUrl ?? body?.path;
    const componentPath = body?.componentPath ?? "";
    if (typeof udfPath !== "string" || udfPath.length === 0 || udfPath.length > 1024 || typeof componentPath !== "string") {
      sendJson(response, 400, { code: "BadRequest", message: "The body must name the function in `path`" }, CORS);
      return;
    }
    const args = Array.isArray(body.args) ? (body.args.length === 1 ? body.args[0] : undefined) : (body.args ?? {});
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      sendJson(response, 400, { code: "BadRequest", message: "`args` must be an object (or an array holding one object)" }, CORS);
      return;
    }
    const authentication = await this.options.auth.header(request.headers.authorization);
    if (!authentication.ok) {
      sendJson(response, 401, { code: "Unauthenticated", message: authentication.error }, CORS);
      return;
    }
    const runtime = this.options.runtime;
    const options = { caller: authentication.caller, meta: { ip: clientAddress(request), userAgent: request.headers["user-agent"] ?? null } };
    const target = { componentPath, udfPath };
    let kind = type;
    if (kind === "any") {
      try {
        kind = runtime.resolveForCaller(target, authentication.caller, "any").type;
      } catch (error) {
        const failure = runtime.failure(error, newRequestId(), target);
        sendJson(response, STATUS_FUNCTION_FAILED, { status: "error", errorMessage: failure.message, logLines: [] }, CORS);
        return;
      }
    }
    const argsJson = args as JSONValue;
    const outcome =
      kind === "query" ? await runtime.query(target, argsJson, options) : kind === "mutation" ? await runtime.mutation(target, argsJson, options) : await runtime.action(target, argsJson, options);
    if (outcome.ok) {
      sendJson(response, 200, { status: "success", value: outcome.value, logLines: [] }, CORS);
    } else {
      const errorData = outcome.failure.data === undefined ? {} : { errorData: outcome.failure.data };
      sendJson(response, STATUS_FUNCTION_FAILED, { status: "error", errorMessage: outcome.failure.message, ...errorData, logLines: [] }, CORS);
    }
  }

  private download(storageId: string, response: ServerResponse): void {
    for (const db of this.options.runtime.allDatabases()) {
      const metadata = db.document("_storage", storageId);
      const bytes = metadata && this.options.runtime.storage.read(storageId);
      if (!metadata || !bytes) continue;
      response.writeHead(200, {
        "Content-Type": (metadata.contentType as string | undefined) ?? "application/octet-stream",
        "Content-Length": bytes.byteLength,
        // Stored files are user content: never let one run as a page of this origin.
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
        ...CORS,
      });
      response.end(bytes);
      return;
    }
    sendJson(response, 404, { code: "NotFound", message: "File not found" }, CORS);
  }

  private async upload(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    const componentPath = this.options.runtime.storage.verifyUploadToken(url.searchParams.get("token") ?? "");
    if (componentPath === null) {
      sendJson(response, 401, { code: "InvalidUploadToken", message: "The upload URL is invalid or expired" }, CORS);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readBody(request, MAX_UPLOAD_BYTES);
    } catch {
      sendJson(response, 413, { code: "PayloadTooLarge", message: `Uploads are limited to ${MAX_UPLOAD_BYTES} bytes` }, CORS);
      return;
    }
    const contentType = request.headers["content-type"] || undefined;
    const runtime = this.options.runtime;
    const storageId = await runtime.systemTransaction((txn) => runtime.storage.store(txn, componentPath, bytes, contentType));
    sendJson(response, 200, { storageId }, CORS);
  }
}

/** `/api/run/messages/list` names `messages:list`. */
function runPath(pathname: string): string {
  const parts = pathname.slice("/api/run/".length).split("/").filter(Boolean);
  return `${parts.slice(0, -1).join("/")}:${parts[parts.length - 1] ?? ""}`;
}
