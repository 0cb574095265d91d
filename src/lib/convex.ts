// The one Convex client of the app, pointed at the deployment (or the local runtime) from config.
import { ConvexReactClient } from "convex/react";
import type { AppConfig } from "./config";

/** Creates the client; main.tsx makes exactly one and hands it to the providers. */
export function createConvexClient(config: AppConfig): ConvexReactClient {
  return new ConvexReactClient(config.convexUrl);
}
