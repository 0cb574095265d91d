// SyncBoard's MCP servers: an owner adds a server (https on port 443 to a public host only), it waits
// for review, and only approval lets the checker admit a call to its tools; rejecting it, switching
// it off or a change of its tools makes the checker refuse again. The attacks: callers who are not
// owners, URLs that point into the deployment's own network or off the guarded port, bad input.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { rateLimitProblem, serverNameProblem, serverUrlCheck } from "../../convex/mcpServers";
import { ownerSession, refusalKind, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

type Owner = Awaited<ReturnType<typeof ownerSession>>;

const SERVER = { name: "docs", displayName: "Docs search", url: "https://mcp.docs.example/mcp" };

async function addServer(owner: Owner, fields: Partial<typeof SERVER> = {}): Promise<Id<"mcpServers">> {
  const added = await owner.mutation(api.mcpServers.add, { ...SERVER, ...fields });
  if (!added.ok) throw new Error(added.error);
  return added.mcpServerId;
}

/** What the server's tools list discovery would write: a tool row and the server's tool list hash. */
async function discoverTool(t: Deployment, mcpServerId: Id<"mcpServers">, toolsHash = "tools-v1") {
  await t.run(async (ctx) => {
    await ctx.db.insert("mcpServerTools", {
      mcpServerId,
      name: "lookup",
      description: "Looks things up.",
      inputSchemaJson: JSON.stringify({ type: "object", properties: { q: { type: "string" } }, required: ["q"] }),
      enabled: true,
      discoveredAt: Date.now(),
    });
    await ctx.db.patch("mcpServers", mcpServerId, { toolsHash });
  });
}

const toolCall = {
  skillName: "docs__lookup",
  inputJson: JSON.stringify({ q: "install" }),
  caller: { kind: "system" as const },
  channel: "web" as const,
  dryRun: false,
  serverName: "docs",
  toolName: "lookup",
};

async function admission(t: Deployment) {
  const result = await t.mutation(internal.security.checker.admitMcpToolCall, toolCall);
  return result.admitted ? "admitted" : result.code;
}

/** Every row the MCP functions write, so a refusal can be shown to have changed nothing. */
async function mcpState(t: Deployment) {
  return await t.run(async (ctx) => ({
    servers: await ctx.db.query("mcpServers").collect(),
    tools: await ctx.db.query("mcpServerTools").collect(),
    requests: await ctx.db.query("approvalRequests").collect(),
    activity: await ctx.db.query("activityLog").collect(),
  }));
}

describe("who may manage MCP servers", () => {
  type Caller = Pick<Deployment, "query" | "mutation">;
  const calls: [string, (caller: Caller, id: Id<"mcpServers">) => Promise<unknown>][] = [
    ["list", (caller) => caller.query(api.mcpServers.list, {})],
    ["detail", (caller, id) => caller.query(api.mcpServers.detail, { mcpServerId: id })],
    ["add", (caller) => caller.mutation(api.mcpServers.add, { ...SERVER, name: "intruder" })],
    ["approve", (caller, id) => caller.mutation(api.mcpServers.approve, { mcpServerId: id })],
    ["reject", (caller, id) => caller.mutation(api.mcpServers.reject, { mcpServerId: id })],
    ["setActive", (caller, id) => caller.mutation(api.mcpServers.setActive, { mcpServerId: id, active: false })],
    ["setRateLimit", (caller, id) => caller.mutation(api.mcpServers.setRateLimit, { mcpServerId: id, rateLimit: { kind: "token bucket", rate: 1, period: 60_000 } })],
    ["remove", (caller, id) => caller.mutation(api.mcpServers.remove, { mcpServerId: id })],
  ];

  it.each(calls)("refuses %s to an anonymous caller and to a signed-in identity that owns nothing, changing nothing", async (_name, call) => {
    const t = newDeployment();
    const id = await addServer(await ownerSession(t));
    const before = await mcpState(t);
    expect(await refusalKind(call(t, id))).toBe("NotSignedIn");
    expect(await refusalKind(call(signedInAs(t, "mallory"), id))).toBe("NotOwner");
    expect(await mcpState(t)).toEqual(before);
  });
});

describe("adding a server", () => {
  it("stores it pending review and switched off, files a review request, and shows its health as not checked", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    const { servers } = await owner.query(api.mcpServers.list, {});
    expect(servers).toMatchObject([
      { _id: mcpServerId, name: "docs", url: "https://mcp.docs.example/mcp", approvalStatus: "pending", status: "inactive", health: "unknown", lastHealthCheckAt: null, rateLimit: null },
    ]);
    const requests = await t.run(async (ctx) => await ctx.db.query("approvalRequests").collect());
    expect(requests).toMatchObject([{ subject: "mcpServer", mcpServerId, reason: "created", status: "pending", requestedBy: "owner" }]);
    expect(await admission(t)).toBe("MCP_SERVER_NOT_APPROVED");
  });

  it.each([
    ["plain http", "http://mcp.docs.example/mcp"],
    ["a private address", "https://10.0.0.5/"],
    ["loopback", "https://127.0.0.1/"],
    ["the cloud metadata address", "https://169.254.169.254/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["an IPv4 loopback in hex", "https://0x7f.0.0.1/"],
    ["localhost", "https://localhost/mcp"],
    ["a port other than 443", "https://mcp.docs.example:8443/mcp"],
    ["a user name and password", "https://admin:hunter2@mcp.docs.example/mcp"],
    ["garbage", "not a url at all"],
    ["an oversized URL", `https://mcp.docs.example/${"a".repeat(3000)}`],
  ])("refuses %s, storing nothing", async (_name, url) => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const before = await mcpState(t);
    const result = await owner.mutation(api.mcpServers.add, { ...SERVER, url });
    expect(result).toEqual({ ok: false, error: expect.any(String) });
    expect(await mcpState(t)).toEqual(before);
  });

  it.each([
    ["an upper-case name", { name: "Docs" }],
    ["a name with a double underscore", { name: "my__docs" }],
    ["a one-letter name", { name: "d" }],
    ["a name too long for the tool prefix", { name: `d${"o".repeat(40)}` }],
    ["an empty display name", { displayName: "   " }],
    ["an oversized display name", { displayName: "D".repeat(65) }],
  ])("refuses %s, storing nothing", async (_name, fields) => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const result = await owner.mutation(api.mcpServers.add, { ...SERVER, ...fields });
    expect(result).toEqual({ ok: false, error: expect.any(String) });
    expect((await mcpState(t)).servers).toEqual([]);
  });

  it("refuses a second server with the same name, keeping the first unchanged", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    await addServer(owner);
    const before = await mcpState(t);
    expect(await owner.mutation(api.mcpServers.add, { ...SERVER, url: "https://other.example/mcp" })).toEqual({ ok: false, error: "A server with that name exists." });
    expect(await mcpState(t)).toEqual(before);
  });

  it("accepts a public host on the default port, stored in normal form", () => {
    expect(serverUrlCheck(" https://MCP.Docs.Example:443/mcp ")).toEqual({ ok: true, url: "https://mcp.docs.example/mcp" });
    expect(serverNameProblem("docs_search")).toBeNull();
  });
});

describe("reviewing a server", () => {
  it("admits a tool call once approved, and refuses again when it is rejected or switched off", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    expect(await admission(t)).toBe("MCP_SERVER_NOT_APPROVED");

    expect(await owner.mutation(api.mcpServers.approve, { mcpServerId })).toEqual({ ok: true });
    expect(await admission(t)).toBe("admitted");

    expect(await owner.mutation(api.mcpServers.setActive, { mcpServerId, active: false })).toEqual({ ok: true });
    expect(await admission(t)).toBe("MCP_SERVER_INACTIVE");
    expect(await owner.mutation(api.mcpServers.setActive, { mcpServerId, active: true })).toEqual({ ok: true });
    expect(await admission(t)).toBe("admitted");

    expect(await owner.mutation(api.mcpServers.reject, { mcpServerId, note: "Not the server we meant." })).toEqual({ ok: true });
    expect(await admission(t)).toBe("MCP_SERVER_NOT_APPROVED");
    expect((await owner.query(api.mcpServers.list, {})).servers).toMatchObject([{ approvalStatus: "rejected", status: "inactive", reviewNote: "Not the server we meant." }]);
  });

  it("records who approved and the tool list approved, and closes the review request", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    const { server, request, ownerId } = await t.run(async (ctx) => ({
      server: await ctx.db.get("mcpServers", mcpServerId),
      request: await ctx.db.query("approvalRequests").first(),
      ownerId: (await ctx.db.query("owners").first())!._id,
    }));
    expect(server).toMatchObject({ approvalStatus: "approved", status: "active", approvedBy: ownerId, approvedAt: expect.any(Number), approvedToolsHash: "tools-v1" });
    expect(request).toMatchObject({ status: "approved", decidedBy: ownerId, decidedAt: expect.any(Number) });
  });

  it("refuses calls after the server's tools change, until an owner approves the new list", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    await t.run(async (ctx) => await ctx.db.patch("mcpServers", mcpServerId, { toolsHash: "tools-v2" }));
    expect(await admission(t)).toBe("MCP_SERVER_NOT_APPROVED");
    expect((await owner.query(api.mcpServers.list, {})).servers[0].toolsChangedSinceApproval).toBe(true);
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    expect(await admission(t)).toBe("admitted");
  });

  it("keeps an owner's switch off when a server is approved again", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    await owner.mutation(api.mcpServers.setActive, { mcpServerId, active: false });
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    expect((await owner.query(api.mcpServers.list, {})).servers[0].status).toBe("inactive");
  });

  it("will not switch on a server that is not approved", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    const before = await mcpState(t);
    expect(await owner.mutation(api.mcpServers.setActive, { mcpServerId, active: true })).toEqual({ ok: false, error: "Approve the server before switching it on." });
    expect(await mcpState(t)).toEqual(before);
    expect(await admission(t)).toBe("MCP_SERVER_NOT_APPROVED");
  });

  it("refuses an oversized rejection note, changing nothing", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    const before = await mcpState(t);
    expect(await owner.mutation(api.mcpServers.reject, { mcpServerId, note: "n".repeat(1001) })).toEqual({ ok: false, error: expect.any(String) });
    expect(await mcpState(t)).toEqual(before);
  });
});

describe("a server's rate limit", () => {
  it("is applied by the checker once set, and the default applies again once cleared", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    await owner.mutation(api.mcpServers.approve, { mcpServerId });
    expect(await owner.mutation(api.mcpServers.setRateLimit, { mcpServerId, rateLimit: { kind: "token bucket", rate: 2, period: 60_000, capacity: 2 } })).toEqual({ ok: true });
    expect(await admission(t)).toBe("admitted");
    expect(await admission(t)).toBe("admitted");
    expect(await admission(t)).toBe("RATE_LIMIT_MCP_SERVER");
    expect(await owner.mutation(api.mcpServers.setRateLimit, { mcpServerId, rateLimit: null })).toEqual({ ok: true });
    const { servers, defaultRateLimit } = await owner.query(api.mcpServers.list, {});
    expect(servers[0].rateLimit).toBeNull();
    expect(defaultRateLimit).toMatchObject({ rate: 50, period: 60_000 });
  });

  it.each([
    ["no calls", { rate: 0, period: 60_000 }],
    ["a fraction of a call", { rate: 1.5, period: 60_000 }],
    ["a huge rate", { rate: 1e9, period: 60_000 }],
    ["a period under a second", { rate: 5, period: 10 }],
    ["a period over a day", { rate: 5, period: 2 * 86_400_000 }],
    ["a burst of none", { rate: 5, period: 60_000, capacity: 0 }],
  ])("refuses %s, changing nothing", async (_name, limit) => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    const before = await mcpState(t);
    expect(await owner.mutation(api.mcpServers.setRateLimit, { mcpServerId, rateLimit: { kind: "token bucket", ...limit } })).toEqual({ ok: false, error: expect.any(String) });
    expect(await mcpState(t)).toEqual(before);
    expect(rateLimitProblem({ kind: "token bucket", ...limit })).not.toBeNull();
  });
});

describe("a server's detail and removal", () => {
  it("shows the server with its tools", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    expect(await owner.query(api.mcpServers.detail, { mcpServerId })).toMatchObject({
      server: { _id: mcpServerId, name: "docs" },
      tools: [{ name: "lookup", description: "Looks things up.", enabled: true }],
      moreTools: false,
    });
  });

  it("removes the server with its tools and closes its open review, after which the checker knows no such server", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await discoverTool(t, mcpServerId);
    expect(await owner.mutation(api.mcpServers.remove, { mcpServerId })).toEqual({ ok: true });
    const state = await mcpState(t);
    expect(state.servers).toEqual([]);
    expect(state.tools).toEqual([]);
    expect(state.requests).toMatchObject([{ mcpServerId, status: "rejected" }]);
    expect(await owner.query(api.mcpServers.detail, { mcpServerId })).toBeNull();
    expect(await admission(t)).toBe("MCP_SERVER_NOT_FOUND");
    expect(await owner.mutation(api.mcpServers.remove, { mcpServerId })).toEqual({ ok: false, error: "That server no longer exists." });
  });

  it("removes a server with more tools than one transaction deletes, finishing in the background", async () => {
    const t = newDeployment();
    const owner = await ownerSession(t);
    const mcpServerId = await addServer(owner);
    await t.run(async (ctx) => {
      for (let i = 0; i < 450; i++) {
        await ctx.db.insert("mcpServerTools", { mcpServerId, name: `tool_${i}`, description: "d", inputSchemaJson: "{}", enabled: true, discoveredAt: 0 });
      }
    });
    await owner.mutation(api.mcpServers.remove, { mcpServerId });
    expect((await mcpState(t)).tools.length).toBe(250);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await mcpState(t)).tools).toEqual([]);
  });
});
