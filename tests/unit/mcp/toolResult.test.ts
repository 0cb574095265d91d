// How an MCP tool's answer, or the error a call threw, becomes a run result (convex/mcp/toolResult.ts).
import { describe, expect, it } from "vitest";

import { GuardedFetchError, toolCallFailure, toolResultOutcome } from "../../../convex/mcp/toolResult.ts";
import type { CheckFailureCode } from "../../../convex/lib/validators.ts";

const SERVER_URL = "https://mcp.docs.example/mcp";

describe("toolResultOutcome", () => {
  it("joins the text items of a result in order", () => {
    const result = toolResultOutcome({ content: [{ type: "text", text: "first" }, { type: "text", text: "second" }] });
    expect(result).toEqual({ ok: true, output: "first\nsecond" });
  });

  it("names image, audio and resource items instead of passing their data on", () => {
    const result = toolResultOutcome({
      content: [
        { type: "image", data: "aW1n", mimeType: "image/png" },
        { type: "audio", data: "YXVk", mimeType: "audio/wav" },
        { type: "resource", resource: { uri: "file:///etc/passwd", text: "root:x:0:0" } },
        { type: "resource_link", uri: "file:///srv/data", name: "data" },
      ],
    });
    expect(result).toEqual({ ok: true, output: "[image omitted]\n[audio omitted]\n[resource omitted]\n[resource_link omitted]" });
  });

  it("answers with the structured content as JSON when a tool returns no content items", () => {
    expect(toolResultOutcome({ content: [], structuredContent: { temperature: 21 } })).toEqual({ ok: true, output: '{"temperature":21}' });
  });

  it("maps isError to EXECUTION_FAILED with a message of its own, not the tool's text", () => {
    const result = toolResultOutcome({ isError: true, content: [{ type: "text", text: "password=hunter2 at db.internal" }] });
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The MCP tool reported an error." });
  });
});

describe("toolCallFailure", () => {
  it.each<CheckFailureCode>(["DOMAIN_NOT_ALLOWED", "ADDRESS_BLOCKED", "REDIRECT_BLOCKED", "URL_INVALID"])("keeps %s and names the server's host as refused", (code) => {
    expect(toolCallFailure(new GuardedFetchError(code, "refused"), SERVER_URL)).toEqual({ ok: false, code, message: "refused", refusedHost: "mcp.docs.example" });
  });

  it.each<CheckFailureCode>(["OUTPUT_TOO_LARGE", "TIMEOUT", "EXECUTION_FAILED"])("keeps %s without naming a refused host", (code) => {
    expect(toolCallFailure(new GuardedFetchError(code, "stopped"), SERVER_URL)).toEqual({ ok: false, code, message: "stopped" });
  });

  it("maps any other error to EXECUTION_FAILED without its text", () => {
    const result = toolCallFailure(new Error("connect ECONNREFUSED 10.0.0.7:443 token=abc"), SERVER_URL);
    expect(result).toMatchObject({ ok: false, code: "EXECUTION_FAILED" });
    expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|token/);
  });
});
