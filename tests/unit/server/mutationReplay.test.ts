// Exactly-once mutations across reconnects: a (session, request id) pair runs once, even while the
// first run is in flight; answers expire after 15 minutes; the cache is bounded per session and in
// sessions, evicting the oldest.
import { describe, expect, it } from "vitest";

import { MutationReplayCache } from "../../../local/server/mutationReplay.ts";
import type { MutationResponse } from "../../../local/server/syncSession.ts";

const TTL_MS = 15 * 60 * 1000;

const response = (requestId: number, result: string): MutationResponse => ({
  type: "MutationResponse",
  requestId,
  success: true,
  result,
  ts: "AQAAAAAAAAA=",
  logLines: [],
});

/** A cache on a hand-driven clock, and a counter of how many times each mutation really ran. */
function setup(start = 1_000_000) {
  let now = start;
  const cache = new MutationReplayCache(() => now);
  const runs: string[] = [];
  const run = (sessionId: string, requestId: number) =>
    cache.run(sessionId, requestId, async () => {
      runs.push(`${sessionId}#${requestId}`);
      return response(requestId, `${sessionId}#${requestId} run ${runs.length}`);
    });
  return { cache, runs, run, advance: (ms: number) => (now += ms) };
}

describe("MutationReplayCache", () => {
  it("runs a request once and answers a re-send with the same response", async () => {
    const { run, runs } = setup();
    const first = run("s1", 0);
    const second = run("s1", 0);
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.promise).toBe(first.promise);
    expect(await second.promise).toEqual(response(0, "s1#0 run 1"));
    expect(runs).toEqual(["s1#0"]);
  });

  it("a re-send while the first run is still in flight waits for that run instead of starting another", async () => {
    const cache = new MutationReplayCache(() => 0);
    let finish: (value: MutationResponse) => void = () => {};
    let executions = 0;
    const execute = () => {
      executions += 1;
      return new Promise<MutationResponse>((resolve) => (finish = resolve));
    };
    const first = cache.run("s1", 7, execute);
    const resent = cache.run("s1", 7, execute);
    expect(executions).toBe(1);
    expect(resent.replayed).toBe(true);
    let settled = false;
    void resent.promise.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    finish(response(7, "done"));
    expect(await resent.promise).toEqual(response(7, "done"));
    expect(await first.promise).toEqual(response(7, "done"));
  });

  it("a failed mutation's answer is replayed too, not retried", async () => {
    const cache = new MutationReplayCache(() => 0);
    let executions = 0;
    const failed: MutationResponse = { type: "MutationResponse", requestId: 1, success: false, result: "Server Error", logLines: [] };
    const execute = async () => {
      executions += 1;
      return failed;
    };
    cache.run("s1", 1, execute);
    expect(await cache.run("s1", 1, execute).promise).toEqual(failed);
    expect(executions).toBe(1);
  });

  it.each<[string, [string, number], [string, number]]>([
    ["the same request id in two sessions", ["s1", 0], ["s2", 0]],
    ["two request ids in one session", ["s1", 0], ["s1", 1]],
    ["session ids that differ only in case", ["session", 0], ["Session", 0]],
  ])("%s run separately", async (_name, [sessionA, idA], [sessionB, idB]) => {
    const { run, runs } = setup();
    const a = run(sessionA, idA);
    const b = run(sessionB, idB);
    expect(a.replayed).toBe(false);
    expect(b.replayed).toBe(false);
    expect(await a.promise).not.toEqual(await b.promise);
    expect(runs).toEqual([`${sessionA}#${idA}`, `${sessionB}#${idB}`]);
  });

  it.each<[string, number, boolean]>([
    ["just after the first run", 1, true],
    ["one millisecond before 15 minutes", TTL_MS - 1, true],
    ["at exactly 15 minutes", TTL_MS, false],
    ["an hour later", 60 * 60 * 1000, false],
  ])("a re-send %s is replayed: %s", (_name, elapsed, replayed) => {
    const { run, runs, advance } = setup();
    run("s1", 0);
    advance(elapsed);
    expect(run("s1", 0).replayed).toBe(replayed);
    expect(runs).toHaveLength(replayed ? 1 : 2);
  });

  it("an expired entry is replaced by the new run, which is then replayed", async () => {
    const { run, runs, advance } = setup();
    run("s1", 0);
    advance(TTL_MS);
    const rerun = run("s1", 0);
    const replay = run("s1", 0);
    expect(replay.promise).toBe(rerun.promise);
    expect(await replay.promise).toEqual(response(0, "s1#0 run 2"));
    expect(runs).toEqual(["s1#0", "s1#0"]);
  });

  it("keeps the last 256 requests of a session, evicting the oldest", () => {
    const { run, runs } = setup();
    for (let id = 0; id <= 256; id++) run("s1", id);
    expect(runs).toHaveLength(257);
    expect(run("s1", 1).replayed).toBe(true);
    expect(run("s1", 256).replayed).toBe(true);
    expect(run("s1", 0).replayed).toBe(false);
  });

  it("keeps 1000 sessions, evicting the least recently used", () => {
    const { run } = setup();
    for (let session = 0; session < 1000; session++) run(`s${session}`, 0);
    // A new request from s0 makes it the most recently used: s1 is now the oldest.
    run("s0", 1);
    run("s-new", 0);
    expect(run("s0", 0).replayed).toBe(true);
    expect(run("s2", 0).replayed).toBe(true);
    expect(run("s1", 0).replayed).toBe(false);
  });

  it("a flood of sessions cannot grow it past 1000", () => {
    const { run } = setup();
    run("victim", 0);
    for (let session = 0; session < 5000; session++) run(`flood${session}`, 0);
    expect(run("victim", 0).replayed).toBe(false);
    expect(run("flood4999", 0).replayed).toBe(true);
  });
});
