// Makes in-process functions behave as they would in a Convex deployment where it matters for
// correctness: `console.*` output becomes the function's log lines (printed with its name), and
// queries and mutations cannot use `fetch` or timers, which a deployment does not offer them.
import { format } from "node:util";

import { executionContext } from "./context.ts";

const LEVELS = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;

let installed = false;

/** Installs the console capture and the transaction guards once per process. */
export function installSandbox(): void {
  if (installed) return;
  installed = true;
  for (const [method, level] of Object.entries(LEVELS) as [keyof typeof LEVELS, string][]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const context = executionContext.getStore();
      if (context) context.logLines.push(`[${level}] ${format(...args)}`);
      else original(...args);
    };
  }
  guard("fetch");
  guard("setTimeout");
  guard("setInterval");
}

function guard(name: "fetch" | "setTimeout" | "setInterval"): void {
  const original = globalThis[name] as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const kind = executionContext.getStore()?.kind;
    if (kind === "query" || kind === "mutation") {
      throw new Error(`\`${name}\` is not supported in Convex queries or mutations. Move this code to an action.`);
    }
    return original.apply(this, args);
  };
  Object.assign(wrapped, original);
  (globalThis as Record<string, unknown>)[name] = wrapped;
}

/** Writes a line of the runtime's own output, bypassing the function log capture. */
export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
