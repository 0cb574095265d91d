// The HTTP actions origin (CONVEX_SITE_URL): serves the routes of `convex/http.ts` exactly as a
// `.convex.site` URL does, behind the local identity provider's few reserved paths.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { LOCAL_IDP_PATHS, type LocalIdentityProvider } from "../auth/localIdp.ts";
import type { Runtime } from "../engine/runtime.ts";
import { BodyTooLarge, clientAddress, hostAllowed, readBody, requestUrl, sendFetchResponse, sendJson, toFetchRequest } from "./httpUtil.ts";

/** HTTP action request bodies are capped as on a deployment. */
const MAX_BODY_BYTES = 20 << 20;

export type SiteServerOptions = {
  runtime: Runtime;
  idp: LocalIdentityProvider;
  origin: string;
  allowedHosts: ReadonlySet<string>;
  log: (line: string) => void;
};

export class SiteServer {
  readonly server: Server;

  constructor(private readonly options: SiteServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        options.log(`[site] ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) sendJson(response, 500, { error: "Internal server error" });
        else response.destroy();
      });
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request, this.options.allowedHosts)) {
      sendJson(response, 403, { error: "This server does not answer for that Host" });
      return;
    }
    const url = requestUrl(request, this.options.origin);
    if (url === null) {
      sendJson(response, 400, { error: "Malformed request target" });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(response, 413, { error: `Request body exceeds ${MAX_BODY_BYTES} bytes` });
      else throw error;
      return;
    }
    const fetchRequest = toFetchRequest(request, url, body);
    const ip = clientAddress(request);
    const own = isIdentityProviderPath(fetchRequest) ? await this.options.idp.handle(fetchRequest, ip) : null;
    const answer = own ?? (await this.options.runtime.httpAction(fetchRequest, { ip, userAgent: request.headers["user-agent"] ?? null }));
    await sendFetchResponse(response, answer);
  }
}

const IDP_PATHS: ReadonlySet<string> = new Set(Object.values(LOCAL_IDP_PATHS));

/** The few paths the identity provider reserves on this origin; everything else is the app's. */
function isIdentityProviderPath(request: Request): boolean {
  return IDP_PATHS.has(new URL(request.url).pathname);
}
