// The source of every module in convex/ (generated code excluded), for tests that prove a rule by
// reading the code: which modules may reach the network, secrets or the environment.
import fs from "node:fs";
import path from "node:path";

const CONVEX = path.resolve(import.meta.dirname, "../../../convex");

export type SourceFile = { file: string; text: string };

/** Every .ts/.tsx module under convex/, with its path relative to convex/. */
export function convexSources(dir = CONVEX): SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "_generated" ? [] : convexSources(full);
    return /\.tsx?$/.test(entry.name) ? [{ file: path.relative(CONVEX, full), text: fs.readFileSync(full, "utf8") }] : [];
  });
}
