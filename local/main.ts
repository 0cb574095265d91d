// `npm start`: builds the web app for this runtime, runs the whole platform offline on this machine
// and prints where to open it. Ctrl-C (or SIGTERM) stops it cleanly: connections are closed,
// running jobs finish and the database is snapshotted, so the next start sees the same data.
import { buildUi } from "./buildUi.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { startLocalDeployment } from "./deployment.ts";
import { writeLine } from "./engine/sandbox.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  let uiDir = config.distDir;
  let removeBuild = () => {};
  if (!process.argv.includes("--no-build")) {
    writeLine("  Building the web app...");
    const built = await buildUi(config);
    uiDir = built.dir;
    removeBuild = built.remove;
  }
  const deployment = await startLocalDeployment(config, { uiDir }).catch((error: unknown) => {
    removeBuild();
    throw error;
  });
  writeLine(
    [
      "",
      "  ClawSync is running (local runtime, offline).",
      "",
      `  Chat           ${config.uiUrl}/chat`,
      `  SyncBoard      ${config.uiUrl}/syncboard`,
      `  Client API     ${config.cloudUrl}   (VITE_CONVEX_URL / CONVEX_URL)`,
      `  HTTP actions   ${config.siteUrl}   (CONVEX_SITE_URL)`,
      `  Data folder    ${config.dataDir}`,
      "",
      "  Owner sign-in (one-time link, valid 15 minutes):",
      `  ${deployment.signInLink()}`,
      "",
      "  Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    writeLine(`\n  ${signal} received: stopping ClawSync...`);
    deployment.close().then(
      () => {
        removeBuild();
        writeLine("  Stopped. Data saved.");
        process.exit(0);
      },
      (error: unknown) => {
        writeLine(`  Stopped with an error: ${(error as Error).stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) writeLine(error.message);
  else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    writeLine(`A port is already in use (${(error as Error).message}). Is ClawSync already running? Set CLAWSYNC_API_PORT / CLAWSYNC_SITE_PORT / CLAWSYNC_UI_PORT to use others.`);
  } else writeLine(`ClawSync failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
