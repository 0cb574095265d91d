// Counting security events into hour-and-code summary rows, as the aggregation cron does.
import { describe, expect, it } from "vitest";

import { aggregateEvents, mergeEventSummary, moreSevere } from "../../../convex/security/eventSummary";

const HOUR = 3_600_000;

describe("security event summaries", () => {
  it("group events by hour and code, counting each and keeping the highest severity", () => {
    const groups = aggregateEvents([
      { _creationTime: HOUR + 1, code: "AUTH_SIGNIN_FAILED", severity: "medium" },
      { _creationTime: HOUR + 2, code: "AUTH_SIGNIN_FAILED", severity: "high" },
      { _creationTime: HOUR + 3, code: "AUTH_SIGNIN_FAILED", severity: "low" },
      { _creationTime: HOUR + 4, code: "RATE_LIMIT_SKILL", severity: "low" },
      { _creationTime: 2 * HOUR, code: "AUTH_SIGNIN_FAILED", severity: "info" },
    ]);
    expect([...groups.values()]).toEqual([
      { bucketStart: HOUR, code: "AUTH_SIGNIN_FAILED", count: 3, maxSeverity: "high" },
      { bucketStart: HOUR, code: "RATE_LIMIT_SKILL", count: 1, maxSeverity: "low" },
      { bucketStart: 2 * HOUR, code: "AUTH_SIGNIN_FAILED", count: 1, maxSeverity: "info" },
    ]);
  });

  it("merge a batch into a stored row without lowering its severity", () => {
    expect(mergeEventSummary({ count: 4, maxSeverity: "critical" }, { count: 2, maxSeverity: "low" })).toEqual({ count: 6, maxSeverity: "critical" });
    expect(mergeEventSummary({ count: 1, maxSeverity: "info" }, { count: 1, maxSeverity: "medium" })).toEqual({ count: 2, maxSeverity: "medium" });
  });

  it("order severities info < low < medium < high < critical", () => {
    expect(moreSevere("info", "low")).toBe("low");
    expect(moreSevere("critical", "high")).toBe("critical");
    expect(moreSevere("medium", "medium")).toBe("medium");
  });
});
