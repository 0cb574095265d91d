// Actions run in worker threads, off the thread that runs transactions, and behave as they do on a
// deployment: their queries, mutations, files, errors and log lines all cross back intact.
import { makeFunctionReference } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ACTION_WORKER_NICENESS } from "../../local/engine/threadPriority.ts";
import { threadNiceness } from "../fixtures/protocolApp/convex/actions.ts";
import { startFixture, type Fixture } from "./support/fixture.ts";

const a = (name: string) => makeFunctionReference<"action">(name);

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});

describe("action workers", () => {
  it("run actions off the runtime's thread, with queries and mutations answered by the runtime", async () => {
    expect(await fixture.client().action(a("actions:whereAmI"), { channel: "worker" })).toMatchObject({ mainThread: false, bodies: ["from a worker"] });
  });

  it.runIf(process.platform === "linux")("run below the priority of the thread that runs transactions", async () => {
    const { niceness } = (await fixture.client().action(a("actions:whereAmI"), { channel: "priority" })) as { niceness: number };
    expect(niceness).toBe(ACTION_WORKER_NICENESS);
    // The runtime (this test's thread) keeps its priority: only the worker thread was lowered.
    expect(threadNiceness()).toBe(0);
  });

  it("store and read files for an action", async () => {
    const result = (await fixture.http().action(a("actions:storeAndRead"), { text: "hello from a worker" })) as { storageId: string; text: string; type: string; url: string };
    expect(result).toMatchObject({ text: "hello from a worker", type: "text/plain" });
    const response = await fetch(result.url);
    expect(await response.text()).toBe("hello from a worker");
  });

  it("hand a ConvexError's data to the caller", async () => {
    const error = await fixture.http().action(a("actions:throwsConvexError"), {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<Value>).data).toEqual({ kind: "NotAllowed", detail: 7 });
  });

  it("hide any other error from the caller and log it, with the action's log lines, under its request id", async () => {
    const logsFrom = fixture.logs.length;
    const error = (await fixture.http().action(a("actions:throwsError"), {}).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/Server Error/);
    expect(error.message).not.toContain("hunter3");
    const requestId = /Request ID: ([0-9a-f]+)/.exec(error.message)![1];
    const logs = fixture.logs.slice(logsFrom);
    expect(logs.some((line) => line.includes(requestId) && line.includes("hunter3"))).toBe(true);
    expect(logs.some((line) => line.includes("actions:throwsError") && line.includes("about to fail with a secret detail"))).toBe(true);
  });

  it("scrub keys from every log line: the action's console output and its error", async () => {
    const key = ["sk", "proj", "Q3v9Lm2Xc7Rt5Yb1Nw8Kd4Hs6Jf0Pa"].join("-");
    const logsFrom = fixture.logs.length;
    await expect(fixture.http().action(a("actions:logsAKey"), { key })).rejects.toThrow(/Server Error/);
    const logs = fixture.logs.slice(logsFrom).filter((line) => line.includes("actions:logsAKey"));
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.join("\n")).not.toContain(key);
    expect(logs.join("\n")).toContain("[REDACTED");
  });

  it("fail only the actions of a worker that dies, and replace it", async () => {
    await expect(fixture.http().action(a("actions:killsItsWorker"), {})).rejects.toThrow(/worker stopped unexpectedly/);
    expect(await fixture.client().action(a("actions:whereAmI"), { channel: "after-crash" })).toMatchObject({ mainThread: false, bodies: ["from a worker"] });
  });
});
