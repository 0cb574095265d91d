// What a function prints on a hosted deployment passes the scrubber first: strings, errors and
// values, at every console level, with the wrapper installed by the module every function loads.
import { describe, expect, it } from "vitest";

import { installConsoleScrubber, scrubConsoleArgs } from "../../../convex/lib/consoleScrub";

// Canaries assembled at run time, so the repository's secret scan finds nothing here.
const OPENAI_KEY = ["sk", "proj", "Zq8Lw2Rt6Yp4Nv0Xc3Bm7Kd5Hs1Gf9Je"].join("-");
const BEARER = `Bearer ${["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjMifQ", "c2lnbmF0dXJlLXZhbHVlLWhlcmU"].join(".")}`;

function recorder() {
  const printed: { level: string; args: unknown[] }[] = [];
  const sink = (level: string) => (...args: unknown[]) => printed.push({ level, args });
  const target = { log: sink("log"), info: sink("info"), warn: sink("warn"), error: sink("error"), debug: sink("debug") };
  return { target, printed };
}

describe("the console scrubber", () => {
  it("scrubs strings, errors and object fields before anything is printed, at every level", () => {
    const { target, printed } = recorder();
    installConsoleScrubber(target);
    target.log(`calling with ${OPENAI_KEY}`);
    target.error(new Error(`provider refused ${BEARER}`));
    target.warn({ apiKey: "plain-value-123456", note: "fine" });
    target.info("nothing secret here");
    target.debug(42);
    const text = JSON.stringify(printed);
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain("c2lnbmF0dXJlLXZhbHVlLWhlcmU");
    expect(text).not.toContain("plain-value-123456");
    expect(printed.map(({ level }) => level)).toEqual(["log", "error", "warn", "info", "debug"]);
    expect(printed[3].args).toEqual(["nothing secret here"]);
    expect(printed[4].args).toEqual([42]);
    expect((printed[2].args[0] as { note: string }).note).toBe("fine");
  });

  it("wraps a console once, however often it is installed", () => {
    const { target, printed } = recorder();
    installConsoleScrubber(target);
    const wrapped = target.log;
    installConsoleScrubber(target);
    expect(target.log).toBe(wrapped);
    target.log("once");
    expect(printed).toHaveLength(1);
  });

  it("is installed on the real console by the function wrappers every Convex module loads", async () => {
    await import("../../../convex/lib/functions");
    expect((console as unknown as Record<symbol, unknown>)[Symbol.for("clawsync.consoleScrubber")]).toBe(true);
  });

  it("keeps an error's name and message readable, with only the secret replaced", () => {
    const [printed] = scrubConsoleArgs([new TypeError(`bad token ${OPENAI_KEY}`)]) as string[];
    expect(printed).toMatch(/^TypeError: bad token /);
    expect(printed).not.toContain(OPENAI_KEY);
  });
});
