// `npm run codegen`: regenerates convex/_generated without a deployment. `convex codegen
// --system-udfs` writes fully typed files offline but leaves out the `components` export, which
// needs the component tree; this script adds it from convex/convex.config.ts. An optional argument
// names another project folder (the test that checks _generated is current uses a copy).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { PROJECT_ROOT } from "../local/config.ts";
import { installedComponents } from "../local/engine/modules.ts";

const root = path.resolve(process.argv[2] ?? PROJECT_ROOT);
const convexDir = path.join(root, "convex");
const generated = path.join(convexDir, "_generated");

const result = spawnSync("npx", ["convex", "codegen", "--system-udfs", "--typecheck", "disable"], { cwd: root, stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);

const components = await installedComponents(convexDir);
const packageOf = (specifier: string) => specifier.replace(/\/convex\.config(\.js)?$/, "");

const dts = path.join(generated, "api.d.ts");
const types = components
  .map(({ name, specifier }) => `  ${name}: import("${packageOf(specifier)}/_generated/component.js").ComponentApi<"${name}">;`)
  .join("\n");
fs.appendFileSync(dts, `\nexport declare const components: {\n${types}\n};\n`);

const js = path.join(generated, "api.js");
const source = fs.readFileSync(js, "utf8").replace('import { anyApi } from "convex/server";', 'import { anyApi, componentsGeneric } from "convex/server";');
fs.writeFileSync(js, `${source}export const components = componentsGeneric();\n`);
console.log(`convex/_generated: added components (${components.map((c) => c.name).join(", ") || "none"})`);
