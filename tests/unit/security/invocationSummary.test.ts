import { describe, expect, it } from "vitest";

import type { Id } from "../../../convex/_generated/dataModel";
import { aggregate, bucketStartOf, mergeCounts } from "../../../convex/security/invocationSummary";
import type { CheckCode, InvocationOutcome } from "../../../convex/lib/validators";

const HOUR = 3_600_000;
const skillA = "skillA" as Id<"skills">;
const server = "server1" as Id<"mcpServers">;

const row = (time: number, code: CheckCode, outcome: InvocationOutcome, durationMs: number, target: { skillId?: Id<"skills">; mcpServerId?: Id<"mcpServers"> } = {}) => ({
  _creationTime: time,
  code,
  outcome,
  durationMs,
  ...target,
});

describe("invocation summaries", () => {
  it("bucket by the hour", () => {
    expect(bucketStartOf(5 * HOUR + 59_999)).toBe(5 * HOUR);
    expect(bucketStartOf(6 * HOUR)).toBe(6 * HOUR);
  });

  it("count each row into 'all' and its target's row, by outcome and code", () => {
    const groups = aggregate([
      row(HOUR + 1, "OK", "ok", 10, { skillId: skillA }),
      row(HOUR + 2, "RATE_LIMIT_SKILL", "denied", 1, { skillId: skillA }),
      row(HOUR + 3, "TIMEOUT", "failed", 10_000, { skillId: skillA }),
      row(2 * HOUR, "OK", "ok", 5, { mcpServerId: server }),
    ]);
    expect(groups.get(`all:${HOUR}`)!.counts).toEqual({
      total: 3,
      ok: 1,
      denied: 1,
      failed: 1,
      rateLimited: 1,
      timeouts: 1,
      durationMsTotal: 10_011,
      durationMsMax: 10_000,
      codeCounts: [
        { code: "RATE_LIMIT_SKILL", count: 1 },
        { code: "TIMEOUT", count: 1 },
      ],
    });
    expect(groups.get(`skill:${skillA}:${HOUR}`)!.counts.total).toBe(3);
    expect(groups.get(`mcp:${server}:${2 * HOUR}`)!.counts).toMatchObject({ total: 1, ok: 1 });
    expect(groups.get(`all:${2 * HOUR}`)!.counts.total).toBe(1);
    expect(groups.size).toBe(4);
  });

  it("add a batch to stored counters without losing a code", () => {
    const stored = aggregate([row(0, "TIMEOUT", "failed", 3)]).get("all:0")!.counts;
    const batch = aggregate([row(1, "TIMEOUT", "failed", 9), row(2, "INPUT_INVALID", "denied", 1)]).get("all:0")!.counts;
    expect(mergeCounts(stored, batch)).toMatchObject({
      total: 3,
      failed: 2,
      denied: 1,
      timeouts: 2,
      durationMsTotal: 13,
      durationMsMax: 9,
      codeCounts: [
        { code: "TIMEOUT", count: 2 },
        { code: "INPUT_INVALID", count: 1 },
      ],
    });
  });
});
