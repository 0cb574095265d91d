// Protocol conformance: the real `ConvexClient` (websocket) and `ConvexHttpClient` against the
// local runtime, checking what a Convex deployment guarantees them.
import { ConvexError } from "convex/values";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

const q = (name: string) => makeFunctionReference<"query">(name);
const m = (name: string) => makeFunctionReference<"mutation">(name);
const a = (name: string) => makeFunctionReference<"action">(name);

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.stop();
});

describe("live queries over the websocket", () => {
  it("a subscriber sees a mutation made by another client", async () => {
    const subscriber = fixture.client();
    const feed = watch<string[]>(subscriber, q("messages:list"), { channel: "live" });
    await feed.until((bodies) => bodies.length === 0);
    await fixture.http().mutation(m("messages:send"), { channel: "live", body: "hello from http" });
    expect(await feed.until((bodies) => bodies.length === 1)).toEqual(["hello from http"]);
    await fixture.client().mutation(m("messages:send"), { channel: "live", body: "hello from ws" });
    expect(await feed.until((bodies) => bodies.length === 2)).toEqual(["hello from http", "hello from ws"]);
  });

  it("a mutation's promise resolves only once its write is visible to the client that made it", async () => {
    const client = fixture.client();
    const feed = watch<string[]>(client, q("messages:list"), { channel: "ack" });
    await feed.until((bodies) => bodies.length === 0);
    for (let i = 0; i < 20; i++) {
      await client.mutation(m("messages:send"), { channel: "ack", body: `n${i}` });
      // Read the client's local view synchronously, right as the promise resolves.
      const local = client.client.localQueryResult("messages:list", { channel: "ack" }) as string[];
      expect(local).toHaveLength(i + 1);
      expect(local[i]).toBe(`n${i}`);
    }
  });

  it("resolves a mutation that writes nothing, also when the connection is already current", async () => {
    const client = fixture.client();
    const feed = watch<string[]>(client, q("messages:list"), { channel: "idle" });
    await feed.until(() => true);
    for (let i = 0; i < 3; i++) expect(await client.mutation(m("messages:readOnlyMutation"), {})).toBeTypeOf("number");
  });

  it("identical subscriptions from many clients are evaluated once, and updated once per change", async () => {
    const clients = Array.from({ length: 20 }, () => fixture.client());
    const feeds = clients.map((client) => watch<string[]>(client, q("messages:list"), { channel: "shared" }));
    await Promise.all(feeds.map((feed) => feed.until((bodies) => bodies.length === 0)));
    const subscriptions = fixture.deployment.api.subscriptions;
    const before = subscriptions.evaluations;
    await fixture.http().mutation(m("messages:send"), { channel: "shared", body: "one" });
    await Promise.all(feeds.map((feed) => feed.until((bodies) => bodies.length === 1)));
    expect(subscriptions.evaluations - before).toBe(1);
  });

  it("a write outside what a subscription read does not re-run it", async () => {
    const client = fixture.client();
    const quiet = watch<string[]>(client, q("messages:list"), { channel: "quiet" });
    const noisy = watch<string[]>(client, q("messages:list"), { channel: "noisy" });
    await quiet.until((bodies) => bodies.length === 0);
    await noisy.until((bodies) => bodies.length === 0);
    const subscriptions = fixture.deployment.api.subscriptions;
    const before = subscriptions.evaluations;
    // Another channel: a different range of the same index. Once the noisy subscription shows it,
    // the refresh that followed the write has run: only that one subscription was re-run.
    await fixture.http().mutation(m("messages:send"), { channel: "noisy", body: "elsewhere" });
    await noisy.until((bodies) => bodies.length === 1);
    expect(subscriptions.evaluations - before).toBe(1);
    expect(quiet.values).toHaveLength(1);
    // Its own channel: re-run.
    await fixture.http().mutation(m("messages:send"), { channel: "quiet", body: "here" });
    await quiet.until((bodies) => bodies.length === 1);
    expect(subscriptions.evaluations - before).toBe(2);
  });

  it("a failing query reaches the subscriber as a ConvexError with its data", async () => {
    const feed = watch<unknown>(fixture.client(), q("messages:failing"), {});
    const error = await feed.nextError();
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ kind: string; retryAfter: number }>).data).toEqual({ kind: "NotAllowed", retryAfter: 42 });
  });

  it("a query of an unknown or internal function fails as on a deployment", async () => {
    const unknown = await watch<unknown>(fixture.client(), q("messages:doesNotExist"), {}).nextError();
    expect(unknown.message).toContain("Could not find public function for 'messages:doesNotExist'");
    const internal = await watch<unknown>(fixture.client(), q("messages:count"), {}).nextError();
    expect(internal.message).toContain("Could not find public function for 'messages:count'");
  });

  it("delivers results larger than one message (chunked transitions)", async () => {
    const result = await watch<string[]>(fixture.client(), q("messages:big"), { megabytes: 6 }).until(() => true, 30_000);
    expect(result).toHaveLength(6);
    expect(result[5]).toHaveLength(2 + 1024 * 1024);
  });
});

describe("mutations and actions", () => {
  it("a mutation that throws changes nothing and reports its ConvexError data", async () => {
    const client = fixture.client();
    const error = await client.mutation(m("messages:failingMutation"), { channel: "refused" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ kind: string }>).data).toEqual({ kind: "Refused" });
    expect(await client.query(q("messages:list"), { channel: "refused" })).toEqual([]);
  });

  it("never shows a caller the text of an internal error, and logs it under a request id", async () => {
    const error = (await fixture.http().mutation(m("messages:crash"), {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^\[Request ID: [0-9a-f]{16}\] Server Error$/);
    expect(error.message).not.toContain("hunter2");
    const requestId = /Request ID: ([0-9a-f]+)/.exec(error.message)![1];
    expect(fixture.logs.some((line) => line.includes(requestId) && line.includes("hunter2"))).toBe(true);
  });

  it("rolls back a failed nested mutation alone and keeps the outer one", async () => {
    const result = await fixture.http().mutation(m("messages:nested"), { channel: "nested" });
    expect(result).toEqual({ innerError: { kind: "Refused" } });
    expect(await fixture.http().query(q("messages:list"), { channel: "nested" })).toEqual(["outer"]);
  });

  it("runs an action that calls queries and mutations and catches ConvexError data", async () => {
    const result = await fixture.client().action(a("messages:roundTrip"), { channel: "action" });
    expect(result).toEqual({ bodies: ["from action"], caught: { kind: "Refused" } });
  });

  it("runs component functions (the rate limiter) inside app mutations", async () => {
    const http = fixture.http();
    const first = await http.mutation(m("messages:limited"), { key: "k" });
    const second = await http.mutation(m("messages:limited"), { key: "k" });
    const third = (await http.mutation(m("messages:limited"), { key: "k" })) as { ok: boolean; retryAfter?: number };
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true });
    expect(third.ok).toBe(false);
    expect(third.retryAfter).toBeGreaterThan(0);
  });

  it("refuses fetch in mutations, as a deployment does", async () => {
    const logsFrom = fixture.logs.length;
    await expect(fixture.http().mutation(m("messages:fetchInMutation"), {})).rejects.toThrow(/Server Error/);
    expect(fixture.logs.slice(logsFrom).some((line) => line.includes("`fetch` is not supported in Convex queries or mutations"))).toBe(true);
  });

  it("validates arguments against the function's validator", async () => {
    const error = (await fixture.http().mutation(m("messages:send"), { channel: "x", body: 5 }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("ArgumentValidationError");
    expect(error.message).toContain("Path: .body");
  });
});
