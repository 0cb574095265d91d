// The product's own convex/ folder loads in the runtime with its components (the agent and the
// rate limiter, which installs the batch worker), and component functions answer only the admin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFunctionReference } from "convex/server";

import { loadConfig, type RuntimeConfig } from "../../local/config.ts";
import { startLocalDeployment, type LocalDeployment } from "../../local/deployment.ts";
import { ConvexHttpClient } from "convex/browser";
import { auditTarget, fetchAudit, type AuditTarget } from "../../local/securityAudit.ts";
import { freePort, tempDataDir } from "./support/fixture.ts";

let config: RuntimeConfig;
let deployment: LocalDeployment;

beforeAll(async () => {
  config = loadConfig({
    CLAWSYNC_API_PORT: String(await freePort()),
    CLAWSYNC_SITE_PORT: String(await freePort()),
    CLAWSYNC_UI_PORT: String(await freePort()),
    CLAWSYNC_DATA_DIR: tempDataDir(),
  });
  deployment = await startLocalDeployment(config, { log: () => undefined });
});

afterAll(async () => {
  await deployment.close();
});

/** `ConvexHttpClient.function` is internal in the types: it is how admin tools reach components. */
type AdminCalls = { setAdminAuth(key: string): void; function(name: string, componentPath: string | undefined, args: object): Promise<unknown> };

describe("the ClawSync app in the runtime", () => {
  it("installs its components with their own schemas", () => {
    for (const path of ["", "agent", "rateLimiter", "rateLimiter/batchWorker"]) {
      expect(deployment.runtime.component(path), path).toBeDefined();
    }
    expect(deployment.runtime.database("agent").tables.has("threads")).toBe(true);
    expect(deployment.runtime.database("").tables.has("activityLog")).toBe(true);
  });

  it("serves the app's public functions", async () => {
    const http = new ConvexHttpClient(config.cloudUrl, { logger: false });
    expect(await http.query(makeFunctionReference<"query">("activity:listPublic"), {})).toEqual([]);
  });

  it("lets only the admin key call component functions", async () => {
    const anonymous = new ConvexHttpClient(config.cloudUrl, { logger: false }) as unknown as AdminCalls;
    await expect(anonymous.function("threads:createThread", "agent", {})).rejects.toThrow(/Could not find public function/);
    const admin = new ConvexHttpClient(config.cloudUrl, { logger: false }) as unknown as AdminCalls;
    admin.setAdminAuth(deployment.adminKey);
    const thread = (await admin.function("threads:createThread", "agent", { title: "admin thread" })) as { _id: string; title: string };
    expect(thread.title).toBe("admin thread");
  });

  it("serves the channel webhook routes on the site origin, refusing an unsigned delivery with 401", async () => {
    const response = await fetch(`${config.siteUrl}/api/webhook/telegram`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ update_id: 1 }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Webhook verification failed." });
    expect((await fetch(`${config.siteUrl}/api/webhook/telegram`)).status).toBe(404);
  });

  it("answers the security audit only to the admin key, and the local runtime passes it", async () => {
    const anonymous = new ConvexHttpClient(config.cloudUrl, { logger: false });
    await expect(anonymous.query(makeFunctionReference<"query">("security/audit:report"), {})).rejects.toThrow(/Could not find public function/);
    const target = await auditTarget({ CLAWSYNC_API_PORT: String(new URL(config.cloudUrl).port), CLAWSYNC_DATA_DIR: config.dataDir });
    expect(target).toEqual({ url: config.cloudUrl, adminKey: deployment.adminKey });
    const findings = await fetchAudit(target as AuditTarget);
    expect(findings.map(({ check, status }) => [check, status])).toEqual([
      ["encryption key", "ok"],
      ["owner sign-in", "ok"],
      ["log redaction", "ok"],
    ]);
  });
});
