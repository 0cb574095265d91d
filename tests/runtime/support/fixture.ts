// Starts a local deployment of the protocol fixture app in this test process, on free ports and a
// fresh data folder, and hands out real Convex clients connected to it.
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

import { ConvexClient, ConvexHttpClient } from "convex/browser";
import WebSocket from "ws";

import { loadConfig, type RuntimeConfig } from "../../../local/config.ts";
import { startLocalDeployment, type LocalDeployment } from "../../../local/deployment.ts";
import { FIXTURE_CONVEX_DIR } from "./fixturePaths.ts";

export type Fixture = {
  deployment: LocalDeployment;
  config: RuntimeConfig;
  logs: string[];
  /** A websocket client (closed by `stop`). */
  client(): ConvexClient;
  /** An HTTP client, optionally holding the admin key. */
  http(options?: { admin?: boolean }): ConvexHttpClient;
  /** Closes every client and the deployment (keeping the data folder). */
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-test-"));
}

/**
 * Starts the fixture app; pass the previous config to restart on the same ports and data, and
 * `settings` to change a new one (the trace file, say).
 */
export async function startFixture(previous?: RuntimeConfig, settings: Partial<RuntimeConfig> = {}): Promise<Fixture> {
  const config =
    previous ??
    {
      ...loadConfig({
        CLAWSYNC_API_PORT: String(await freePort()),
        CLAWSYNC_SITE_PORT: String(await freePort()),
        CLAWSYNC_UI_PORT: String(await freePort()),
        CLAWSYNC_DATA_DIR: tempDataDir(),
      }),
      convexDir: FIXTURE_CONVEX_DIR,
      ...settings,
    };
  const logs: string[] = [];
  const deployment = await startLocalDeployment(config, { log: (line) => logs.push(line) });
  const clients: ConvexClient[] = [];
  return {
    deployment,
    config,
    logs,
    client() {
      const client = new ConvexClient(config.cloudUrl, { webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket, logger: false });
      clients.push(client);
      return client;
    },
    http(options = {}) {
      const client = new ConvexHttpClient(config.cloudUrl, { logger: false });
      // `setAdminAuth` is internal in the client's types; deployments and dashboards use it.
      if (options.admin) (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(deployment.adminKey);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.close()));
      await deployment.close();
    },
  };
}

