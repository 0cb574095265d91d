// Every skill execution path goes through the security checker: the only code that runs a skill is
// `skills/execute.ts`, only the runner calls it, and the runner asks the checker first and records
// the result after. These tests read the source, so a new path that skips the checker fails here
// (the behaviour of each check is proven in tests/convex/checker.test.ts).
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const CONVEX = path.resolve(import.meta.dirname, "../../../convex");

function sources(dir = CONVEX): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "_generated" ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [{ file: path.relative(CONVEX, full), text: fs.readFileSync(full, "utf8") }] : [];
  });
}

const files = sources();
const importing = (module: RegExp) => files.filter(({ text }) => module.test(text)).map(({ file }) => file).sort();

describe("one pipeline for every skill call", () => {
  it("runs skills only in skills/execute.ts, called only by the runner", () => {
    // Value imports only: a module may share execute.ts's types without being able to run a skill.
    expect(importing(/^import (?!type )[^;]*from "(\.\/|\.\.\/skills\/)execute"/m)).toEqual(["skills/runner.ts"]);
    expect(files.filter(({ text }) => /\bexecuteSkill\(/.test(text)).map(({ file }) => file).sort()).toEqual(["skills/execute.ts", "skills/runner.ts"]);
  });

  it("calls a template's or code skill's run only from skills/execute.ts", () => {
    const callers = files.filter(({ text }) => /(definition|module)\.run\(/.test(text)).map(({ file }) => file);
    expect(callers).toEqual(["skills/execute.ts"]);
  });

  it("makes outbound calls only through the guarded fetch, only from skills/execute.ts", () => {
    expect(importing(/from "[./]*security\/guardedFetch"|from "\.\/guardedFetch"/)).toEqual(["skills/execute.ts"]);
    // No other Convex function reaches the network with a bare fetch.
    const bareFetch = files.filter(({ file, text }) => file !== "security/guardedFetch.ts" && /(^|[^.\w])fetch\(/m.test(text.replace(/\/\/.*$/gm, ""))).map(({ file }) => file);
    expect(bareFetch).toEqual([]);
  });

  it("has the runner admit through the checker before running, and record after", () => {
    const runner = files.find(({ file }) => file === "skills/runner.ts")!.text;
    const admit = runner.indexOf("internal.security.checker.admit");
    const run = runner.indexOf("executeSkill(");
    const record = runner.indexOf("internal.security.checker.record");
    expect(admit).toBeGreaterThan(0);
    expect(run).toBeGreaterThan(admit);
    expect(record).toBeGreaterThan(run);
    // The only early return before running is the checker's refusal.
    expect(runner.slice(admit, run)).toMatch(/if \(!admission\.admitted\) return/);
  });

  it("gives the checker's admission no option that skips a check", () => {
    const checker = files.find(({ file }) => file === "security/checker.ts")!.text;
    const request = checker.slice(checker.indexOf("export const vInvocationRequest"), checker.indexOf("export type InvocationRequest"));
    expect(request).not.toMatch(/skip|bypass|force|unsafe|trusted|noCheck/i);
  });

  it("keeps the checker off the invocation log: it only ever inserts, so its cost does not grow with the log", () => {
    const checker = files.find(({ file }) => file === "security/checker.ts")!.text;
    expect(checker).not.toMatch(/query\("skillInvocationLog"\)/);
    expect(checker).toMatch(/insert\("skillInvocationLog"/);
  });
});
