// An MCP tool call end to end, with the real SDK on both sides: `runMcpTool` (convex/mcp/toolCall.ts)
// drives the SDK's Client over the guarded MCP fetch, and a real McpServer with a real
// StreamableHTTPServerTransport answers on a loopback HTTP server. The guarded fetch runs all its
// checks (URL, allowlist, DNS answer); only DNS and the last hop are replaced, the last hop by a
// plain-HTTP request to the loopback server that keeps the real transport's size cap and deadline.
import http from "node:http";
import type { AddressInfo } from "node:net";

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import type { Id } from "../../../convex/_generated/dataModel";
import { runMcpTool } from "../../../convex/mcp/toolCall.ts";
import type { GuardedResult, Transport } from "../../../convex/security/guardedFetch.ts";

/** A public address (example.com's) handed out as the server's DNS answer; nothing connects to it. */
const PUBLIC_IP = "93.184.215.14";

/** Assembled at run time so no source line is secret-shaped. */
const CANARY = ["sk", "live", "x".repeat(40)].join("-");

/** Over the plan's output cap below. */
const HUGE = "y".repeat(20_000);

const PLAN = {
  mcpServerId: "mcpServers_test" as Id<"mcpServers">,
  url: "https://mcp.docs.example/mcp",
  toolName: "add",
  timeoutMs: 5_000,
  maxOutputBytes: 8 * 1024,
  allowedHosts: ["mcp.docs.example"],
};

/** A fresh stateless MCP server, as the SDK's stateless example builds one per request. */
function mcpServer(): McpServer {
  const server = new McpServer({ name: "docs", version: "1.0.0" });
  server.registerTool("add", { inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }));
  server.registerTool("huge", {}, async () => ({ content: [{ type: "text", text: HUGE }] }));
  server.registerTool("chart", {}, async () => ({
    content: [
      { type: "text", text: "Sales rose." },
      { type: "image", data: Buffer.from("not really a png").toString("base64"), mimeType: "image/png" },
    ],
  }));
  server.registerTool("broken", {}, async () => ({ isError: true, content: [{ type: "text", text: "stack trace at /srv/internal/db.ts:12" }] }));
  server.registerTool("leaky", {}, async () => ({ content: [{ type: "text", text: `debug key ${CANARY}` }] }));
  server.registerTool("slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { content: [{ type: "text", text: "late" }] };
  });
  return server;
}

let loopback: http.Server;
let port: number;
/** Every request that reached the MCP server. */
const received: string[] = [];

beforeAll(async () => {
  loopback = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => loopback.listen(0, "127.0.0.1", resolve));
  port = (loopback.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => loopback.close(resolve));
});

/**
 * The last hop: the checked request, sent to the loopback server instead of the pinned address,
 * under the same response cap and abort signal the real transport obeys.
 */
const toLoopback: Transport = (target, request, options) =>
  new Promise<GuardedResult>((resolve) => {
    const fail = (code: "OUTPUT_TOO_LARGE" | "EXECUTION_FAILED") => resolve({ ok: false, code, message: code });
    const req = http.request({ host: "127.0.0.1", port, path: target.path, method: request.method, headers: request.headers, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          req.destroy();
          fail("OUTPUT_TOO_LARGE");
        } else chunks.push(chunk);
      });
      res.on("end", () => {
        const headers = Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)]));
        resolve({ ok: true, status: res.statusCode ?? 0, headers, body: new Uint8Array(Buffer.concat(chunks)), contentType: res.headers["content-type"] ?? null });
      });
    });
    req.on("error", () => fail("EXECUTION_FAILED"));
    req.end(request.body);
  });

function deps(addresses: string[] = [PUBLIC_IP]) {
  return { resolve: vi.fn(async () => addresses), transport: vi.fn(toLoopback) };
}

describe("an MCP tool call through the guarded fetch, against a real MCP server", () => {
  it("returns the tool's text result", async () => {
    const { result, output } = await runMcpTool(PLAN, { a: 2, b: 40 }, deps());
    expect(result).toEqual({ ok: true, output: "42" });
    expect(output).toBe("42");
  });

  it("sends every request through the guarded fetch to the checked address, and opens no event stream", async () => {
    const fake = deps();
    received.length = 0;
    await runMcpTool(PLAN, { a: 1, b: 1 }, fake);
    // initialize, notifications/initialized, tools/call: all POSTs, each checked and pinned.
    expect(received).toEqual(["POST /mcp", "POST /mcp", "POST /mcp"]);
    expect(fake.transport).toHaveBeenCalledTimes(3);
    for (const [target] of fake.transport.mock.calls) expect(target).toMatchObject({ host: "mcp.docs.example", address: PUBLIC_IP, port: 443 });
  });

  it("passes text content on and names an image instead of passing it", async () => {
    const { result } = await runMcpTool({ ...PLAN, toolName: "chart" }, {}, deps());
    expect(result).toEqual({ ok: true, output: "Sales rose.\n[image omitted]" });
  });

  it("maps a tool result with isError to EXECUTION_FAILED without passing the server's error text on", async () => {
    const { result, output } = await runMcpTool({ ...PLAN, toolName: "broken" }, {}, deps());
    expect(result).toEqual({ ok: false, code: "EXECUTION_FAILED", message: "The MCP tool reported an error." });
    expect(output).toBeUndefined();
  });

  it("maps an oversized result to OUTPUT_TOO_LARGE and does not return it", async () => {
    const finished = await runMcpTool({ ...PLAN, toolName: "huge" }, {}, deps());
    expect(finished.result).toMatchObject({ ok: false, code: "OUTPUT_TOO_LARGE" });
    expect(finished.output).toBeUndefined();
    expect(JSON.stringify(finished)).not.toContain(HUGE.slice(0, 100));
  });

  it("scrubs secret-shaped text from the tool's output", async () => {
    const { result, output } = await runMcpTool({ ...PLAN, toolName: "leaky" }, {}, deps());
    expect(result.ok).toBe(true);
    expect(output).toContain("debug key");
    expect(output).not.toContain(CANARY);
  });

  it("stops a call past the server's time limit as TIMEOUT", async () => {
    const { result } = await runMcpTool({ ...PLAN, toolName: "slow", timeoutMs: 300 }, {}, deps());
    expect(result).toMatchObject({ ok: false, code: "TIMEOUT" });
  });

  it("refuses a server whose name resolves to a private address as ADDRESS_BLOCKED, naming the host, before any request is sent", async () => {
    const fake = deps(["10.0.0.7"]);
    received.length = 0;
    const { result } = await runMcpTool(PLAN, { a: 1, b: 1 }, fake);
    expect(result).toMatchObject({ ok: false, code: "ADDRESS_BLOCKED", refusedHost: "mcp.docs.example" });
    expect(fake.transport).not.toHaveBeenCalled();
    expect(received).toEqual([]);
  });

  it("refuses a server URL whose host is not the plan's allowed host as DOMAIN_NOT_ALLOWED", async () => {
    const fake = deps();
    const { result } = await runMcpTool({ ...PLAN, url: "https://evil.example/mcp" }, { a: 1, b: 1 }, fake);
    expect(result).toMatchObject({ ok: false, code: "DOMAIN_NOT_ALLOWED", refusedHost: "evil.example" });
    expect(fake.transport).not.toHaveBeenCalled();
  });
});
