// `npm run security:audit`: asks a deployment for its security report (`security/audit:report`, an
// internal query, so it needs the admin key) and prints it. The target is the deployment named by
// CONVEX_URL with CONVEX_ADMIN_KEY (a self-hosted admin key or a cloud deploy key), or else the local
// runtime configured by the same variables `npm start` reads.
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";

import type { AuditFinding } from "../convex/security/audit.ts";
import { readAdminKey } from "./auth/adminKey.ts";
import { loadConfig } from "./config.ts";

export type AuditTarget = { url: string; adminKey: string };

/** Where to run the audit, or a message saying what is missing. */
export async function auditTarget(environment: Record<string, string | undefined>): Promise<AuditTarget | { error: string }> {
  if (environment.CONVEX_URL) {
    const adminKey = environment.CONVEX_ADMIN_KEY ?? environment.CONVEX_DEPLOY_KEY;
    return adminKey ? { url: environment.CONVEX_URL, adminKey } : { error: "CONVEX_URL is set but neither CONVEX_ADMIN_KEY nor CONVEX_DEPLOY_KEY is." };
  }
  const config = loadConfig(environment);
  const adminKey = await readAdminKey(config.dataDir);
  return adminKey ? { url: config.cloudUrl, adminKey } : { error: `No local runtime data in ${config.dataDir}: run npm start first, or set CONVEX_URL and CONVEX_ADMIN_KEY.` };
}

export async function fetchAudit(target: AuditTarget): Promise<AuditFinding[]> {
  const client = new ConvexHttpClient(target.url, { logger: false });
  // setAdminAuth is public at run time but left out of the client's types: it is how admin tools call internal functions.
  (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(target.adminKey);
  return await client.query(makeFunctionReference<"query", Record<string, never>, AuditFinding[]>("security/audit:report"), {});
}

const MARK: Record<AuditFinding["status"], string> = { ok: "ok     ", warning: "warning", error: "ERROR  " };

/** One line per finding, and whether the deployment passes (no errors). */
export function formatAudit(findings: readonly AuditFinding[]): { text: string; passed: boolean } {
  const width = Math.max(...findings.map(({ check }) => check.length));
  const lines = findings.map(({ check, status, message }) => `${MARK[status]}  ${check.padEnd(width)}  ${message}`);
  const errors = findings.filter(({ status }) => status === "error").length;
  lines.push("", errors === 0 ? "Security audit passed." : `Security audit failed: ${errors} error${errors === 1 ? "" : "s"}.`);
  return { text: lines.join("\n"), passed: errors === 0 };
}
