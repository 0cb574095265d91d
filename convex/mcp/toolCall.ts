"use node";
// The one way ClawSync calls a tool of an external MCP server. The checker admits the call (server
// approved and active, tool enabled, rate limit, input schema), the SDK's client talks to the server
// only through the guarded fetch limited to the server's own host, one deadline covers connecting
// and calling, the answer passes the skill runner's output step (size cap, scrub), and the checker
// records how it ended. A Node action because the guarded fetch resolves DNS to check the address.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Infer } from "convex/values";

import { internal } from "../_generated/api";
import { internalAction } from "../lib/functions";
import { vMcpToolRequest, type vMcpAdmission } from "../security/checker";
import type { RunResult } from "../skills/execute";
import { withDeadline } from "../skills/deadline";
import { endedRun, finish, outputNeedsFile, settle, type FinishedRun } from "../skills/outcome";
import { storeOutput, vInvocationResult, type InvocationResult } from "../skills/runner";
import { guardedMcpFetch, type GuardedFetchDeps } from "./guardedMcpFetch";
import { toolCallFailure, toolResultOutcome } from "./toolResult";

type McpToolPlan = Extract<Infer<typeof vMcpAdmission>, { admitted: true }>["plan"];

export const call = internalAction({
  args: vMcpToolRequest,
  returns: vInvocationResult,
  handler: async (ctx, request): Promise<InvocationResult> => {
    const started = Date.now();
    const admission = await ctx.runMutation(internal.security.checker.admitMcpToolCall, request);
    if (!admission.admitted) return { ok: false, code: admission.code, message: admission.message };
    const { plan } = admission;
    // The checker parsed the input and held it against the tool's schema, whose type MCP fixes as "object".
    const { result, output, outputBytes } = await runMcpTool(plan, JSON.parse(request.inputJson) as Record<string, unknown>);
    // Long outputs go to file storage, as a skill's do; the log row keeps a preview and the file's id.
    const outputStorageId = outputNeedsFile(output) ? await storeOutput(ctx, output) : undefined;
    await ctx.runMutation(internal.security.checker.recordMcpToolCall, {
      request,
      mcpServerId: plan.mcpServerId,
      ...endedRun(result, { durationMs: Date.now() - started, output, outputBytes, outputStorageId }),
    });
    return result.ok ? { ok: true, output: result.output } : { ok: false, code: result.code, message: result.message };
  },
});

/**
 * Calls one tool under the plan's deadline and output cap. `deps` replaces DNS and the last network
 * hop in tests only; the guarded fetch's checks run either way.
 */
export async function runMcpTool(plan: McpToolPlan, args: Record<string, unknown>, deps: GuardedFetchDeps = {}): Promise<FinishedRun> {
  const run = await withDeadline((signal) => callTool(plan, args, signal, deps), plan.timeoutMs);
  // No ClawSync secret is sent to an MCP server, so there is no known value to scrub: patterns only.
  return finish(settle(run), plan.maxOutputBytes, []);
}

async function callTool(plan: McpToolPlan, args: Record<string, unknown>, signal: AbortSignal, deps: GuardedFetchDeps): Promise<RunResult> {
  const policy = { allowedHosts: plan.allowedHosts, timeoutMs: plan.timeoutMs, maxResponseBytes: plan.maxOutputBytes };
  // The SDK's own request timeout (60 s by default) must not cut in before the plan's deadline.
  const options = { signal, timeout: plan.timeoutMs };
  const client = new Client({ name: "clawsync", version: "0.1.0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(plan.url), { fetch: guardedMcpFetch(policy, deps) }), options);
    const result = await client.callTool({ name: plan.toolName, arguments: args }, CallToolResultSchema, options);
    // callTool's type also admits the pre-2025 `toolResult` form, which its schema never returns; parsing narrows it.
    return toolResultOutcome(CallToolResultSchema.parse(result));
  } catch (error) {
    return toolCallFailure(error, plan.url);
  } finally {
    await client.close();
  }
}
