// Builds the web app for this runtime. The build bakes in the URLs the page connects to, so they
// are set here from the runtime's own configuration (custom ports included) rather than taken from
// .env.local, where `npx convex dev` writes a cloud deployment's URL. Each start builds into its
// own temporary folder, so two runtimes (or a test run beside `npm start`) never serve each
// other's build; `dist/` stays what `npm run build:ui` makes for hosting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { build } from "vite";

import type { RuntimeConfig } from "./config.ts";

/** Builds into a fresh folder and returns it; `remove` deletes it when the runtime stops. */
export async function buildUi(config: RuntimeConfig): Promise<{ dir: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-web-"));
  process.env.VITE_CONVEX_URL = config.cloudUrl;
  process.env.VITE_CONVEX_SITE_URL = config.siteUrl;
  await build({ root: config.projectRoot, logLevel: "warn", build: { outDir: dir, emptyOutDir: true } });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
