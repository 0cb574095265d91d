// SyncBoard's Overview: invocations, failures, security events and rate-limit hits over the last
// day or week. It reads only the hourly summary tables the aggregation crons fill (at most one row
// per hour, and per hour and code), never the logs, so its cost does not grow with traffic.
import { v } from "convex/values";

import { ownerQuery } from "./lib/functions";
import { lastAggregatedAt, OVERVIEW_TOP_N, sumInvocations, sumSecurityEvents, vOverviewWindow, windowBuckets } from "./lib/overview";
import { watermarkOf } from "./lib/summaryWatermark";
import { SECURITY_EVENT_CODES, vCheckCode, vSecurityEventCode, vSeverity } from "./lib/validators";

const vCount = { count: v.number() };

const vOverview = v.object({
  window: vOverviewWindow,
  invocations: v.object({ total: v.number(), ok: v.number(), denied: v.number(), failed: v.number(), rateLimited: v.number() }),
  topFailureCodes: v.array(v.object({ code: vCheckCode, ...vCount })),
  securityEvents: v.object({
    total: v.number(),
    bySeverity: v.object({ info: v.number(), low: v.number(), medium: v.number(), high: v.number(), critical: v.number() }),
    topCodes: v.array(v.object({ code: vSecurityEventCode, ...vCount, maxSeverity: vSeverity })),
  }),
  rateLimitHits: v.object({ total: v.number(), byCode: v.array(v.object({ code: vSecurityEventCode, ...vCount })) }),
  // When the older of the two aggregations last ran; null until both have run once.
  lastAggregatedAt: v.union(v.number(), v.null()),
});

export const overview = ownerQuery({
  args: { window: vOverviewWindow },
  returns: vOverview,
  handler: async (ctx, { window }) => {
    const { first, last, hours } = windowBuckets(window, Date.now());
    const invocationRows = await ctx.db
      .query("skillInvocationSummary")
      .withIndex("by_scope_and_bucket", (q) => q.eq("scope", "all").gte("bucketStart", first).lte("bucketStart", last))
      .take(hours);
    // One row per hour and code, so this bound is what the table can hold, never a cut.
    const eventRows = await ctx.db
      .query("securityEventSummary")
      .withIndex("by_bucket_and_code", (q) => q.gte("bucketStart", first).lte("bucketStart", last))
      .take(hours * SECURITY_EVENT_CODES.length);
    // Reading the watermarks also re-runs this query after every aggregation run, which moves the
    // window along with the clock.
    const watermarks = await Promise.all((["skillInvocations", "securityEvents"] as const).map((name) => watermarkOf(ctx, name)));
    const { totals, topFailureCodes } = sumInvocations(invocationRows, OVERVIEW_TOP_N);
    const { rateLimitHits, ...securityEvents } = sumSecurityEvents(eventRows, OVERVIEW_TOP_N);
    return { window, invocations: totals, topFailureCodes, securityEvents, rateLimitHits, lastAggregatedAt: lastAggregatedAt(watermarks) };
  },
});
