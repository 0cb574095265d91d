// Review requests for skills and MCP servers (finding MED-07, approval flooding). Every change that
// needs an owner's review files one request; up to the approvalRequests limit (10 an hour by
// default) each stands on its own, and past it requests are gathered into one open batch that the
// owner reviews together. Nothing is dropped: a batched request is still pending, its subject still
// cannot run, and the owner is told once per batch rather than once per request.
import type { Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { takeRateLimit } from "./lib/rateLimits";
import type { ActorKind, ApprovalReason } from "./lib/validators";

export type ApprovalSubjectRef = { subject: "skill"; skillId: Id<"skills"> } | { subject: "mcpServer"; mcpServerId: Id<"mcpServers"> };

/** Files a review request, superseding the subject's pending one; returns it and any batch it joined. */
export async function requestApproval(
  ctx: MutationCtx,
  ref: ApprovalSubjectRef,
  reason: ApprovalReason,
  requestedBy: ActorKind,
): Promise<{ requestId: Id<"approvalRequests">; batchId: Id<"approvalBatches"> | null }> {
  const pending =
    ref.subject === "skill"
      ? await ctx.db
          .query("approvalRequests")
          .withIndex("by_skill_and_status", (q) => q.eq("skillId", ref.skillId).eq("status", "pending"))
          .take(10)
      : await ctx.db
          .query("approvalRequests")
          .withIndex("by_mcpServer_and_status", (q) => q.eq("mcpServerId", ref.mcpServerId).eq("status", "pending"))
          .take(10);
  for (const request of pending) await ctx.db.patch("approvalRequests", request._id, { status: "superseded" });

  const limit = await takeRateLimit(ctx, "approvalRequests", { caller: { kind: "system" }, recordRefusal: false });
  const batchId = limit.ok ? null : await joinOpenBatch(ctx);
  const requestId = await ctx.db.insert("approvalRequests", { ...ref, reason, status: "pending", requestedBy, ...(batchId ? { batchId } : {}) });
  return { requestId, batchId };
}

/** The open batch with one more request in it; opening a batch is the one event the owner sees. */
async function joinOpenBatch(ctx: MutationCtx): Promise<Id<"approvalBatches">> {
  const now = Date.now();
  const open = await ctx.db
    .query("approvalBatches")
    .withIndex("by_status", (q) => q.eq("status", "open"))
    .first();
  if (open !== null) {
    await ctx.db.patch("approvalBatches", open._id, { itemCount: open.itemCount + 1, lastAddedAt: now });
    return open._id;
  }
  const batchId = await ctx.db.insert("approvalBatches", { status: "open", itemCount: 1, lastAddedAt: now });
  await ctx.db.insert("securityEvents", {
    code: "APPROVALS_BATCHED",
    severity: "medium",
    message: "More review requests than the hourly limit arrived; further ones are gathered into one batch to review together.",
    metadata: { limit: "approvalRequests" },
  });
  return batchId;
}
