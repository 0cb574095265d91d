// Starts the whole local deployment in this process: the runtime with its database, the client API
// (websocket + HTTP), the site origin for HTTP actions and sign-in, the web UI, the scheduler and
// the crons. `npm start`, the tests and the benchmarks all start it through here.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { AuthConfig } from "convex/server";

import { loadOrCreateAdminKey } from "./auth/adminKey.ts";
import { ensureEncryptionKey } from "./auth/encryptionKey.ts";
import { createJwtVerifier } from "./auth/jwtVerifier.ts";
import { LocalIdentityProvider } from "./auth/localIdp.ts";
import type { RuntimeConfig } from "./config.ts";
import { CronRunner } from "./engine/crons.ts";
import { Runtime } from "./engine/runtime.ts";
import { installSandbox, writeLine } from "./engine/sandbox.ts";
import { Scheduler } from "./engine/scheduler.ts";
import { ANONYMOUS, NO_REQUEST_META } from "./engine/types.ts";
import { ApiServer } from "./server/apiServer.ts";
import { CallerAuthenticator } from "./server/callerAuth.ts";
import { SiteServer } from "./server/siteServer.ts";
import { createUiServer } from "./server/uiServer.ts";

export type LocalDeployment = {
  config: RuntimeConfig;
  runtime: Runtime;
  api: ApiServer;
  adminKey: string;
  idp: LocalIdentityProvider;
  /** A fresh one-time owner sign-in link. */
  signInLink(): string;
  /** Stops accepting work, lets running jobs finish, snapshots the database. */
  close(): Promise<void>;
};

/** `uiDir`: serve this built web app on the UI port (no UI server without it). */
export type StartOptions = { uiDir?: string; log?: (line: string) => void };

export async function startLocalDeployment(config: RuntimeConfig, options: StartOptions = {}): Promise<LocalDeployment> {
  const log = options.log ?? writeLine;
  // Functions read their configuration from the environment, as on a deployment; this must happen
  // before any module of convex/ is imported.
  Object.assign(process.env, config.functionEnv);
  const keySource = await ensureEncryptionKey(config.dataDir, process.env);
  if (keySource === "created") log(`  Created a key for stored secrets in ${config.dataDir} (set SKILL_SECRET_ENCRYPTION_KEY to use your own).`);
  installSandbox();

  const traceStream = config.traceFile ? fs.createWriteStream(config.traceFile, { flags: "a", mode: 0o600 }) : null;
  const runtime = await Runtime.start({
    convexDir: config.convexDir,
    dataDir: config.dataDir,
    cloudUrl: config.cloudUrl,
    exposeInternalErrors: config.exposeInternalErrors,
    actionWorkers: config.actionWorkers,
    log,
    ...(traceStream ? { trace: (event) => traceStream.write(`${JSON.stringify(event)}\n`) } : {}),
  });
  const adminKey = await loadOrCreateAdminKey(config.dataDir);
  const idp = await LocalIdentityProvider.open({
    dataDir: config.dataDir,
    issuer: config.siteUrl,
    audience: "clawsync-local",
    uiOrigins: config.uiOrigins,
    onEvent: (event) => log(`[auth] ${event.event}${event.reason ? ` (${event.reason})` : ""} from ${event.clientKey}`),
  });
  const authConfig = await loadAuthConfig(config.convexDir);
  const auth = new CallerAuthenticator(adminKey, createJwtVerifier(authConfig.providers));

  const api = new ApiServer({ runtime, auth, allowedHosts: config.allowedHosts, log });
  const site = new SiteServer({ runtime, idp, origin: config.siteUrl, allowedHosts: config.allowedHosts, log });
  const apiWs = config.cloudUrl.replace(/^http/, "ws");
  const ui = options.uiDir
    ? createUiServer({ distDir: options.uiDir, connectSources: [config.cloudUrl, apiWs, config.siteUrl, ...workosSources()], allowedHosts: config.allowedHosts })
    : null;
  await api.listen(config.apiPort, config.host);
  await site.listen(config.sitePort, config.host);
  if (ui) await new Promise<void>((resolve, reject) => ui.once("error", reject).listen(config.uiPort, config.host, () => resolve()));

  const scheduler = new Scheduler(runtime);
  await scheduler.recover();
  const crons = new CronRunner(runtime, CronRunner.jobsOf(runtime));
  crons.start();
  await runStartupFunctions(runtime, log);
  const claimCode = await mintClaimCode(runtime, log);

  let closing: Promise<void> | null = null;
  return {
    config,
    runtime,
    api,
    adminKey,
    idp,
    // Until someone owns this deployment, the link also carries the claim code that makes its
    // user the first owner; SyncBoard redeems it right after signing in.
    signInLink: () => {
      const link = idp.mintSignInLink(config.uiUrl).url;
      return claimCode === null ? link : `${link}&claim=${claimCode}`;
    },
    close: () =>
      (closing ??= (async () => {
        await crons.stop();
        await scheduler.stop();
        await api.close();
        await site.close();
        if (ui) await new Promise<void>((resolve) => ui.close(() => resolve()));
        await runtime.close();
        if (traceStream) await new Promise((resolve) => traceStream.end(resolve));
      })()),
  };
}

/**
 * Functions the app runs when its deployment starts: ClawSync registers the code skills and
 * templates its code ships (a cron repeats this on hosted deployments, which have no start hook).
 * An app without them (the protocol fixtures) is left alone.
 */
const STARTUP_MUTATIONS = ["skills/registry:sync"];

async function runStartupFunctions(runtime: Runtime, log: (line: string) => void): Promise<void> {
  for (const udfPath of STARTUP_MUTATIONS) {
    const target = { componentPath: "", udfPath };
    let resolved;
    try {
      resolved = runtime.resolveInternal(target, "mutation");
    } catch {
      continue;
    }
    const outcome = await runtime.mutation(target, {}, { caller: ANONYMOUS, meta: NO_REQUEST_META }, resolved);
    if (!outcome.ok) log(`[startup ${udfPath}] failed: ${outcome.failure.message}`);
  }
}

/** A claim code for the first owner (`owners:mintClaimCode`), or null once the app has an owner. */
async function mintClaimCode(runtime: Runtime, log: (line: string) => void): Promise<string | null> {
  const target = { componentPath: "", udfPath: "owners:mintClaimCode" };
  let resolved;
  try {
    resolved = runtime.resolveInternal(target, "action");
  } catch {
    return null;
  }
  const outcome = await runtime.action(target, {}, { caller: ANONYMOUS, meta: NO_REQUEST_META }, resolved);
  if (!outcome.ok) {
    log(`[startup owners:mintClaimCode] failed: ${outcome.failure.message}`);
    return null;
  }
  const minted = outcome.value as { code: string } | null;
  return minted?.code ?? null;
}

async function loadAuthConfig(convexDir: string): Promise<AuthConfig> {
  const file = path.join(convexDir, "auth.config.ts");
  if (!fs.existsSync(file)) return { providers: [] };
  const module = (await import(pathToFileURL(file).href)) as { default?: AuthConfig };
  return module.default ?? { providers: [] };
}

/** The page talks to WorkOS directly when AuthKit is configured. */
function workosSources(): string[] {
  return process.env.VITE_WORKOS_CLIENT_ID || process.env.WORKOS_CLIENT_ID ? ["https://api.workos.com"] : [];
}
