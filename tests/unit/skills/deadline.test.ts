import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { withDeadline } from "../../../convex/skills/deadline";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("a skill's time limit", () => {
  it("passes on work that finishes in time", async () => {
    await expect(withDeadline(async () => 7, 1000)).resolves.toEqual({ timedOut: false, value: 7 });
  });

  it("stops waiting at the deadline and aborts the work's signal", async () => {
    let seen: AbortSignal | undefined;
    const pending = withDeadline((signal) => {
      seen = signal;
      return new Promise<number>(() => {});
    }, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ timedOut: true });
    expect(seen!.aborted).toBe(true);
  });

  it("passes on a failure before the deadline", async () => {
    await expect(withDeadline(async () => Promise.reject(new Error("boom")), 1000)).rejects.toThrow("boom");
  });
});
