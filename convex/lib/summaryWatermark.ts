// The hourly summaries are counted from append-only log tables in batches behind a watermark: the
// creation time of the last row counted, kept per aggregation in summaryWatermarks.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { AggregationName } from "./validators";

type LogTable = "skillInvocationLog" | "securityEvents";

export async function watermarkOf(ctx: QueryCtx, name: AggregationName): Promise<Doc<"summaryWatermarks"> | null> {
  return await ctx.db
    .query("summaryWatermarks")
    .withIndex("by_name", (q) => q.eq("name", name))
    .unique();
}

/**
 * Hands `count` the rows of `table` written since the watermark, then advances the watermark in the
 * same transaction, so a row is counted once even if runs overlap or repeat. Reports whether a
 * backlog remains, for the caller to schedule its next run.
 */
export async function countSinceWatermark<T extends LogTable>(
  ctx: MutationCtx,
  name: AggregationName,
  table: T,
  batch: number,
  count: (rows: Doc<T>[]) => Promise<void>,
): Promise<{ rows: number; more: boolean }> {
  const watermark = await watermarkOf(ctx, name);
  const after = watermark?.throughCreationTime ?? 0;
  const rows: Doc<T>[] = await ctx.db
    .query(table)
    // Every table's _creationTime is a number, but Convex's index types cannot see that through a
    // generic table name.
    .withIndex("by_creation_time", (q) => q.gt("_creationTime", after as Doc<T>["_creationTime"]))
    .take(batch);
  // A batch never ends part-way through rows that share a creation time: the watermark is a time,
  // and the next run starts strictly after it.
  if (rows.length === batch) {
    const last = rows[rows.length - 1]._creationTime;
    const seen = new Set(rows.map((row) => row._id));
    const sameTime = await ctx.db
      .query(table)
      .withIndex("by_creation_time", (q) => q.eq("_creationTime", last))
      .take(batch);
    rows.push(...sameTime.filter((row) => !seen.has(row._id)));
  }
  await count(rows);
  const through = rows.length > 0 ? rows[rows.length - 1]._creationTime : after;
  const fields = { throughCreationTime: through, lastRunAt: Date.now(), lastRunRows: rows.length };
  if (watermark === null) await ctx.db.insert("summaryWatermarks", { name, ...fields });
  else await ctx.db.patch("summaryWatermarks", watermark._id, fields);
  return { rows: rows.length, more: rows.length >= batch };
}
