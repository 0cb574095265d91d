// The websocket under bad or unusual input: malformed frames close only the offending connection,
// message order is what the protocol requires, and a mutation re-sent after a reconnect runs once.
import { makeFunctionReference } from "convex/server";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";

const list = makeFunctionReference<"query">("messages:list");

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.stop();
});

type Received = { type: string; [key: string]: unknown };

/** A raw protocol connection that records what the server sends and how it closed. */
async function connect(): Promise<{ socket: WebSocket; received: Received[]; closed: Promise<{ code: number; reason: string }>; next(type: string): Promise<Received> }> {
  const socket = new WebSocket(`${fixture.config.cloudUrl.replace("http", "ws")}/api/1.48.0/sync`);
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    received.push(JSON.parse(data.toString()) as Received);
    waiters.forEach((waiter) => waiter());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => socket.once("open", () => resolve()).once("error", reject));
  let seen = 0;
  const next = (type: string) =>
    new Promise<Received>((resolve) => {
      const check = () => {
        const index = received.findIndex((message, i) => i >= seen && message.type === type);
        if (index === -1) return;
        seen = index + 1;
        waiters.delete(check);
        resolve(received[index]);
      };
      waiters.add(check);
      check();
    });
  return { socket, received, closed, next };
}

const hello = (sessionId: string) => JSON.stringify({ type: "Connect", sessionId, connectionCount: 0, lastCloseReason: null, clientTs: Date.now() });

describe("bad frames", () => {
  it.each([
    ["text that is not JSON", "definitely not json"],
    ["JSON of an unknown message type", JSON.stringify({ type: "DropTables" })],
    ["a Mutation with malformed args", JSON.stringify({ type: "Mutation", requestId: 1, udfPath: "messages:send", args: "x" })],
  ])("closes the connection on %s and keeps serving others", async (_name, frame) => {
    const { socket, closed } = await connect();
    socket.send(hello("bad-frame"));
    socket.send(frame);
    const close = await closed;
    expect(close.code).toBe(1008);
    expect(close.reason).toMatch(/^ProtocolError/);
    expect(await fixture.client().query(list, { channel: "after-bad-frame" })).toEqual([]);
  });

  it("refuses any message before Connect", async () => {
    const { socket, closed } = await connect();
    socket.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [] }));
    expect((await closed).reason).toContain("the first message must be Connect");
  });

  it("refuses a query set change that skips a version", async () => {
    const { socket, closed } = await connect();
    socket.send(hello("skip"));
    socket.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 5, newVersion: 6, modifications: [] }));
    expect((await closed).code).toBe(1008);
  });

  it("closes a connection whose frame exceeds the size limit", async () => {
    const { socket, closed } = await connect();
    socket.send(hello("huge"));
    socket.send(JSON.stringify({ type: "Mutation", requestId: 1, udfPath: "messages:send", args: [{ channel: "huge", body: "x".repeat(17 << 20) }] }));
    expect((await closed).code).toBe(1009);
    expect(await fixture.http().query(list, { channel: "huge" })).toEqual([]);
  });

  it("refuses binary frames", async () => {
    const { socket, closed } = await connect();
    socket.send(hello("binary"));
    socket.send(Buffer.from([1, 2, 3]));
    expect((await closed).code).toBe(1003);
  });
});

describe("protocol order", () => {
  it("answers a mutation before the Transition that reaches its timestamp", async () => {
    const { socket, received, next } = await connect();
    socket.send(hello("order"));
    socket.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "messages:list", args: [{ channel: "order" }] }] }));
    await next("Transition");
    socket.send(JSON.stringify({ type: "Mutation", requestId: 0, udfPath: "messages:send", args: [{ channel: "order", body: "x" }] }));
    const response = await next("MutationResponse");
    const transition = await next("Transition");
    expect(received.indexOf(response)).toBeLessThan(received.indexOf(transition));
    const ts = (encoded: string) => Buffer.from(encoded, "base64").readBigUInt64LE();
    expect(ts((transition.endVersion as { ts: string }).ts) >= ts(response.ts as string)).toBe(true);
    expect((transition.modifications as { value: unknown }[])[0].value).toEqual(["x"]);
    socket.close();
  });

  it("runs a mutation re-sent after a reconnect only once", async () => {
    const mutation = JSON.stringify({ type: "Mutation", requestId: 7, udfPath: "messages:send", args: [{ channel: "once", body: "only once" }] });
    const first = await connect();
    first.socket.send(hello("replayed-session"));
    first.socket.send(mutation);
    const original = await first.next("MutationResponse");
    first.socket.close();
    const second = await connect();
    second.socket.send(hello("replayed-session"));
    second.socket.send(mutation);
    const replayed = await second.next("MutationResponse");
    expect(replayed.result).toEqual(original.result);
    expect(await fixture.http().query(list, { channel: "once" })).toEqual(["only once"]);
    second.socket.close();
  });
});
