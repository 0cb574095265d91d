// The cron side of the skill invocation log: an aggregation that counts each log row into the
// hourly summary table exactly once (a watermark records how far it got), and a retention job
// that deletes old log rows in bounded batches, only ever rows the aggregation has counted.
// Dashboards read the summaries; nothing that serves a page scans the log. Security events are
// counted the same way, per hour and code, into their own summary table.
import { v } from "convex/values";

import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { internalMutation } from "../lib/functions";
import { countSinceWatermark, watermarkOf } from "../lib/summaryWatermark";
import { DAY, RETENTION_DEFAULTS } from "../lib/validators";
import { aggregateEvents, mergeEventSummary, type EventSummary } from "./eventSummary";
import { aggregate, mergeCounts, type SummaryCounts, type SummaryKey } from "./invocationSummary";

/** Log rows counted per run; the next run (or the run's own follow-up) continues from there. */
export const AGGREGATION_BATCH = 500;
/** Log rows deleted per retention run. */
export const PRUNE_BATCH = 200;

const vRunResult = v.object({ rows: v.number(), more: v.boolean() });

/**
 * Counts the log rows written since the watermark into their summary rows and advances the
 * watermark in the same transaction, so a row is counted once even if runs overlap or repeat.
 * Schedules itself again while a backlog remains.
 */
export const aggregateSkillInvocations = internalMutation({
  args: {},
  returns: vRunResult,
  handler: async (ctx) => {
    const run = await countSinceWatermark(ctx, "skillInvocations", "skillInvocationLog", AGGREGATION_BATCH, async (rows) => {
      for (const { key, counts } of aggregate(rows).values()) await addToSummary(ctx, key, counts);
    });
    if (run.more) await ctx.scheduler.runAfter(0, internal.security.summaries.aggregateSkillInvocations, {});
    return run;
  },
});

async function addToSummary(ctx: MutationCtx, key: SummaryKey, counts: SummaryCounts): Promise<void> {
  let existing: Doc<"skillInvocationSummary"> | null;
  if (key.scope === "all") {
    existing = await ctx.db
      .query("skillInvocationSummary")
      .withIndex("by_scope_and_bucket", (q) => q.eq("scope", "all").eq("bucketStart", key.bucketStart))
      .unique();
  } else if (key.scope === "skill") {
    existing = await ctx.db
      .query("skillInvocationSummary")
      .withIndex("by_skill_and_bucket", (q) => q.eq("skillId", key.skillId).eq("bucketStart", key.bucketStart))
      .unique();
  } else {
    existing = await ctx.db
      .query("skillInvocationSummary")
      .withIndex("by_mcpServer_and_bucket", (q) => q.eq("mcpServerId", key.mcpServerId).eq("bucketStart", key.bucketStart))
      .unique();
  }
  if (existing === null) {
    await ctx.db.insert("skillInvocationSummary", { ...key, ...counts });
    return;
  }
  await ctx.db.patch("skillInvocationSummary", existing._id, mergeCounts(existing, counts));
}

/**
 * Deletes log rows older than the retention period (owner-set, 30 days by default), with any
 * output they kept in file storage. Only rows the aggregation has counted are deleted, so a
 * backlog in the aggregation can never lose a row from the summaries.
 */
export const pruneSkillInvocationLog = internalMutation({
  args: {},
  returns: vRunResult,
  handler: async (ctx) => {
    const setting = await ctx.db
      .query("retentionSettings")
      .withIndex("by_dataClass", (q) => q.eq("dataClass", "skillInvocationLog"))
      .unique();
    const retainDays = setting?.retainDays ?? RETENTION_DEFAULTS.skillInvocationLog;
    const watermark = await watermarkOf(ctx, "skillInvocations");
    const cutoff = Math.min(Date.now() - retainDays * DAY, watermark?.throughCreationTime ?? 0);
    const rows = await ctx.db
      .query("skillInvocationLog")
      .withIndex("by_creation_time", (q) => q.lte("_creationTime", cutoff))
      .take(PRUNE_BATCH);
    for (const row of rows) {
      if (row.outputStorageId !== undefined) await ctx.storage.delete(row.outputStorageId);
      await ctx.db.delete("skillInvocationLog", row._id);
    }
    // Only an owner's row records runs: writing one here would freeze today's default into it.
    if (setting !== null) await ctx.db.patch("retentionSettings", setting._id, { lastPrunedAt: Date.now(), lastPrunedCount: rows.length });
    const more = rows.length === PRUNE_BATCH;
    if (more) await ctx.scheduler.runAfter(0, internal.security.summaries.pruneSkillInvocationLog, {});
    return { rows: rows.length, more };
  },
});

/**
 * Counts the security events written since the watermark into their hour-and-code summary rows,
 * exactly as `aggregateSkillInvocations` counts the invocation log: the watermark moves in the same
 * transaction, a batch never splits events that share a creation time, and a backlog schedules
 * the next batch at once.
 */
export const aggregateSecurityEvents = internalMutation({
  args: {},
  returns: vRunResult,
  handler: async (ctx) => {
    const run = await countSinceWatermark(ctx, "securityEvents", "securityEvents", AGGREGATION_BATCH, async (rows) => {
      for (const group of aggregateEvents(rows).values()) await addToEventSummary(ctx, group);
    });
    if (run.more) await ctx.scheduler.runAfter(0, internal.security.summaries.aggregateSecurityEvents, {});
    return run;
  },
});

async function addToEventSummary(ctx: MutationCtx, group: EventSummary): Promise<void> {
  const existing = await ctx.db
    .query("securityEventSummary")
    .withIndex("by_bucket_and_code", (q) => q.eq("bucketStart", group.bucketStart).eq("code", group.code))
    .unique();
  if (existing === null) await ctx.db.insert("securityEventSummary", group);
  else await ctx.db.patch("securityEventSummary", existing._id, mergeEventSummary(existing, group));
}
