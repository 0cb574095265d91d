"use node";
// The one way a skill runs. Every caller (the agent's tool calls, SyncBoard's dry run, MCP clients)
// calls `invoke` with the same request and nothing else: the security checker admits the call and
// returns the plan to run it with, the work runs under the skill's time limit with only the hosts
// the checker allowed, the output's size is checked, and the checker records how it ended. A Node
// action because outbound requests need DNS to check and pin the address they connect to.
import { v, type Infer } from "convex/values";

import { internal } from "../_generated/api";
import { internalAction } from "../lib/functions";
import { LIMITS, vCheckCode, type CheckFailureCode } from "../lib/validators";
import { vInvocationRequest, type ExecutionPlan } from "../security/checker";
import { checkMessage, outputFailure } from "../security/checks";
import { scrubText } from "../security/redact";
import { withDeadline } from "./deadline";
import { executeSkill, type RunResult } from "./execute";

export const vInvocationResult = v.union(
  v.object({ ok: v.literal(true), output: v.string() }),
  v.object({ ok: v.literal(false), code: vCheckCode, message: v.string() }),
);
export type InvocationResult = Infer<typeof vInvocationResult>;

export const invoke = internalAction({
  args: vInvocationRequest,
  returns: vInvocationResult,
  handler: async (ctx, request): Promise<InvocationResult> => {
    const started = Date.now();
    const admission = await ctx.runMutation(internal.security.checker.admit, request);
    if (!admission.admitted) return { ok: false, code: admission.code, message: admission.message };
    const plan: ExecutionPlan = admission.plan;

    // Secret values read during the run, so every copy of the output is scrubbed of them.
    const secretValues: string[] = [];
    let result: RunResult;
    try {
      const run = await withDeadline((signal) => executeSkill(ctx, plan, JSON.parse(request.inputJson) as unknown, { signal, caller: request.caller, secretValues }), plan.timeoutMs);
      result = run.timedOut ? failure("TIMEOUT") : run.value;
    } catch {
      // The error may carry anything the skill saw; the log gets the code, never its text.
      result = failure("EXECUTION_FAILED");
    }

    let output: string | undefined;
    let outputBytes: number | undefined;
    if (result.ok) {
      outputBytes = new TextEncoder().encode(result.output).length;
      const tooLarge = outputFailure(outputBytes, plan.maxOutputBytes);
      if (tooLarge) result = failure(tooLarge);
      else output = scrubText(result.output, secretValues);
    }
    // Long outputs go to file storage; the log row keeps a preview and the file's id.
    const outputStorageId =
      output !== undefined && output.length > LIMITS.logOutputPreviewChars ? await ctx.storage.store(new Blob([output], { type: "text/plain" })) : undefined;

    await ctx.runMutation(internal.security.checker.record, {
      request,
      skillId: plan.skillId,
      code: result.ok ? "OK" : result.code,
      durationMs: Date.now() - started,
      ...(output !== undefined ? { output } : {}),
      ...(outputBytes !== undefined ? { outputBytes } : {}),
      ...(outputStorageId !== undefined ? { outputStorageId } : {}),
      ...(!result.ok ? { errorMessage: result.message } : {}),
      ...(!result.ok && result.refusedHost !== undefined ? { refusedHost: result.refusedHost } : {}),
    });
    return result.ok ? { ok: true, output: output! } : { ok: false, code: result.code, message: result.message };
  },
});

function failure(code: CheckFailureCode): RunResult {
  return { ok: false, code, message: checkMessage(code) };
}
