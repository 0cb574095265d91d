import { describe, expect, it } from "vitest";

import { finish, settle } from "../../../convex/skills/outcome";

// Assembled at run time: a secret value the run read, and one echoed back by a remote service.
const SECRET = ["value", "of", "the", "skill", "secret", "4821"].join("-");

describe("the end of a skill run", () => {
  it("is TIMEOUT when the deadline came first, EXECUTION_FAILED when the work threw", () => {
    expect(settle({ timedOut: true })).toMatchObject({ ok: false, code: "TIMEOUT" });
    expect(settle({ threw: true })).toMatchObject({ ok: false, code: "EXECUTION_FAILED" });
    expect(settle({ timedOut: false, value: { ok: true, output: "7" } })).toEqual({ ok: true, output: "7" });
  });

  it("scrubs a secret the service echoed before the output reaches the log or the model", () => {
    const finished = finish({ ok: true, output: `{"debug": "called with key ${SECRET}"}` }, 50_000, [SECRET]);
    expect(finished.result.ok && finished.result.output).not.toContain(SECRET);
    expect(finished.output).not.toContain(SECRET);
    expect(finished.output).toContain("called with key");
  });

  it("scrubs secret-shaped text even when the run read no secret", () => {
    const token = ["ghp", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"].join("_");
    expect(finish({ ok: true, output: `token=${token}` }, 50_000, []).output).not.toContain(token);
  });

  it("never passes on an output over the cap, but records its size", () => {
    expect(finish({ ok: true, output: "x".repeat(11) }, 10, [])).toEqual({
      result: { ok: false, code: "OUTPUT_TOO_LARGE", message: expect.any(String) },
      outputBytes: 11,
    });
    expect(finish({ ok: true, output: "é".repeat(5) }, 10, []).result).toEqual({ ok: true, output: "é".repeat(5) });
  });

  it("scrubs a failure's message too", () => {
    const finished = finish({ ok: false, code: "EXECUTION_FAILED", message: `bad key ${SECRET}` }, 10, [SECRET]);
    expect(finished.result.ok === false && finished.result.message).not.toContain(SECRET);
  });
});
