// convex/_generated is committed and must match what `npm run codegen` produces offline from the
// current convex/ folder (including the `components` export the script adds).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { PROJECT_ROOT } from "../../../local/config.ts";

describe("convex/_generated", () => {
  it("is what npm run codegen generates offline from convex/", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-codegen-"));
    try {
      fs.copyFileSync(path.join(PROJECT_ROOT, "package.json"), path.join(copy, "package.json"));
      fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
      fs.cpSync(path.join(PROJECT_ROOT, "convex"), path.join(copy, "convex"), {
        recursive: true,
        filter: (source) => !source.includes(`${path.sep}_generated`),
      });
      const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts/codegen.ts"), copy], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, CONVEX_DEPLOYMENT: "" },
      });
      expect(result.status, result.stderr).toBe(0);
      const committed = path.join(PROJECT_ROOT, "convex/_generated");
      const files = fs.readdirSync(committed).sort();
      expect(fs.readdirSync(path.join(copy, "convex/_generated")).sort()).toEqual(files);
      for (const file of files) {
        expect(fs.readFileSync(path.join(copy, "convex/_generated", file), "utf8"), file).toBe(fs.readFileSync(path.join(committed, file), "utf8"));
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});
