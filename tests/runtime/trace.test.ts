// The runtime's trace (CLAWSYNC_TRACE_FILE): one line per top-level execution with its timings,
// linked to the action that called it or the job that ran it, and nothing of its arguments or
// results. `npm run bench:chat` reconstructs each chat message from these links.
import fs from "node:fs";
import path from "node:path";

import { makeFunctionReference } from "convex/server";
import { describe, expect, it } from "vitest";

import type { TraceEvent } from "../../local/engine/runtime.ts";
import { startFixture, tempDataDir } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

const list = makeFunctionReference<"query">("messages:list");
const roundTrip = makeFunctionReference<"action">("messages:roundTrip");
const scheduleSend = makeFunctionReference<"mutation">("messages:scheduleSend");

function readTrace(file: string): TraceEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceEvent);
}

describe("the execution trace", () => {
  it("links an action's calls to it and a scheduled run to the mutation that scheduled it, without arguments", async () => {
    const traceFile = path.join(tempDataDir(), "trace.jsonl");
    const fixture = await startFixture(undefined, { traceFile });
    try {
      await fixture.http().action(roundTrip, { channel: "private-channel-name" });
      await fixture.http().mutation(scheduleSend, { channel: "private-channel-name", body: "private body text", delayMs: 0 });
      await watch<string[]>(fixture.client(), list, { channel: "private-channel-name" }).until((bodies) => bodies.includes("private body text"));
      // The trace is written as executions finish; the scheduled run's line follows its commit.
      await expect.poll(() => readTrace(traceFile).some((e) => e.path === "messages:sendInternal" && e.scheduledFunctionId), { timeout: 10_000 }).toBe(true);
    } finally {
      await fixture.stop();
    }
    const events = readTrace(traceFile);

    const action = events.find((e) => e.path === "messages:roundTrip")!;
    expect(action).toMatchObject({ kind: "action", ok: true, parentRequestId: null });
    const children = events.filter((e) => e.parentRequestId === action.requestId);
    expect(children.map((e) => [e.path, e.ok])).toEqual([
      ["messages:sendInternal", true],
      ["messages:list", true],
      ["messages:failingMutation", false],
    ]);
    const write = children[0];
    expect(write.kind).toBe("mutation");
    for (const e of events) {
      expect(e.execMs).toBeGreaterThanOrEqual(0);
      expect(e.waitMs).toBeGreaterThanOrEqual(0);
      expect(e.commitMs).toBeGreaterThanOrEqual(0);
    }
    expect(write.commitMs).toBeGreaterThan(0);

    const scheduler = events.find((e) => e.path === "messages:scheduleSend")!;
    expect(scheduler.scheduled).toHaveLength(1);
    const run = events.find((e) => e.scheduledFunctionId === scheduler.scheduled[0])!;
    expect(run).toMatchObject({ path: "messages:sendInternal", ok: true });

    const text = fs.readFileSync(traceFile, "utf8");
    expect(text).not.toContain("private body text");
    expect(text).not.toContain("private-channel-name");
    expect(fs.statSync(traceFile).mode & 0o777).toBe(0o600);
  });
});
