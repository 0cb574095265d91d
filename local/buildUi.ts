// Builds the web app for this runtime. The build bakes in the URLs the page connects to, so they
// are set here from the runtime's own configuration (custom ports included) rather than taken from
// .env.local, where `npx convex dev` writes a cloud deployment's URL.
import { build } from "vite";

import type { RuntimeConfig } from "./config.ts";

export async function buildUi(config: RuntimeConfig): Promise<void> {
  process.env.VITE_CONVEX_URL = config.cloudUrl;
  process.env.VITE_CONVEX_SITE_URL = config.siteUrl;
  await build({ root: config.projectRoot, logLevel: "warn", build: { outDir: config.distDir, emptyOutDir: true } });
}
