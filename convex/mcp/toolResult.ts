// How a tool call to an external MCP server ends, in the skill runner's terms, so the same output
// step (cap, scrub) and the same log codes apply to it. Pure: the SDK's answer or the error it threw
// goes in, a run result comes out. An MCP server is not ours, so neither its error text nor an SDK
// error's text is passed on: either may carry internal details or words aimed at the model.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

import type { CheckFailureCode } from "../lib/validators";
import { FETCH_REFUSAL_CODES } from "../security/checks";
import type { RunResult } from "../skills/execute";
import { hostOf } from "../skills/hosts";

/**
 * Thrown by the guarded MCP fetch when the guarded fetch refused or failed a request. It travels
 * through the SDK unchanged, so the caller can log the checker's code rather than "the call failed".
 */
export class GuardedFetchError extends Error {
  readonly code: CheckFailureCode;

  constructor(code: CheckFailureCode, message: string) {
    super(message);
    this.name = "GuardedFetchError";
    this.code = code;
  }
}

/** The run result for the answer of `callTool`. */
export function toolResultOutcome(result: CallToolResult): RunResult {
  if (result.isError === true) return { ok: false, code: "EXECUTION_FAILED", message: "The MCP tool reported an error." };
  // A tool with an output schema may answer with structured content alone.
  if (result.content.length === 0 && result.structuredContent !== undefined) return { ok: true, output: JSON.stringify(result.structuredContent) };
  return { ok: true, output: toolResultText(result.content) };
}

/** The tool's answer as text: text items in order; images, audio and resources named, not passed on. */
function toolResultText(content: CallToolResult["content"]): string {
  return content.map((item) => (item.type === "text" ? item.text : `[${item.type} omitted]`)).join("\n");
}

/**
 * The run result for an error thrown while connecting or calling: a guarded refusal keeps its code
 * and message (written for owners, naming no address), with the server's host when it is a security
 * refusal; anything else is EXECUTION_FAILED with a message of our own.
 */
export function toolCallFailure(error: unknown, serverUrl: string): RunResult {
  if (!(error instanceof GuardedFetchError)) {
    return { ok: false, code: "EXECUTION_FAILED", message: "The MCP server could not be reached or did not answer as MCP expects." };
  }
  const refusedHost = FETCH_REFUSAL_CODES.has(error.code) ? hostOf(serverUrl) : null;
  return { ok: false, code: error.code, message: error.message, ...(refusedHost !== null ? { refusedHost } : {}) };
}
