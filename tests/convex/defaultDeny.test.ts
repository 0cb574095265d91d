// Default deny: every function a browser can reach was built by an access wrapper, and every one is
// called here with arguments that pass its validator, as an anonymous caller (which is all a visitor
// is to an owner function) and as a signed-in identity that owns nothing. Owner functions refuse
// both, visitor functions refuse a forged session, and the functions open to everyone are exactly
// the listed ones. A new public function without a wrapper, or with the wrong one, fails here.
import { makeFunctionReference } from "convex/server";
import { ConvexError } from "convex/values";
import { describe, expect, it } from "vitest";

import { accessOf, type Access } from "../../convex/lib/functions";
import { modules, newDeployment } from "./setup";

/** Open to every caller, each for the reason its wrapper states. */
const OPEN_TO_EVERYONE = ["activity:listPublic", "chat:settings", "images:register", "owners:me", "viewer:viewer", "visitorSessions:create"];

type ValidatorJson =
  | { type: "null" | "number" | "bigint" | "boolean" | "string" | "bytes" | "any" }
  | { type: "literal"; value: unknown }
  | { type: "id"; tableName: string }
  | { type: "array"; value: ValidatorJson }
  | { type: "record"; keys: ValidatorJson; values: { fieldType: ValidatorJson } }
  | { type: "object"; value: Record<string, { fieldType: ValidatorJson; optional: boolean }> }
  | { type: "union"; value: ValidatorJson[] };

/** The smallest value a validator accepts (ids name their table but no row). */
function sample(validator: ValidatorJson): unknown {
  switch (validator.type) {
    case "null":
    case "any":
      return null;
    case "number":
      return 0;
    case "bigint":
      return 0n;
    case "boolean":
      return false;
    case "string":
      return "x";
    case "bytes":
      return new ArrayBuffer(0);
    case "literal":
      return validator.value;
    case "id":
      return `9999${validator.tableName}`;
    case "array":
      return [];
    case "record":
      return {};
    case "object":
      return Object.fromEntries(Object.entries(validator.value).filter(([, field]) => !field.optional).map(([name, field]) => [name, sample(field.fieldType)]));
    case "union":
      return sample(validator.value[0]);
  }
}

/** A registered Convex function as its module exports it. */
type Registered = ((...args: never[]) => unknown) & { isQuery?: boolean; isMutation?: boolean; isPublic?: boolean; exportArgs(): string };
type PublicFunction = { path: string; kind: "query" | "mutation" | "action"; access: Access | undefined; args: Record<string, unknown> };

async function publicFunctions(): Promise<PublicFunction[]> {
  const found: PublicFunction[] = [];
  for (const [file, load] of Object.entries(modules)) {
    // Configuration modules define no functions (and convex.config loads component internals).
    if (/\/(convex|auth)\.config\.ts$|\/_generated\//.test(file)) continue;
    const module = (await load()) as Record<string, unknown>;
    const name = file.replace(/^\.\.\/\.\.\/convex\//, "").replace(/\.tsx?$/, "");
    for (const [exportName, value] of Object.entries(module)) {
      const fn = value as Registered | null;
      if (typeof fn !== "function" || fn.isPublic !== true) continue;
      const kind = fn.isQuery ? "query" : fn.isMutation ? "mutation" : "action";
      const args = sample(JSON.parse(fn.exportArgs()) as ValidatorJson) as Record<string, unknown>;
      found.push({ path: `${name}:${exportName}`, kind, access: accessOf(fn), args });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "allowed";
  } catch (error) {
    return error instanceof ConvexError ? String((error.data as { kind?: string }).kind) : `unexpected error: ${String(error)}`;
  }
}

type Client = Pick<ReturnType<typeof newDeployment>, "query" | "mutation" | "action">;

/** Calls the function as `client` (anonymous, or with an identity) with its sample arguments. */
function call(client: Client, fn: PublicFunction): () => Promise<unknown> {
  if (fn.kind === "query") return () => client.query(makeFunctionReference<"query">(fn.path), fn.args);
  if (fn.kind === "mutation") return () => client.mutation(makeFunctionReference<"mutation">(fn.path), fn.args);
  return () => client.action(makeFunctionReference<"action">(fn.path), fn.args);
}

const functions = await publicFunctions();

describe("default deny", () => {
  it("finds the app's public functions", () => {
    expect(functions.length).toBeGreaterThan(10);
  });

  it("builds every public function with an access wrapper", () => {
    expect(functions.filter((fn) => fn.access === undefined).map((fn) => fn.path)).toEqual([]);
  });

  it("opens exactly the listed functions to everyone", () => {
    expect(functions.filter((fn) => fn.access === "public").map((fn) => fn.path)).toEqual(OPEN_TO_EVERYONE);
  });

  it.each(functions.filter((fn) => fn.access === "owner" || fn.access === "admin").map((fn) => [fn.path, fn] as const))(
    "%s refuses an anonymous caller (a visitor, whose session token is no identity) and a signed-in identity that owns nothing",
    async (_path, fn) => {
      const t = newDeployment();
      expect(await refusal(call(t, fn))).toBe("NotSignedIn");
      expect(await refusal(call(t.withIdentity({ subject: "visitor-turned-attacker", issuer: "https://idp.test" }), fn))).toBe("NotOwner");
      const owners = await t.run(async (ctx) => await ctx.db.query("owners").collect());
      expect(owners).toEqual([]);
    },
  );

  it.each(functions.filter((fn) => fn.access === "identity").map((fn) => [fn.path, fn] as const))("%s refuses an anonymous caller", async (_path, fn) => {
    const t = newDeployment();
    expect(await refusal(call(t, fn))).toBe("NotSignedIn");
  });

  it.each(functions.filter((fn) => fn.access === "visitor").map((fn) => [fn.path, fn] as const))("%s refuses a forged session, signed in or not", async (_path, fn) => {
    const t = newDeployment();
    const forged = { ...fn, args: { ...fn.args, sessionToken: "A".repeat(43) } };
    expect(await refusal(call(t, forged))).toBe("InvalidSession");
    expect(await refusal(call(t.withIdentity({ subject: "someone", issuer: "https://idp.test" }), forged))).toBe("InvalidSession");
  });
});
