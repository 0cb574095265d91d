// The scheduler and crons run on real time: scheduled functions fire after their delay, a schedule
// made by a mutation that fails is rolled back with it, and crons.ts jobs run on their interval.
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

const list = makeFunctionReference<"query">("messages:list");
const jobs = makeFunctionReference<"query">("messages:jobs");
const scheduleSend = makeFunctionReference<"mutation">("messages:scheduleSend");
const scheduleThenFail = makeFunctionReference<"mutation">("messages:scheduleThenFail");
const counter = makeFunctionReference<"query">("counters:get");

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.stop();
});

describe("scheduled functions", () => {
  it("runs a function scheduled by a mutation after its delay", async () => {
    const feed = watch<string[]>(fixture.client(), list, { channel: "later" });
    await feed.until((bodies) => bodies.length === 0);
    const scheduledAt = Date.now();
    await fixture.http().mutation(scheduleSend, { channel: "later", body: "ran", delayMs: 300 });
    expect(await fixture.http().query(list, { channel: "later" })).toEqual([]);
    await feed.until((bodies) => bodies.length === 1);
    expect(Date.now() - scheduledAt).toBeGreaterThanOrEqual(300);
    const states = (await fixture.http().query(jobs, {})) as { name: string; state: string }[];
    expect(states).toContainEqual({ name: "messages:sendInternal", state: "success" });
  });

  it("schedules nothing when the scheduling mutation fails", async () => {
    const before = (await fixture.http().query(jobs, {})) as unknown[];
    await expect(fixture.http().mutation(scheduleThenFail, { channel: "never" })).rejects.toThrow();
    // A later job proves the scheduler has run everything due before it.
    const feed = watch<string[]>(fixture.client(), list, { channel: "marker" });
    await fixture.http().mutation(scheduleSend, { channel: "marker", body: "done", delayMs: 0 });
    await feed.until((bodies) => bodies.length === 1);
    expect(await fixture.http().query(list, { channel: "never" })).toEqual([]);
    expect(((await fixture.http().query(jobs, {})) as unknown[]).length).toBe(before.length + 1);
  });
});

describe("crons", () => {
  it("runs crons.ts jobs on real time", async () => {
    const ticks = watch<number>(fixture.client(), counter, { name: "cron" });
    const first = await ticks.until((value) => value >= 1, 5_000);
    await ticks.until((value) => value >= first + 2, 5_000);
  });
});
