// Build and dev-server settings for the browser app (src/). `npm start` serves the built dist/.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const DEFAULT_UI_PORT = 5173;

/** The UI port is a design contract (CLAWSYNC_UI_PORT), so a bad value stops the build loudly. */
function uiPort(): number {
  const raw = process.env.CLAWSYNC_UI_PORT?.trim();
  if (!raw) return DEFAULT_UI_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`CLAWSYNC_UI_PORT must be a port number from 1 to 65535, got "${raw}".`);
  }
  return port;
}

export default defineConfig(({ mode }) => {
  // strictPort: the printed sign-in link names this exact port, so never drift to another one.
  const server = { host: "127.0.0.1", port: uiPort(), strictPort: true };
  return {
    plugins: [react()],
    envPrefix: ["VITE_"],
    server,
    preview: server,
    build: {
      outDir: "dist",
      emptyOutDir: true,
      sourcemap: mode !== "production",
    },
  };
});
