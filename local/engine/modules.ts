// Loads the app's `convex/` folder and every component it installs (and theirs), the way a
// deployment does on push: each component gets its own modules, schema and database, addressed by
// its path ("" for the app, "agent", "rateLimiter/batchWorker", ...). Every module is imported at
// start-up, so no function call ever waits on module loading.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { SchemaJson } from "./database.ts";

export type ModuleExports = Record<string, unknown>;

export type ComponentNode = {
  /** "" for the app; child paths join names with "/". */
  path: string;
  dir: string;
  /** Module path without extension ("channels/slack") -> its exports. */
  modules: Map<string, ModuleExports>;
  schema: SchemaJson | null;
  children: Map<string, ComponentNode>;
};

/** A component definition object, as `defineComponent`/`defineApp` build it. */
type Definition = {
  _name?: string;
  componentDefinitionPath?: string;
  defaultName?: string;
  _childComponents: [string, Definition, unknown, string | undefined][];
};

const CONFIG_IMPORT = /import\s+(\w+)\s+from\s+["']([^"']*convex\.config(?:\.js)?)["']/g;
const APP_SKIP = new Set(["convex.config", "auth.config"]);

type DefinitionSource = { dir: string; specifier: string };

/** Loads the app in `convexDir` and its component tree. */
export async function loadApp(convexDir: string): Promise<ComponentNode> {
  const { app, definitions } = await loadAppDefinition(convexDir);
  return await loadComponent("", convexDir, app, definitions, true);
}

/** The components the app installs directly: their names and the package each comes from. */
export async function installedComponents(convexDir: string): Promise<{ name: string; specifier: string }[]> {
  const { app, definitions } = await loadAppDefinition(convexDir);
  return (app?._childComponents ?? []).map(([name, definition]) => ({ name, specifier: definitions.get(definition)!.specifier }));
}

async function loadAppDefinition(convexDir: string): Promise<{ app: Definition | null; definitions: Map<Definition, DefinitionSource> }> {
  const definitions = new Map<Definition, DefinitionSource>();
  const appConfig = path.join(convexDir, "convex.config.ts");
  if (!fs.existsSync(appConfig)) return { app: null, definitions };
  await registerComponentImports(appConfig, definitions);
  const app = ((await import(pathToFileURL(appConfig).href)) as { default: Definition }).default;
  return { app, definitions };
}

/**
 * `app.use(component)` needs the definition's folder, which the Convex CLI's bundler records.
 * Here the config file's `import x from "…/convex.config"` lines name the components; each is
 * resolved, imported and labelled with its folder before the config that uses it is evaluated.
 */
async function registerComponentImports(configFile: string, definitions: Map<Definition, DefinitionSource>): Promise<void> {
  const source = fs.readFileSync(configFile, "utf8");
  const require = createRequire(configFile);
  for (const match of source.matchAll(CONFIG_IMPORT)) {
    const resolved = require.resolve(match[2]);
    // A component's own config calls `use()` on its children when imported: label those first.
    await registerComponentImports(resolved, definitions);
    const definition = ((await import(pathToFileURL(resolved).href)) as { default: Definition }).default;
    if (definitions.has(definition)) continue;
    const dir = path.dirname(resolved);
    definition.componentDefinitionPath ??= dir;
    definition.defaultName ??= definition._name;
    definitions.set(definition, { dir, specifier: match[2] });
  }
}

async function loadComponent(
  componentPath: string,
  dir: string,
  definition: Definition | null,
  definitions: Map<Definition, DefinitionSource>,
  isApp: boolean,
): Promise<ComponentNode> {
  const modules = new Map<string, ModuleExports>();
  for (const file of listModuleFiles(dir, isApp)) {
    const modulePath = path.relative(dir, file).replace(/\\/g, "/").replace(/\.[cm]?[jt]sx?$/, "");
    if (isApp && APP_SKIP.has(modulePath)) continue;
    modules.set(modulePath, (await import(pathToFileURL(file).href)) as ModuleExports);
  }
  const schemaModule = modules.get("schema") as { default?: { export(): string } } | undefined;
  const schema = schemaModule?.default ? (JSON.parse(schemaModule.default.export()) as SchemaJson) : null;
  const children = new Map<string, ComponentNode>();
  for (const [name, child] of definition?._childComponents ?? []) {
    const childDir = definitions.get(child)?.dir;
    if (childDir === undefined) throw new Error(`Component "${name}" is used but its convex.config import was not found`);
    const childPath = componentPath === "" ? name : `${componentPath}/${name}`;
    children.set(name, await loadComponent(childPath, childDir, child, definitions, false));
  }
  return { path: componentPath, dir, modules, schema, children };
}

function listModuleFiles(dir: string, isApp: boolean): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "_generated" && entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(full);
        continue;
      }
      if (!isModuleFile(entry.name, isApp)) continue;
      files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}

function isModuleFile(name: string, isApp: boolean): boolean {
  if (name.endsWith(".d.ts") || /\.(test|spec)\.[cm]?[jt]sx?$/.test(name)) return false;
  if (name.startsWith(".")) return false;
  if (!isApp && name === "convex.config.js") return false;
  return isApp ? /\.(ts|tsx|js|mjs)$/.test(name) : /\.(js|mjs)$/.test(name);
}

/** Every component in the tree, the app first. */
export function allComponents(root: ComponentNode): ComponentNode[] {
  const out: ComponentNode[] = [root];
  for (const child of root.children.values()) out.push(...allComponents(child));
  return out;
}
