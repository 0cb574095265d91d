// Tool calls to external MCP servers (convex/mcp/toolCall.ts): the checker admits each call before
// any request and records how it ended, one log row per call with the target "mcpTool". The system
// resolver is replaced by a spy (vi.mock of node:dns/promises) and https.request by a spy that fails
// the test if reached, so a refused call is proven never to touch the network.
import https from "node:https";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { internal } from "../../convex/_generated/api";
import type { CheckCode } from "../../convex/lib/validators";
import { insertMcpServer, type ServerFields } from "./mcpFixture";
import { newDeployment } from "./setup";

const dnsLookup = vi.hoisted(() => vi.fn());
vi.mock("node:dns/promises", async (importOriginal) => ({ ...(await importOriginal<typeof import("node:dns/promises")>()), lookup: dnsLookup }));

type Deployment = ReturnType<typeof newDeployment>;

/** Assembled at run time so no source line is secret-shaped. */
const CANARY = "sk-" + "live" + "x".repeat(40);

let requestSpy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  dnsLookup.mockReset();
  requestSpy = vi.spyOn(https, "request").mockImplementation(() => {
    throw new Error("a refused MCP call reached https.request");
  });
});

afterEach(() => {
  requestSpy.mockRestore();
});


function toolRequest(serverName = "docs", toolName = "lookup") {
  return { skillName: `${serverName}__${toolName}`, inputJson: JSON.stringify({ q: "install" }), caller: { kind: "system" as const }, channel: "web" as const, dryRun: false, serverName, toolName };
}

async function logRows(t: Deployment) {
  return await t.run(async (ctx) => await ctx.db.query("skillInvocationLog").collect());
}

async function securityEvents(t: Deployment) {
  return await t.run(async (ctx) => await ctx.db.query("securityEvents").collect());
}

describe("mcp/toolCall:call", () => {
  it.each<[string, ServerFields | null, CheckCode]>([
    ["an unknown server", null, "MCP_SERVER_NOT_FOUND"],
    ["an unapproved server", { approvalStatus: "pending" }, "MCP_SERVER_NOT_APPROVED"],
  ])("refuses a call to %s with one mcpTool log row and no DNS lookup or request", async (_name, fields, code) => {
    const t = newDeployment();
    if (fields !== null) await insertMcpServer(t, fields);
    expect(await t.action(internal.mcp.toolCall.call, toolRequest())).toEqual({ ok: false, code, message: expect.any(String) });
    expect(await logRows(t)).toMatchObject([{ target: "mcpTool", toolName: "lookup", code, outcome: "denied" }]);
    expect(dnsLookup).not.toHaveBeenCalled();
    expect(requestSpy).not.toHaveBeenCalled();
  });

  it("refuses an approved server whose host resolves to a private address as ADDRESS_BLOCKED, logged with a security event, never connecting", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    dnsLookup.mockResolvedValue([{ address: "10.0.0.7", family: 4 }]);
    const result = await t.action(internal.mcp.toolCall.call, toolRequest());
    expect(result).toMatchObject({ ok: false, code: "ADDRESS_BLOCKED" });
    expect(dnsLookup).toHaveBeenCalledWith("mcp.docs.example", expect.anything());
    expect(requestSpy).not.toHaveBeenCalled();
    const rows = await logRows(t);
    expect(rows).toMatchObject([{ target: "mcpTool", mcpServerId, toolName: "lookup", code: "ADDRESS_BLOCKED", outcome: "failed" }]);
    expect(rows[0].errorMessage).not.toContain("10.0.0.7");
    expect(await securityEvents(t)).toMatchObject([{ code: "ADDRESS_BLOCKED", severity: "high", mcpServerId, metadata: { hostname: "mcp.docs.example", toolName: "lookup" } }]);
  });

  it("refuses an approved server whose URL names the metadata address before any DNS lookup", async () => {
    const t = newDeployment();
    await insertMcpServer(t, { url: "https://169.254.169.254/mcp" });
    expect(await t.action(internal.mcp.toolCall.call, toolRequest())).toMatchObject({ ok: false, code: "ADDRESS_BLOCKED" });
    expect(dnsLookup).not.toHaveBeenCalled();
    expect(requestSpy).not.toHaveBeenCalled();
    expect(await logRows(t)).toMatchObject([{ target: "mcpTool", code: "ADDRESS_BLOCKED" }]);
  });
});

describe("security/checker:recordMcpToolCall", () => {
  it("writes one mcpTool log row with the server, tool, code and a scrubbed output preview", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    await t.mutation(internal.security.checker.recordMcpToolCall, {
      request: toolRequest(),
      mcpServerId,
      code: "OK",
      durationMs: 12,
      output: `found it, key ${CANARY}`,
      outputBytes: 90,
    });
    const rows = await logRows(t);
    expect(rows).toMatchObject([{ target: "mcpTool", mcpServerId, toolName: "lookup", skillName: "docs__lookup", code: "OK", outcome: "ok", durationMs: 12, outputBytes: 90 }]);
    expect(rows[0].outputPreview).toContain("found it");
    expect(rows[0].outputPreview).not.toContain(CANARY);
    expect(await securityEvents(t)).toEqual([]);
  });

  it("keeps a long output's file with the row, and only a preview inline", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    const output = "line of a long answer\n".repeat(500);
    const outputStorageId = await t.run(async (ctx) => await ctx.storage.store(new Blob([output], { type: "text/plain" })));
    await t.mutation(internal.security.checker.recordMcpToolCall, { request: toolRequest(), mcpServerId, code: "OK", durationMs: 5, output, outputBytes: output.length, outputStorageId });
    const [row] = await logRows(t);
    expect(row.outputStorageId).toBe(outputStorageId);
    expect(row.outputPreview!.length).toBeLessThan(output.length);
  });

  it("records DOMAIN_NOT_ALLOWED as a failed row and a high-severity security event naming the host", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    await t.mutation(internal.security.checker.recordMcpToolCall, {
      request: toolRequest(),
      mcpServerId,
      code: "DOMAIN_NOT_ALLOWED",
      durationMs: 3,
      errorMessage: `The host evil.example is not on the allowlist. ${CANARY}`,
      refusedHost: "evil.example",
    });
    const rows = await logRows(t);
    expect(rows).toMatchObject([{ target: "mcpTool", mcpServerId, toolName: "lookup", code: "DOMAIN_NOT_ALLOWED", outcome: "failed" }]);
    expect(rows[0].errorMessage).not.toContain(CANARY);
    expect(await securityEvents(t)).toMatchObject([{ code: "DOMAIN_NOT_ALLOWED", severity: "high", mcpServerId, metadata: { hostname: "evil.example", toolName: "lookup" } }]);
  });

  it("writes no security event for a failure that is not a refusal", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    await t.mutation(internal.security.checker.recordMcpToolCall, { request: toolRequest(), mcpServerId, code: "EXECUTION_FAILED", durationMs: 5, errorMessage: "The MCP tool reported an error." });
    expect(await logRows(t)).toMatchObject([{ target: "mcpTool", code: "EXECUTION_FAILED", outcome: "failed" }]);
    expect(await securityEvents(t)).toEqual([]);
  });
});
