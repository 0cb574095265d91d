// One `vitest run` runs every kind of test: convex-test tests of the functions (edge-runtime,
// like Convex's default runtime), unit tests of pure modules, protocol conformance tests against
// the local runtime, and browser tests against `npm start` in Debian's Chromium.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "convex",
          include: ["tests/convex/**/*.test.ts"],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        test: {
          name: "runtime",
          include: ["tests/runtime/**/*.test.ts"],
          environment: "node",
          // Component packages ship extensionless relative imports (fine for Convex's bundler and
          // for tsx, which runs the runtime); let vite resolve them when a test hosts the runtime.
          server: { deps: { inline: [/@convex-dev\//] } },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: the machine has two cores and each test starts a whole platform.
          fileParallelism: false,
        },
      },
    ],
  },
});
