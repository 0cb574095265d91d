// The Overview's arithmetic: which hour buckets a window covers, and the sums and rankings of the
// summary rows inside it. Pure, so `dashboard.ts` only reads rows and this is tested directly.
import type { Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

import type { Doc } from "../_generated/dataModel";
import { moreSevere, SEVERITY_ORDER } from "../security/eventSummary";
import { bucketStartOf } from "../security/invocationSummary";
import { SUMMARY_BUCKET_MS, type CheckCode, type SecurityEventCode, type Severity } from "./validators";

export const vOverviewWindow = literals("24h", "7d");
export type OverviewWindow = Infer<typeof vOverviewWindow>;

/** Hour buckets each window sums, the current (still filling) hour included. */
export const WINDOW_HOURS: Readonly<Record<OverviewWindow, number>> = { "24h": 24, "7d": 7 * 24 };

/** Entries in each ranked list: the Overview shows the few that matter, the Activity page the rest. */
export const OVERVIEW_TOP_N = 5;

/** The first and last bucket starts of a window ending in the hour of `now`. */
export function windowBuckets(window: OverviewWindow, now: number): { first: number; last: number; hours: number } {
  const hours = WINDOW_HOURS[window];
  const last = bucketStartOf(now);
  return { first: last - (hours - 1) * SUMMARY_BUCKET_MS, last, hours };
}

export type CodeCount<C extends string> = { code: C; count: number };

/** Codes by count, most first; ties in code order, so the list does not reshuffle between renders. */
export function rankCodes<C extends string>(counts: ReadonlyMap<C, number>, topN: number): CodeCount<C>[] {
  return [...counts]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, topN);
}

function addTo<C>(counts: Map<C, number>, code: C, count: number): void {
  counts.set(code, (counts.get(code) ?? 0) + count);
}

type InvocationRow = Pick<Doc<"skillInvocationSummary">, "total" | "ok" | "denied" | "failed" | "rateLimited" | "codeCounts">;

export type InvocationTotals = Pick<InvocationRow, "total" | "ok" | "denied" | "failed" | "rateLimited">;

/** The "all" rows of a window added up, with the most frequent failure codes (every code but OK). */
export function sumInvocations(rows: readonly InvocationRow[], topN: number): { totals: InvocationTotals; topFailureCodes: CodeCount<CheckCode>[] } {
  const totals: InvocationTotals = { total: 0, ok: 0, denied: 0, failed: 0, rateLimited: 0 };
  const codes = new Map<CheckCode, number>();
  for (const row of rows) {
    totals.total += row.total;
    totals.ok += row.ok;
    totals.denied += row.denied;
    totals.failed += row.failed;
    totals.rateLimited += row.rateLimited;
    for (const { code, count } of row.codeCounts) addTo(codes, code, count);
  }
  return { totals, topFailureCodes: rankCodes(codes, topN) };
}

type EventRow = Pick<Doc<"securityEventSummary">, "code" | "count" | "maxSeverity">;

export type SecurityEventTotals = {
  total: number;
  /** Each event under the highest severity its code reached in its hour (a code has one in practice). */
  bySeverity: Record<Severity, number>;
  topCodes: (CodeCount<SecurityEventCode> & { maxSeverity: Severity })[];
  rateLimitHits: { total: number; byCode: CodeCount<SecurityEventCode>[] };
};

/** Whether an event is a rate limit's refusal: every limit's code starts so (see RATE_LIMIT_DEFAULTS). */
export function isRateLimitCode(code: SecurityEventCode): boolean {
  return code.startsWith("RATE_LIMIT_");
}

/** The hour-and-code rows of a window added up: by severity, by code, and the rate-limit refusals. */
export function sumSecurityEvents(rows: readonly EventRow[], topN: number): SecurityEventTotals {
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((severity) => [severity, 0])) as Record<Severity, number>;
  const codes = new Map<SecurityEventCode, number>();
  const severities = new Map<SecurityEventCode, Severity>();
  const rateLimits = new Map<SecurityEventCode, number>();
  let total = 0;
  for (const row of rows) {
    total += row.count;
    bySeverity[row.maxSeverity] += row.count;
    addTo(codes, row.code, row.count);
    const seen = severities.get(row.code);
    severities.set(row.code, seen === undefined ? row.maxSeverity : moreSevere(seen, row.maxSeverity));
    if (isRateLimitCode(row.code)) addTo(rateLimits, row.code, row.count);
  }
  const rateLimitTotal = [...rateLimits.values()].reduce((sum, count) => sum + count, 0);
  return {
    total,
    bySeverity,
    topCodes: rankCodes(codes, topN).map((entry) => ({ ...entry, maxSeverity: severities.get(entry.code)! })),
    // Every limit that refused anything: there are only a dozen limits, so none is cut.
    rateLimitHits: { total: rateLimitTotal, byCode: rankCodes(rateLimits, rateLimits.size) },
  };
}

/**
 * How fresh the numbers are: the older of the aggregations' last runs, since the page shows both.
 * Null until every aggregation has run once.
 */
export function lastAggregatedAt(watermarks: readonly (Pick<Doc<"summaryWatermarks">, "lastRunAt"> | null)[]): number | null {
  let oldest: number | null = null;
  for (const watermark of watermarks) {
    if (watermark === null) return null;
    oldest = oldest === null ? watermark.lastRunAt : Math.min(oldest, watermark.lastRunAt);
  }
  return oldest;
}
