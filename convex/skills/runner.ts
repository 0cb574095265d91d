"use node";
// The one way a skill runs. Every caller (the agent's tool calls, SyncBoard's dry run, MCP clients)
// calls `invoke` with the same request and nothing else: the security checker admits the call and
// returns the plan to run it with, the work runs under the skill's time limit with only the hosts
// the checker allowed, an output image is validated and stored (or refused), the output's size is
// checked, and the checker records how it ended. A Node action because outbound requests need DNS
// to check and pin the address they connect to.
import { v, type Infer } from "convex/values";

import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { internalAction } from "../lib/functions";
import { vCheckCode } from "../lib/validators";
import { vInvocationRequest, type ExecutionPlan } from "../security/checker";
import { withDeadline } from "./deadline";
import { executeSkill } from "./execute";
import { endedRun, finish, outputNeedsFile, settle } from "./outcome";
import { settleImage } from "./outputImage";

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
    let run: Parameters<typeof settle>[0];
    try {
      run = await withDeadline((signal) => executeSkill(ctx, plan, JSON.parse(request.inputJson) as unknown, { signal, caller: request.caller, secretValues }), plan.timeoutMs);
    } catch {
      // The error may carry anything the skill saw; the log gets the code, never its text.
      run = { threw: true };
    }
    // An image is checked and stored before the output step, which then sees only its description.
    const image = await settleImage(settle(run), async ({ bytes, ...checked }) => {
      // Copied into a plain ArrayBuffer, the only backing a Blob takes.
      const storageId = await ctx.storage.store(new Blob([new Uint8Array(bytes)], { type: checked.contentType }));
      await ctx.runMutation(internal.skills.images.recordSkillOutput, {
        ...checked,
        storageId,
        bytes: bytes.length,
        caller: request.caller,
        skillId: plan.skillId,
        ...(request.threadId !== undefined ? { threadId: request.threadId } : {}),
      });
      return storageId;
    });
    const finished = finish(image.result, plan.maxOutputBytes, secretValues);
    const { result, output } = finished;
    // The log row points at the stored image and records its size. Long text outputs go to file
    // storage too; the row keeps a preview and the file's id.
    const outputBytes = image.stored?.bytes ?? finished.outputBytes;
    const outputStorageId = image.stored?.storageId ?? (outputNeedsFile(output) ? await storeOutput(ctx, output) : undefined);

    await ctx.runMutation(internal.security.checker.record, {
      request,
      skillId: plan.skillId,
      ...endedRun(result, { durationMs: Date.now() - started, output, outputBytes, outputStorageId }),
    });
    return result.ok ? { ok: true, output: output! } : { ok: false, code: result.code, message: result.message };
  },
});

/** Keeps a long output in file storage, for the log row to point at. */
export async function storeOutput(ctx: ActionCtx, output: string): Promise<Id<"_storage">> {
  return await ctx.storage.store(new Blob([output], { type: "text/plain" }));
}
