// Finding a registered Convex function by path and checking its arguments and return value against
// the validators it exports, with the errors a deployment gives for unknown functions and bad input.
import { jsonToConvex, type JSONValue, type Value } from "convex/values";

import type { ComponentDatabase } from "./database.ts";
import { SystemError } from "./errors.ts";
import type { ComponentNode } from "./modules.ts";
import type { UdfType } from "./types.ts";
import { describeMismatch, findMismatch, type ValidatorJson } from "./validate.ts";

/** The shape `queryGeneric`/`mutationGeneric`/... give a registered function. */
export type RegisteredFunction = {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
  invokeQuery(argsJson: string): Promise<string>;
  invokeMutation(argsJson: string): Promise<string>;
  invokeAction(requestId: string, argsJson: string): Promise<string>;
  invokeHttpAction(request: Request): Promise<Response>;
  exportArgs(): string;
  exportReturns(): string;
};

export type ResolvedFunction = { fn: RegisteredFunction; type: UdfType; isPublic: boolean; udfPath: string };

/** "messages.js:list" and "messages:list" name the same function; "messages" means its default export. */
export function canonicalUdfPath(udfPath: string): { modulePath: string; exportName: string; canonical: string } {
  const colon = udfPath.lastIndexOf(":");
  let modulePath = colon === -1 ? udfPath : udfPath.slice(0, colon);
  const exportName = colon === -1 ? "default" : udfPath.slice(colon + 1);
  modulePath = modulePath.replace(/\.js$/, "");
  return { modulePath, exportName, canonical: `${modulePath}:${exportName}` };
}

/** The message a deployment gives for a function a caller may not see, existing or not. */
export function notFoundMessage(udfPath: string, visibility: "public" | "any"): string {
  const { canonical } = canonicalUdfPath(udfPath);
  return visibility === "public"
    ? `Could not find public function for '${canonical}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`
    : `Could not find function for '${canonical}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`;
}

/** Looks a function up; null when the module or export does not exist or is not a function. */
export function resolveFunction(component: ComponentNode, udfPath: string): ResolvedFunction | null {
  const { modulePath, exportName, canonical } = canonicalUdfPath(udfPath);
  if (modulePath.startsWith("_") || modulePath.split("/").some((part) => part === ".." || part === "")) return null;
  const exported = component.modules.get(modulePath)?.[exportName];
  // Registered functions are callables carrying `isQuery`/`isMutation`/`isAction` flags.
  if (typeof exported !== "function") return null;
  const candidate = exported as Partial<RegisteredFunction>;
  const type: UdfType | null = candidate.isQuery ? "query" : candidate.isMutation ? "mutation" : candidate.isAction ? "action" : null;
  if (type === null) return null;
  return { fn: candidate as RegisteredFunction, type, isPublic: candidate.isPublic === true, udfPath: canonical };
}

/**
 * A function's validators, parsed once: `exportArgs`/`exportReturns` serialize the validator tree
 * on every call, which for large validators (a component's message documents) costs milliseconds.
 */
const validatorCache = new WeakMap<RegisteredFunction, { args: ValidatorJson; returns: ValidatorJson | null }>();

function validatorsOf(fn: RegisteredFunction): { args: ValidatorJson; returns: ValidatorJson | null } {
  let cached = validatorCache.get(fn);
  if (!cached) {
    cached = { args: JSON.parse(fn.exportArgs()) as ValidatorJson, returns: JSON.parse(fn.exportReturns()) as ValidatorJson | null };
    validatorCache.set(fn, cached);
  }
  return cached;
}

/** Checks arguments against the function's `args` validator; returns them as Convex values. */
export function checkArgs(resolved: ResolvedFunction, argsJson: JSONValue, db: ComponentDatabase): Record<string, Value> {
  if (typeof argsJson !== "object" || argsJson === null || Array.isArray(argsJson)) {
    throw new SystemError(`ArgumentValidationError: The arguments to a Convex function must be an object. Received: ${typeof argsJson}`);
  }
  let args: Value;
  try {
    args = jsonToConvex(argsJson);
  } catch (error) {
    throw new SystemError(`ArgumentValidationError: ${(error as Error).message}`);
  }
  const validator = validatorsOf(resolved.fn).args;
  if (validator.type !== "any") {
    const mismatch = findMismatch(validator, args, (table) => db.tables.get(table)?.number);
    if (mismatch) throw new SystemError(describeMismatch("ArgumentValidationError", mismatch, args));
  }
  return args as Record<string, Value>;
}

/** Checks a result against the function's `returns` validator, when it declares one. */
export function checkReturns(resolved: ResolvedFunction, resultJson: JSONValue, db: ComponentDatabase): void {
  const validator = validatorsOf(resolved.fn).returns;
  if (validator === null) return;
  const value = jsonToConvex(resultJson);
  const mismatch = findMismatch(validator, value, (table) => db.tables.get(table)?.number);
  if (mismatch) {
    throw new SystemError(describeMismatch(`ReturnsValidationError: ${resolved.type} ${resolved.udfPath} returned a value that does not match its validator`, mismatch));
  }
}
