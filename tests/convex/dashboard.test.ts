// The Overview and the security event summary behind it: the aggregation counts every event once
// (however often it runs, in bounded batches), and the Overview answers owners only, from the
// summary tables only, for the last 24 hours or 7 days. The attacks: an anonymous caller, a
// signed-in non-owner, a removed owner, and a window or argument the query does not know.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Doc } from "../../convex/_generated/dataModel";
import { AGGREGATION_BATCH } from "../../convex/security/summaries";
import { addOwner, refusalKind, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;
type EventFields = Pick<Doc<"securityEvents">, "code" | "severity">;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(() => {
  vi.useFakeTimers();
  // Half past an hour, so "now" and "an hour ago" are in different buckets.
  vi.setSystemTime(Date.UTC(2025, 5, 10, 12, 30));
});

afterEach(() => {
  vi.useRealTimers();
});

const ada = (t: Deployment) => signedInAs(t, "ada");

async function addEvents(t: Deployment, events: EventFields[]): Promise<void> {
  await t.run(async (ctx) => {
    for (const event of events) await ctx.db.insert("securityEvents", { ...event, message: "A test event." });
  });
}

async function addInvocation(t: Deployment, fields: Pick<Doc<"skillInvocationLog">, "code" | "outcome">): Promise<void> {
  await t.run(async (ctx) => {
    await ctx.db.insert("skillInvocationLog", {
      target: "skill",
      skillName: "calculator",
      caller: { kind: "system" },
      channel: "web",
      inputRedacted: "{}",
      durationMs: 4,
      dryRun: false,
      ...fields,
    });
  });
}

async function aggregateBoth(t: Deployment): Promise<void> {
  await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
  await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
}

async function eventSummaries(t: Deployment) {
  const rows = await t.run(async (ctx) => await ctx.db.query("securityEventSummary").collect());
  return rows.map(({ bucketStart, code, count, maxSeverity }) => ({ bucketStart, code, count, maxSeverity })).sort((a, b) => a.bucketStart - b.bucketStart || a.code.localeCompare(b.code));
}

/** Every table the Overview or the aggregation could touch. */
async function everything(t: Deployment) {
  return await t.run(async (ctx) => ({
    owners: await ctx.db.query("owners").collect(),
    events: await ctx.db.query("securityEvents").collect(),
    log: await ctx.db.query("skillInvocationLog").collect(),
    eventSummaries: await ctx.db.query("securityEventSummary").collect(),
    invocationSummaries: await ctx.db.query("skillInvocationSummary").collect(),
    watermarks: await ctx.db.query("summaryWatermarks").collect(),
  }));
}

const thisHour = () => Math.floor(Date.now() / HOUR) * HOUR;

describe("security event aggregation", () => {
  it("counts each event once, however often it runs", async () => {
    const t = newDeployment();
    await addEvents(t, [
      { code: "AUTH_SIGNIN_FAILED", severity: "medium" },
      { code: "AUTH_SIGNIN_FAILED", severity: "medium" },
      { code: "RATE_LIMIT_CHAT_SESSION", severity: "low" },
    ]);
    expect(await t.mutation(internal.security.summaries.aggregateSecurityEvents, {})).toEqual({ rows: 3, more: false });
    expect(await t.mutation(internal.security.summaries.aggregateSecurityEvents, {})).toEqual({ rows: 0, more: false });
    expect(await eventSummaries(t)).toEqual([
      { bucketStart: thisHour(), code: "AUTH_SIGNIN_FAILED", count: 2, maxSeverity: "medium" },
      { bucketStart: thisHour(), code: "RATE_LIMIT_CHAT_SESSION", count: 1, maxSeverity: "low" },
    ]);
    // A later event of the same hour and code is added to the same row, once.
    vi.advanceTimersByTime(60_000);
    await addEvents(t, [{ code: "AUTH_SIGNIN_FAILED", severity: "medium" }]);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    expect((await eventSummaries(t)).find((row) => row.code === "AUTH_SIGNIN_FAILED")).toMatchObject({ count: 3 });
    const watermark = await t.run(async (ctx) => await ctx.db.query("summaryWatermarks").withIndex("by_name", (q) => q.eq("name", "securityEvents")).unique());
    expect(watermark).toMatchObject({ lastRunAt: Date.now(), lastRunRows: 0 });
  });

  it("keeps the highest severity an hour's events of a code reached, across runs", async () => {
    const t = newDeployment();
    await addEvents(t, [{ code: "AUTH_LOCKED_OUT", severity: "medium" }]);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    await addEvents(t, [
      { code: "AUTH_LOCKED_OUT", severity: "critical" },
      { code: "AUTH_LOCKED_OUT", severity: "low" },
    ]);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    await addEvents(t, [{ code: "AUTH_LOCKED_OUT", severity: "info" }]);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    expect(await eventSummaries(t)).toEqual([{ bucketStart: thisHour(), code: "AUTH_LOCKED_OUT", count: 4, maxSeverity: "critical" }]);
  });

  it("counts events into the hour they happened in", async () => {
    const t = newDeployment();
    await addEvents(t, [{ code: "ORIGIN_REJECTED", severity: "medium" }]);
    const first = thisHour();
    vi.advanceTimersByTime(HOUR);
    await addEvents(t, [{ code: "ORIGIN_REJECTED", severity: "high" }]);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    expect(await eventSummaries(t)).toEqual([
      { bucketStart: first, code: "ORIGIN_REJECTED", count: 1, maxSeverity: "medium" },
      { bucketStart: first + HOUR, code: "ORIGIN_REJECTED", count: 1, maxSeverity: "high" },
    ]);
  });

  it("works through a backlog in bounded batches, rescheduling itself until every event is counted", async () => {
    const t = newDeployment();
    const backlog = 2 * AGGREGATION_BATCH + 7;
    await addEvents(t, Array.from({ length: backlog }, (_, i) => ({ code: i % 2 === 0 ? "RATE_LIMIT_AUTH" : "SESSION_INVALID", severity: "low" }) as const));
    // One run counts one batch and leaves the rest to the run it schedules.
    expect(await t.mutation(internal.security.summaries.aggregateSecurityEvents, {})).toEqual({ rows: AGGREGATION_BATCH, more: true });
    expect((await eventSummaries(t)).reduce((sum, row) => sum + row.count, 0)).toBe(AGGREGATION_BATCH);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const rows = await eventSummaries(t);
    expect(rows.map(({ code, count }) => ({ code, count }))).toEqual([
      { code: "RATE_LIMIT_AUTH", count: AGGREGATION_BATCH + 4 },
      { code: "SESSION_INVALID", count: AGGREGATION_BATCH + 3 },
    ]);
    // The follow-ups stopped once the backlog was gone; a further run finds nothing new.
    expect(await t.mutation(internal.security.summaries.aggregateSecurityEvents, {})).toEqual({ rows: 0, more: false });
    expect((await eventSummaries(t)).reduce((sum, row) => sum + row.count, 0)).toBe(backlog);
  });
});

describe("the overview", () => {
  it("shows invocations, failures, security events and rate-limit hits from a real skill's calls", async () => {
    const t = newDeployment();
    await addOwner(t);
    await t.run(async (ctx) => {
      await ctx.db.insert("skills", {
        name: "calculator",
        displayName: "Calculator",
        description: "Evaluates arithmetic.",
        type: "template",
        approvalStatus: "approved",
        status: "active",
        configVersion: 1,
        approvedConfigVersion: 1,
        inputSchemaJson: JSON.stringify({ type: "object", properties: { expression: { type: "string" } }, required: ["expression"] }),
        template: { templateKey: "calculator", configJson: "{}", templateVersion: 1 },
        timeoutMs: 10_000,
        maxOutputBytes: 50 * 1024,
        rateLimit: { kind: "fixed window", rate: 1, period: 60_000 },
        updatedAt: Date.now(),
      });
    });
    const invoke = (skillName: string) =>
      t.action(internal.skills.runner.invoke, { skillName, inputJson: JSON.stringify({ expression: "1 + 1" }), caller: { kind: "system" }, channel: "web", dryRun: false });
    await invoke("calculator");
    await invoke("calculator");
    await invoke("missing");
    await aggregateBoth(t);
    const overview = await ada(t).query(api.dashboard.overview, { window: "24h" });
    expect(overview).toEqual({
      window: "24h",
      invocations: { total: 3, ok: 1, denied: 2, failed: 0, rateLimited: 1 },
      topFailureCodes: [
        { code: "RATE_LIMIT_SKILL", count: 1 },
        { code: "SKILL_NOT_FOUND", count: 1 },
      ],
      securityEvents: {
        total: 2,
        bySeverity: { info: 0, low: 2, medium: 0, high: 0, critical: 0 },
        topCodes: [
          { code: "RATE_LIMIT_SKILL", count: 1, maxSeverity: "low" },
          { code: "SKILL_NOT_FOUND", count: 1, maxSeverity: "low" },
        ],
      },
      rateLimitHits: { total: 1, byCode: [{ code: "RATE_LIMIT_SKILL", count: 1 }] },
      lastAggregatedAt: Date.now(),
    });
  });

  it("reads the summaries, never the logs: nothing counts until the aggregation has run", async () => {
    const t = newDeployment();
    await addOwner(t);
    await addInvocation(t, { code: "OK", outcome: "ok" });
    await addEvents(t, [{ code: "HOST_HEADER_REJECTED", severity: "high" }]);
    const before = await ada(t).query(api.dashboard.overview, { window: "7d" });
    expect(before.invocations.total).toBe(0);
    expect(before.securityEvents.total).toBe(0);
    expect(before.lastAggregatedAt).toBeNull();
    // Only one aggregation has run: the numbers it made show, but freshness waits for both.
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    const half = await ada(t).query(api.dashboard.overview, { window: "7d" });
    expect(half.invocations.total).toBe(1);
    expect(half.securityEvents.total).toBe(0);
    expect(half.lastAggregatedAt).toBeNull();
    vi.advanceTimersByTime(2 * 60_000);
    await t.mutation(internal.security.summaries.aggregateSecurityEvents, {});
    const after = await ada(t).query(api.dashboard.overview, { window: "7d" });
    expect(after.securityEvents).toMatchObject({ total: 1, bySeverity: { high: 1 } });
    // The older of the two runs is how fresh the page can claim to be.
    expect(after.lastAggregatedAt).toBe(Date.now() - 2 * 60_000);
  });

  it("sums the last 24 hours or the last 7 days, and nothing older", async () => {
    const t = newDeployment();
    const start = Date.now();
    // Eight days ago, three days ago, 23 hours ago and now, oldest first (creation times only grow).
    vi.setSystemTime(start - 8 * DAY);
    await addEvents(t, [{ code: "RATE_LIMIT_GLOBAL", severity: "low" }]);
    await addInvocation(t, { code: "TIMEOUT", outcome: "failed" });
    vi.setSystemTime(start - 3 * DAY);
    await addEvents(t, [{ code: "RATE_LIMIT_GLOBAL", severity: "low" }]);
    await addInvocation(t, { code: "TIMEOUT", outcome: "failed" });
    vi.setSystemTime(start - 23 * HOUR);
    await addEvents(t, [{ code: "RATE_LIMIT_VOICE", severity: "low" }]);
    await addInvocation(t, { code: "OK", outcome: "ok" });
    vi.setSystemTime(start);
    await addEvents(t, [{ code: "ANOMALY_CREDENTIAL_HARVESTING", severity: "critical" }]);
    await addOwner(t);
    await aggregateBoth(t);
    const day = await ada(t).query(api.dashboard.overview, { window: "24h" });
    expect(day.invocations).toEqual({ total: 1, ok: 1, denied: 0, failed: 0, rateLimited: 0 });
    expect(day.topFailureCodes).toEqual([]);
    expect(day.securityEvents.total).toBe(2);
    expect(day.rateLimitHits).toEqual({ total: 1, byCode: [{ code: "RATE_LIMIT_VOICE", count: 1 }] });
    const week = await ada(t).query(api.dashboard.overview, { window: "7d" });
    expect(week.invocations).toEqual({ total: 2, ok: 1, denied: 0, failed: 1, rateLimited: 0 });
    expect(week.topFailureCodes).toEqual([{ code: "TIMEOUT", count: 1 }]);
    expect(week.securityEvents.bySeverity).toEqual({ info: 0, low: 2, medium: 0, high: 0, critical: 1 });
    expect(week.rateLimitHits.total).toBe(2);
  });

  it("answers an empty deployment with zeros", async () => {
    const t = newDeployment();
    await addOwner(t);
    expect(await ada(t).query(api.dashboard.overview, { window: "24h" })).toEqual({
      window: "24h",
      invocations: { total: 0, ok: 0, denied: 0, failed: 0, rateLimited: 0 },
      topFailureCodes: [],
      securityEvents: { total: 0, bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 }, topCodes: [] },
      rateLimitHits: { total: 0, byCode: [] },
      lastAggregatedAt: null,
    });
  });

  it("refuses an anonymous caller and a signed-in non-owner, and changes nothing", async () => {
    const t = newDeployment();
    await addOwner(t);
    await addEvents(t, [{ code: "AUTH_NOT_OWNER", severity: "medium" }]);
    await aggregateBoth(t);
    const before = await everything(t);
    for (const window of ["24h", "7d"] as const) {
      expect(await refusalKind(t.query(api.dashboard.overview, { window }))).toBe("NotSignedIn");
      expect(await refusalKind(signedInAs(t, "mallory").query(api.dashboard.overview, { window }))).toBe("NotOwner");
      // The owner's subject at another issuer is another identity.
      expect(await refusalKind(t.withIdentity({ subject: "ada", issuer: "https://evil.test" }).query(api.dashboard.overview, { window }))).toBe("NotOwner");
    }
    expect(await everything(t)).toEqual(before);
  });

  it("refuses a removed owner", async () => {
    const t = newDeployment();
    await addOwner(t, "ada", { status: "removed" });
    expect(await refusalKind(ada(t).query(api.dashboard.overview, { window: "24h" }))).toBe("NotOwner");
  });

  it("refuses a window it does not know, an oversized one and extra arguments, and changes nothing", async () => {
    const t = newDeployment();
    await addOwner(t);
    const before = await everything(t);
    const overview = api.dashboard.overview as unknown as Parameters<ReturnType<typeof ada>["query"]>[0];
    for (const args of [{ window: "30d" }, { window: "x".repeat(100_000) }, { window: 24 }, {}, { window: "24h", since: 0 }]) {
      await expect(ada(t).query(overview, args)).rejects.toThrow(/Validator error/);
    }
    expect(await everything(t)).toEqual(before);
  });
});
