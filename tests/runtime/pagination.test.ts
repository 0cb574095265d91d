// Paginated queries through the real clients: cursors across pages, the paginated client's
// loadMore, and journals that keep a live page's end fixed so pages never skip or repeat rows.
import { makeFunctionReference, type PaginationResult } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

type Message = { _id: string; body: string };

const page = makeFunctionReference<"query">("messages:page");
const pageNewestFirst = makeFunctionReference<"query">("messages:pageNewestFirst");
const sendMany = makeFunctionReference<"mutation">("messages:sendMany");
const send = makeFunctionReference<"mutation">("messages:send");

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
  await fixture.http({ admin: true }).mutation(sendMany, { channel: "p", count: 23 });
});

afterAll(async () => {
  await fixture.stop();
});

describe("pagination", () => {
  it("walks more than one page with cursors and ends with isDone", async () => {
    const http = fixture.http();
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    for (;;) {
      const result = (await http.query(page, { channel: "p", paginationOpts: { numItems: 10, cursor } })) as PaginationResult<Message>;
      seen.push(...result.page.map((message) => message.body));
      pages.push(result.page.length);
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    expect(pages).toEqual([10, 10, 3]);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `m${String(i).padStart(4, "0")}`));
  });

  it("loads more pages in the paginated client and keeps them live", async () => {
    const client = fixture.client();
    type Paginated = { results: Message[]; status: string; loadMore(n: number): boolean };
    const updates: Paginated[] = [];
    const waiters = new Set<() => void>();
    client.onPaginatedUpdate_experimental(page, { channel: "p" }, { initialNumItems: 10 }, (result) => {
      updates.push(result as unknown as Paginated);
      waiters.forEach((waiter) => waiter());
    });
    const next = (test: (result: Paginated) => boolean) =>
      new Promise<Paginated>((resolve) => {
        const check = () => {
          const found = updates.find(test);
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      });
    const first = await next((r) => r.results.length === 10 && r.status === "CanLoadMore");
    first.loadMore(10);
    const second = await next((r) => r.results.length === 20);
    second.loadMore(10);
    const all = await next((r) => r.results.length === 23 && r.status === "Exhausted");
    expect(all.results.map((m) => m.body)).toEqual(Array.from({ length: 23 }, (_, i) => `m${String(i).padStart(4, "0")}`));
    await fixture.http().mutation(send, { channel: "p", body: "late" });
    const live = await next((r) => r.results.length === 24);
    expect(live.results[23].body).toBe("late");
  });

  it("keeps a live page's end fixed when a write lands inside it (journal)", async () => {
    await fixture.http({ admin: true }).mutation(sendMany, { channel: "j", count: 12 });
    const feed = watch<PaginationResult<Message>>(fixture.client(), pageNewestFirst, { channel: "j", paginationOpts: { numItems: 5, cursor: null } });
    const before = await feed.until((result) => result.page.length === 5);
    expect(before.page.map((m) => m.body)).toEqual(["m0011", "m0010", "m0009", "m0008", "m0007"]);
    await fixture.http().mutation(send, { channel: "j", body: "newest" });
    const after = await feed.until((result) => result.page.length === 6);
    // The new row joins the page instead of pushing m0007 onto the next page.
    expect(after.page.map((m) => m.body)).toEqual(["newest", "m0011", "m0010", "m0009", "m0008", "m0007"]);
    expect(after.continueCursor).toBe(before.continueCursor);
    expect(after.isDone).toBe(false);
  });

  it("allows one paginated query per function, nested functions included", async () => {
    const http = fixture.http();
    await expect(http.query(makeFunctionReference<"query">("messages:twoPages"), { channel: "p" })).rejects.toThrow(/Server Error/);
    expect(fixture.logs.some((line) => line.includes("Convex only supports a single paginated query in each function"))).toBe(true);
    expect(await http.query(makeFunctionReference<"query">("messages:pageAndNestedPage"), { channel: "p" })).toEqual({ own: 2, nested: 3 });
  });

  it("refuses a cursor from another query", async () => {
    const http = fixture.http();
    const first = (await http.query(page, { channel: "p", paginationOpts: { numItems: 5, cursor: null } })) as PaginationResult<Message>;
    const forged = first.continueCursor.slice(0, -4) + "AAAA";
    await expect(http.query(page, { channel: "p", paginationOpts: { numItems: 5, cursor: forged } })).rejects.toThrow();
    await expect(http.query(page, { channel: "p", paginationOpts: { numItems: 5, cursor: "garbage" } })).rejects.toThrow();
  });
});
