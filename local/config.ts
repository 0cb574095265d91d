// The local runtime's configuration, read in one place and validated at start with a clear
// message for each bad value. `.env.local` in the project root is read too; the process's own
// environment wins over it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type RuntimeConfig = {
  projectRoot: string;
  convexDir: string;
  distDir: string;
  dataDir: string;
  /** Address every server binds to; loopback unless an operator opts in. */
  host: string;
  apiPort: number;
  sitePort: number;
  uiPort: number;
  cloudUrl: string;
  siteUrl: string;
  uiUrl: string;
  /** Host header values the servers answer for (DNS-rebinding protection). */
  allowedHosts: Set<string>;
  /** Origins of the web UI, allowed to call the local sign-in endpoints. */
  uiOrigins: string[];
  exposeInternalErrors: boolean;
  /** When set, a JSON line with the timing of every function execution is appended here. */
  traceFile: string | null;
  /** Worker threads that run actions (see local/engine/actionWorkers.ts). */
  actionWorkers: number;
  /** Environment variables the functions see, as a deployment's environment variables. */
  functionEnv: Record<string, string>;
};

export class ConfigError extends Error {}

/** Reads the configuration from `env` (default: `.env.local` plus the process environment). */
export function loadConfig(env: Record<string, string | undefined> = withEnvFile(process.env, PROJECT_ROOT)): RuntimeConfig {
  const problems: string[] = [];
  const port = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) problems.push(`${name} must be a port number (1-65535), got "${raw}"`);
    return value;
  };
  const apiPort = port("CLAWSYNC_API_PORT", 3210);
  const sitePort = port("CLAWSYNC_SITE_PORT", 3211);
  const uiPort = port("CLAWSYNC_UI_PORT", 5173);
  if (new Set([apiPort, sitePort, uiPort]).size !== 3) problems.push("CLAWSYNC_API_PORT, CLAWSYNC_SITE_PORT and CLAWSYNC_UI_PORT must differ");
  const host = env.CLAWSYNC_HOST || "127.0.0.1";
  const isLoopback = host === "127.0.0.1" || host === "::1" || host === "localhost";
  if (!isLoopback && env.CLAWSYNC_ALLOW_NON_LOOPBACK !== "1") {
    problems.push(`CLAWSYNC_HOST=${host} would expose the runtime beyond this machine; set CLAWSYNC_ALLOW_NON_LOOPBACK=1 to confirm (and put it behind TLS)`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join("\n- ")}`);

  const dataDir = path.resolve(PROJECT_ROOT, env.CLAWSYNC_DATA_DIR || ".clawsync");
  // One thread runs transactions; the rest of the machine's cores (at least one, at most four) run actions.
  const actionWorkers = env.CLAWSYNC_ACTION_WORKERS ? Number(env.CLAWSYNC_ACTION_WORKERS) : Math.min(4, Math.max(1, os.availableParallelism() - 1));
  if (!Number.isInteger(actionWorkers) || actionWorkers < 1 || actionWorkers > 64) {
    problems.push(`CLAWSYNC_ACTION_WORKERS must be a whole number from 1 to 64, got "${env.CLAWSYNC_ACTION_WORKERS}"`);
  }
  const urlHost = host === "::1" ? "[::1]" : host;
  const cloudUrl = `http://${urlHost}:${apiPort}`;
  const siteUrl = `http://${urlHost}:${sitePort}`;
  const uiUrl = `http://${urlHost}:${uiPort}`;
  const allowedHosts = new Set<string>();
  for (const port of [apiPort, sitePort, uiPort]) {
    for (const name of ["127.0.0.1", "localhost", "[::1]", urlHost]) allowedHosts.add(`${name}:${port}`.toLowerCase());
  }
  for (const extra of (env.CLAWSYNC_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)) allowedHosts.add(extra);
  const uiOrigins = [...new Set([uiUrl, `http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`])];

  const functionEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) functionEnv[name] = value;
  functionEnv.CONVEX_CLOUD_URL = cloudUrl;
  functionEnv.CONVEX_SITE_URL = siteUrl;
  // Trusts the built-in identity provider; see convex/auth.config.ts.
  functionEnv.CLAWSYNC_LOCAL_AUTH_ISSUER = siteUrl;

  return {
    projectRoot: PROJECT_ROOT,
    convexDir: path.join(PROJECT_ROOT, "convex"),
    distDir: path.join(PROJECT_ROOT, "dist"),
    dataDir,
    host,
    apiPort,
    sitePort,
    uiPort,
    cloudUrl,
    siteUrl,
    uiUrl,
    allowedHosts,
    uiOrigins,
    exposeInternalErrors: env.CLAWSYNC_EXPOSE_ERRORS === "1",
    traceFile: env.CLAWSYNC_TRACE_FILE ? path.resolve(PROJECT_ROOT, env.CLAWSYNC_TRACE_FILE) : null,
    actionWorkers,
    functionEnv,
  };
}

/** The environment with `.env.local` underneath it (the environment wins). */
export function withEnvFile(env: NodeJS.ProcessEnv, root: string): Record<string, string | undefined> {
  const file = path.join(root, ".env.local");
  const fromFile = fs.existsSync(file) ? parseEnv(fs.readFileSync(file, "utf8")) : {};
  return { ...fromFile, ...env };
}
