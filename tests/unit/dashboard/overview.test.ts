// The Overview's arithmetic: the hours a window covers, totals and rankings of summary rows, and
// how fresh the numbers are. The rows are summary rows as the aggregation crons write them.
import { describe, expect, it } from "vitest";

import { lastAggregatedAt, rankCodes, sumInvocations, sumSecurityEvents, windowBuckets } from "../../../convex/lib/overview";
import type { CheckCode, SecurityEventCode, Severity } from "../../../convex/lib/validators";

const HOUR = 3_600_000;

const invocationRow = (fields: { total: number; ok: number; denied: number; failed: number; rateLimited: number }, codeCounts: { code: CheckCode; count: number }[] = []) => ({ ...fields, codeCounts });
const eventRow = (code: SecurityEventCode, count: number, maxSeverity: Severity) => ({ code, count, maxSeverity });

describe("overview windows", () => {
  it("cover 24 or 168 hour buckets ending with the current hour", () => {
    const now = 1000 * HOUR + 25 * 60_000;
    expect(windowBuckets("24h", now)).toEqual({ first: 977 * HOUR, last: 1000 * HOUR, hours: 24 });
    expect(windowBuckets("7d", now)).toEqual({ first: 833 * HOUR, last: 1000 * HOUR, hours: 168 });
  });

  it("start a new hour's bucket on the hour", () => {
    expect(windowBuckets("24h", 1000 * HOUR).last).toBe(1000 * HOUR);
    expect(windowBuckets("24h", 1000 * HOUR - 1).last).toBe(999 * HOUR);
  });
});

describe("overview totals", () => {
  it("add up invocation rows and rank failure codes across hours", () => {
    const { totals, topFailureCodes } = sumInvocations(
      [
        invocationRow({ total: 10, ok: 6, denied: 3, failed: 1, rateLimited: 2 }, [
          { code: "RATE_LIMIT_SKILL", count: 2 },
          { code: "DOMAIN_NOT_ALLOWED", count: 1 },
          { code: "TIMEOUT", count: 1 },
        ]),
        invocationRow({ total: 5, ok: 2, denied: 1, failed: 2, rateLimited: 0 }, [
          { code: "TIMEOUT", count: 2 },
          { code: "SKILL_NOT_FOUND", count: 1 },
        ]),
      ],
      3,
    );
    expect(totals).toEqual({ total: 15, ok: 8, denied: 4, failed: 3, rateLimited: 2 });
    expect(topFailureCodes).toEqual([
      { code: "TIMEOUT", count: 3 },
      { code: "RATE_LIMIT_SKILL", count: 2 },
      { code: "DOMAIN_NOT_ALLOWED", count: 1 },
    ]);
  });

  it("are all zero with no rows", () => {
    expect(sumInvocations([], 5)).toEqual({ totals: { total: 0, ok: 0, denied: 0, failed: 0, rateLimited: 0 }, topFailureCodes: [] });
    expect(sumSecurityEvents([], 5)).toEqual({
      total: 0,
      bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
      topCodes: [],
      rateLimitHits: { total: 0, byCode: [] },
    });
  });

  it("count security events by severity and code, keeping each code's highest severity", () => {
    const events = sumSecurityEvents(
      [
        eventRow("AUTH_SIGNIN_FAILED", 4, "medium"),
        eventRow("RATE_LIMIT_CHAT_SESSION", 7, "low"),
        eventRow("AUTH_SIGNIN_FAILED", 2, "high"),
        eventRow("ADDRESS_BLOCKED", 1, "critical"),
        eventRow("RATE_LIMIT_SKILL", 3, "low"),
      ],
      2,
    );
    expect(events.total).toBe(17);
    expect(events.bySeverity).toEqual({ info: 0, low: 10, medium: 4, high: 2, critical: 1 });
    expect(events.topCodes).toEqual([
      { code: "RATE_LIMIT_CHAT_SESSION", count: 7, maxSeverity: "low" },
      { code: "AUTH_SIGNIN_FAILED", count: 6, maxSeverity: "high" },
    ]);
  });

  it("count as rate-limit hits exactly the RATE_LIMIT_* events, every limit listed", () => {
    const { rateLimitHits } = sumSecurityEvents(
      [
        eventRow("RATE_LIMIT_CHAT_SESSION", 7, "low"),
        eventRow("RATE_LIMIT_SKILL", 3, "low"),
        eventRow("RATE_LIMIT_AUTH", 1, "low"),
        eventRow("RATE_LIMIT_SKILL", 4, "low"),
        eventRow("AUTH_LOCKED_OUT", 9, "high"),
        eventRow("APPROVALS_BATCHED", 2, "medium"),
      ],
      1,
    );
    expect(rateLimitHits).toEqual({
      total: 15,
      byCode: [
        { code: "RATE_LIMIT_CHAT_SESSION", count: 7 },
        { code: "RATE_LIMIT_SKILL", count: 7 },
        { code: "RATE_LIMIT_AUTH", count: 1 },
      ],
    });
  });

  it("rank ties in code order and keep only the top N", () => {
    const counts = new Map<string, number>([
      ["B", 2],
      ["A", 2],
      ["C", 5],
      ["D", 1],
    ]);
    expect(rankCodes(counts, 3)).toEqual([
      { code: "C", count: 5 },
      { code: "A", count: 2 },
      { code: "B", count: 2 },
    ]);
  });
});

describe("overview freshness", () => {
  it("is the older aggregation's last run, and unknown until both have run", () => {
    expect(lastAggregatedAt([{ lastRunAt: 5_000 }, { lastRunAt: 3_000 }])).toBe(3_000);
    expect(lastAggregatedAt([{ lastRunAt: 5_000 }, null])).toBeNull();
    expect(lastAggregatedAt([null, null])).toBeNull();
  });
});
