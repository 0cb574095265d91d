// The React client (ConvexReactClient, as the web app uses it) against the runtime: live query
// watches, and mutations whose promises resolve once their writes are in the local results.
import { ConvexReactClient } from "convex/react";
import { makeFunctionReference } from "convex/server";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";

const list = makeFunctionReference<"query">("messages:list");
const send = makeFunctionReference<"mutation">("messages:send");

let fixture: Fixture;
let client: ConvexReactClient;

beforeAll(async () => {
  fixture = await startFixture();
  client = new ConvexReactClient(fixture.config.cloudUrl, { webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket, logger: false });
});

afterAll(async () => {
  await client.close();
  await fixture.stop();
});

describe("ConvexReactClient", () => {
  it("updates a watched query when another client writes", async () => {
    const watch = client.watchQuery(list, { channel: "react" });
    const seen = new Promise<string[]>((resolve) => {
      const stop = watch.onUpdate(() => {
        const value = watch.localQueryResult() as string[] | undefined;
        if (value && value.length === 1) {
          stop();
          resolve(value);
        }
      });
    });
    await new Promise<void>((resolve) => {
      const stop = watch.onUpdate(() => {
        if (watch.localQueryResult() !== undefined) {
          stop();
          resolve();
        }
      });
    });
    await fixture.http().mutation(send, { channel: "react", body: "from elsewhere" });
    expect(await seen).toEqual(["from elsewhere"]);
  });

  it("resolves its own mutation only once the write is in the watched result", async () => {
    const watch = client.watchQuery(list, { channel: "react-own" });
    const unsubscribe = watch.onUpdate(() => undefined);
    await new Promise<void>((resolve) => {
      const stop = watch.onUpdate(() => {
        if (watch.localQueryResult() !== undefined) {
          stop();
          resolve();
        }
      });
    });
    for (let i = 0; i < 5; i++) {
      await client.mutation(send, { channel: "react-own", body: `own ${i}` });
      expect((watch.localQueryResult() as string[]).at(-1)).toBe(`own ${i}`);
    }
    unsubscribe();
  });
});
