// The fetch the MCP SDK's client transport is given (convex/mcp/guardedMcpFetch.ts). DNS and the last
// network hop are fakes handed to the guarded fetch (`deps.resolve`, `deps.transport`); the checks
// between them are the real ones, so a refused request is proven never to reach the transport.
import { describe, expect, it, vi } from "vitest";

import { guardedMcpFetch } from "../../../convex/mcp/guardedMcpFetch.ts";
import { GuardedFetchError } from "../../../convex/mcp/toolResult.ts";
import type { GuardedPolicy, GuardedResult, Transport } from "../../../convex/security/guardedFetch.ts";

/** A public address (example.com's) handed out as a DNS answer; nothing connects to it. */
const PUBLIC_IP = "93.184.215.14";

const POLICY: GuardedPolicy = { allowedHosts: ["mcp.docs.example"], timeoutMs: 2_000, maxResponseBytes: 64 * 1024 };

const RPC_BODY = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "lookup", arguments: { q: "install" } } });

function answer(status: number, body = "", headers: Record<string, string> = {}): GuardedResult {
  return { ok: true, status, headers, body: new TextEncoder().encode(body), contentType: headers["content-type"] ?? null };
}

function post(url = "https://mcp.docs.example/mcp", init: RequestInit = {}) {
  return { url, init: { method: "POST", headers: { "content-type": "application/json" }, body: RPC_BODY, ...init } };
}

/** The adapter over fake DNS and a fake transport; both are spies. */
function adapter(addresses: string[] = [PUBLIC_IP], reply: GuardedResult = answer(200, "{}")) {
  const resolve = vi.fn(async () => addresses);
  const transport = vi.fn<Transport>(async () => reply);
  return { send: guardedMcpFetch(POLICY, { resolve, transport }), resolve, transport };
}

/** The GuardedFetchError `promise` rejects with. */
async function refusal(promise: Promise<Response>): Promise<GuardedFetchError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GuardedFetchError);
  return error as GuardedFetchError;
}

describe("guardedMcpFetch", () => {
  it("sends a POST to an allowed host with a public address, passing method, headers and body through", async () => {
    const { send, resolve, transport } = adapter();
    const { url, init } = post("https://mcp.docs.example/mcp?v=1", { headers: { "Content-Type": "application/json", "Mcp-Protocol-Version": "2025-06-18" } });
    await send(url, init);
    expect(resolve).toHaveBeenCalledWith("mcp.docs.example");
    expect(transport).toHaveBeenCalledTimes(1);
    const [target, request, options] = transport.mock.calls[0];
    expect(target).toEqual({ host: "mcp.docs.example", address: PUBLIC_IP, port: 443, path: "/mcp?v=1" });
    expect(request).toEqual({
      url: "https://mcp.docs.example/mcp?v=1",
      method: "POST",
      headers: { "content-type": "application/json", "mcp-protocol-version": "2025-06-18" },
      body: RPC_BODY,
    });
    expect(options.maxResponseBytes).toBe(POLICY.maxResponseBytes);
  });

  it("returns the server's status, headers and body as a Response", async () => {
    const reply = answer(200, '{"jsonrpc":"2.0","id":1,"result":{}}', { "content-type": "application/json", "mcp-session-id": "s-1" });
    const { send } = adapter([PUBLIC_IP], reply);
    const { url, init } = post();
    const response = await send(url, init);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("mcp-session-id")).toBe("s-1");
    expect(await response.json()).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
  });

  it("returns a 202 with an empty body and a 204 with none", async () => {
    const { url, init } = post();
    expect((await adapter([PUBLIC_IP], answer(202)).send(url, init)).status).toBe(202);
    const noContent = await adapter([PUBLIC_IP], answer(204)).send(url, init);
    expect(noContent.status).toBe(204);
    expect(noContent.body).toBeNull();
  });

  it("throws DOMAIN_NOT_ALLOWED for a host not on the allowlist, without resolving or sending it", async () => {
    const { send, resolve, transport } = adapter();
    const { url, init } = post("https://evil.example/mcp");
    const error = await refusal(send(url, init));
    expect(error.code).toBe("DOMAIN_NOT_ALLOWED");
    expect(error.message).toBe("The host evil.example is not on the allowlist.");
    expect(resolve).not.toHaveBeenCalled();
    expect(transport).not.toHaveBeenCalled();
  });

  it.each([
    ["loopback", "127.0.0.1"],
    ["the cloud metadata address", "169.254.169.254"],
    ["a private address", "10.0.0.7"],
  ])("throws ADDRESS_BLOCKED for an allowed name resolving to %s, never sending it", async (_name, address) => {
    const { send, transport } = adapter([address]);
    const { url, init } = post();
    expect((await refusal(send(url, init))).code).toBe("ADDRESS_BLOCKED");
    expect(transport).not.toHaveBeenCalled();
  });

  it.each<[string, GuardedResult]>([
    ["a 3xx answer from the transport", answer(307, "", { location: "https://mcp.docs.example/elsewhere" })],
    ["the transport's own redirect refusal", { ok: false, code: "REDIRECT_BLOCKED", message: "The server answered with a redirect (302); redirects are never followed." }],
  ])("throws REDIRECT_BLOCKED for %s, so the SDK cannot follow it", async (_name, reply) => {
    const { send, transport } = adapter([PUBLIC_IP], reply);
    const { url, init } = post();
    expect((await refusal(send(url, init))).code).toBe("REDIRECT_BLOCKED");
    expect(transport).toHaveBeenCalledTimes(1);
  });

  it("throws the guarded failure's code for a response over the size cap", async () => {
    const { send } = adapter([PUBLIC_IP], { ok: false, code: "OUTPUT_TOO_LARGE", message: "The response was larger than 65536 bytes and was cut off." });
    const { url, init } = post();
    expect((await refusal(send(url, init))).code).toBe("OUTPUT_TOO_LARGE");
  });

  it("answers a GET (the SDK's optional event stream) with 405 and no DNS lookup or network call", async () => {
    const { send, resolve, transport } = adapter();
    const response = await send("https://mcp.docs.example/mcp", { method: "GET", headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(resolve).not.toHaveBeenCalled();
    expect(transport).not.toHaveBeenCalled();
  });

  it("rejects at once on an aborted signal, without sending", async () => {
    const { send, transport } = adapter();
    const { url, init } = post();
    const controller = new AbortController();
    controller.abort(new Error("closed"));
    await expect(send(url, { ...init, signal: controller.signal })).rejects.toThrow("closed");
    expect(transport).not.toHaveBeenCalled();
  });

  it("stops waiting for a request in flight when its signal aborts", async () => {
    const transport = vi.fn<Transport>(() => new Promise<GuardedResult>(() => {}));
    const send = guardedMcpFetch(POLICY, { resolve: async () => [PUBLIC_IP], transport });
    const { url, init } = post();
    const controller = new AbortController();
    const pending = send(url, { ...init, signal: controller.signal });
    await vi.waitFor(() => expect(transport).toHaveBeenCalledTimes(1));
    controller.abort(new Error("client closed"));
    await expect(pending).rejects.toThrow("client closed");
  });

  it("refuses a body that is not text rather than send something unchecked", async () => {
    const { send, transport } = adapter();
    await expect(send("https://mcp.docs.example/mcp", { method: "POST", body: new Uint8Array([1, 2, 3]) })).rejects.toThrow(TypeError);
    expect(transport).not.toHaveBeenCalled();
  });
});
