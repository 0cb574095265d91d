// The convex/ modules for convex-test, loaded through vite's glob import.
export const modules = import.meta.glob(["../../convex/**/*.*s", "!../../convex/**/*.test.ts"]);
