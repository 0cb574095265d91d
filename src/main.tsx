// Entry point: validate configuration, create the Convex client, render the app.
// Global styles first, so area styles imported by components come later and win ties.
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/common.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ConfigProblems } from "./components/app/ConfigProblems";
import { loadConfig } from "./lib/config";
import { createConvexClient } from "./lib/convex";

const container = document.getElementById("root");
if (!container) throw new Error('index.html must contain <div id="root">.');

const result = loadConfig(import.meta.env, window.location.origin);

createRoot(container).render(
  <StrictMode>
    {result.ok ? (
      <App config={result.config} client={createConvexClient(result.config)} />
    ) : (
      <ConfigProblems problems={result.problems} />
    )}
  </StrictMode>,
);
