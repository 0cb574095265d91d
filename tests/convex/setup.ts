// convex-test for the app: the convex/ modules through vite's glob import, with the components the
// app installs registered, as on a deployment.
import agent from "@convex-dev/agent/test";
import rateLimiter from "@convex-dev/rate-limiter/test";
import { convexTest } from "convex-test";

import schema from "../../convex/schema";

export const modules = import.meta.glob(["../../convex/**/*.*s", "!../../convex/**/*.test.ts"]);

/** A fresh deployment of the app for one test. */
export function newDeployment() {
  const t = convexTest(schema, modules);
  agent.register(t);
  rateLimiter.register(t);
  return t;
}
