// Counting skill invocation log rows into hourly summary buckets. Pure: the cron in
// `summaries.ts` reads a batch of rows, hands them here, and writes back what this returns, so the
// arithmetic (which bucket, which scopes, which counters) is tested without a database.
import type { Doc, Id } from "../_generated/dataModel";
import { SUMMARY_BUCKET_MS, type CheckCode } from "../lib/validators";

/** The counters of one summary row. */
export type SummaryCounts = Pick<
  Doc<"skillInvocationSummary">,
  "total" | "ok" | "denied" | "failed" | "rateLimited" | "timeouts" | "durationMsTotal" | "durationMsMax" | "codeCounts"
>;

/** Which summary row a log row counts towards; a row counts towards "all" and its target's row. */
export type SummaryKey =
  | { scope: "all"; bucketStart: number }
  | { scope: "skill"; bucketStart: number; skillId: Id<"skills"> }
  | { scope: "mcpServer"; bucketStart: number; mcpServerId: Id<"mcpServers"> };

/** The start of the hour bucket a time falls in. */
export function bucketStartOf(time: number): number {
  return Math.floor(time / SUMMARY_BUCKET_MS) * SUMMARY_BUCKET_MS;
}

export function emptyCounts(): SummaryCounts {
  return { total: 0, ok: 0, denied: 0, failed: 0, rateLimited: 0, timeouts: 0, durationMsTotal: 0, durationMsMax: 0, codeCounts: [] };
}

type LogRow = Pick<Doc<"skillInvocationLog">, "_creationTime" | "skillId" | "mcpServerId" | "outcome" | "code" | "durationMs">;

/** The summary rows one log row counts towards. */
export function keysOf(row: LogRow): SummaryKey[] {
  const bucketStart = bucketStartOf(row._creationTime);
  const keys: SummaryKey[] = [{ scope: "all", bucketStart }];
  if (row.skillId !== undefined) keys.push({ scope: "skill", bucketStart, skillId: row.skillId });
  if (row.mcpServerId !== undefined) keys.push({ scope: "mcpServer", bucketStart, mcpServerId: row.mcpServerId });
  return keys;
}

/** Adds one log row to a row's counters, returning new counters. */
export function addRow(counts: SummaryCounts, row: LogRow): SummaryCounts {
  return {
    total: counts.total + 1,
    ok: counts.ok + (row.outcome === "ok" ? 1 : 0),
    denied: counts.denied + (row.outcome === "denied" ? 1 : 0),
    failed: counts.failed + (row.outcome === "failed" ? 1 : 0),
    rateLimited: counts.rateLimited + (row.code.startsWith("RATE_LIMIT_") ? 1 : 0),
    timeouts: counts.timeouts + (row.code === "TIMEOUT" ? 1 : 0),
    durationMsTotal: counts.durationMsTotal + row.durationMs,
    durationMsMax: Math.max(counts.durationMsMax, row.durationMs),
    codeCounts: row.code === "OK" ? counts.codeCounts : bumpCode(counts.codeCounts, row.code),
  };
}

function bumpCode(codeCounts: SummaryCounts["codeCounts"], code: CheckCode): SummaryCounts["codeCounts"] {
  const found = codeCounts.some((entry) => entry.code === code);
  return found ? codeCounts.map((entry) => (entry.code === code ? { code, count: entry.count + 1 } : entry)) : [...codeCounts, { code, count: 1 }];
}

/** A stable string for a key, to group rows of one batch before writing. */
export function keyString(key: SummaryKey): string {
  return key.scope === "all" ? `all:${key.bucketStart}` : key.scope === "skill" ? `skill:${key.skillId}:${key.bucketStart}` : `mcp:${key.mcpServerId}:${key.bucketStart}`;
}

/** Groups a batch of log rows by summary row, with each group's added counters. */
export function aggregate(rows: readonly LogRow[]): Map<string, { key: SummaryKey; counts: SummaryCounts }> {
  const groups = new Map<string, { key: SummaryKey; counts: SummaryCounts }>();
  for (const row of rows) {
    for (const key of keysOf(row)) {
      const id = keyString(key);
      const group = groups.get(id) ?? { key, counts: emptyCounts() };
      group.counts = addRow(group.counts, row);
      groups.set(id, group);
    }
  }
  return groups;
}

/** Two sets of counters added together (a stored row plus a batch's group). */
export function mergeCounts(a: SummaryCounts, b: SummaryCounts): SummaryCounts {
  let codeCounts = a.codeCounts;
  for (const entry of b.codeCounts) {
    const existing = codeCounts.find((c) => c.code === entry.code);
    codeCounts = existing
      ? codeCounts.map((c) => (c.code === entry.code ? { code: c.code, count: c.count + entry.count } : c))
      : [...codeCounts, entry];
  }
  return {
    total: a.total + b.total,
    ok: a.ok + b.ok,
    denied: a.denied + b.denied,
    failed: a.failed + b.failed,
    rateLimited: a.rateLimited + b.rateLimited,
    timeouts: a.timeouts + b.timeouts,
    durationMsTotal: a.durationMsTotal + b.durationMsTotal,
    durationMsMax: Math.max(a.durationMsMax, b.durationMsMax),
    codeCounts,
  };
}
