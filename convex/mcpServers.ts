// SyncBoard's MCP servers: adding an external server, reviewing it, switching it on and off, its
// rate limit, and removing it. The rules the checker relies on are enforced here on the server: a
// server's URL is https on port 443 to a public host (the guarded fetch refuses anything else at
// call time, so a URL it would refuse is never stored), a new server waits for an owner's approval,
// and approval records the tool list the owner saw (`approvedToolsHash`), so a server that changes
// its tools later is refused by `admitMcpToolCall` until it is reviewed again. Discovering tools and
// checking health are later MCP work; until then a server's health reads "unknown".
import { v } from "convex/values";

import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { recordActivity } from "./activity";
import { requestApproval } from "./approvals";
import { internalMutation, ownerMutation, ownerQuery } from "./lib/functions";
import { rateLimitConfig } from "./lib/rateLimits";
import {
  DAY,
  LIMITS,
  SECOND,
  vApprovalStatus,
  vHealthStatus,
  vMcpServerStatus,
  vMcpTransport,
  vRateLimitConfig,
  type RateLimitConfig,
} from "./lib/validators";
import { scrubText } from "./security/redact";
import { parseOutboundUrl } from "./security/ssrf";

/**
 * A server's name prefixes its tools as the model sees them ("<name>__<tool>"), so it is a short
 * lowercase slug without a double underscore, leaving room for the tool's own name.
 */
const SERVER_NAME = /^[a-z][a-z0-9_]{1,31}$/;

/** Most tools one server's detail lists, and most tool rows one removal deletes in a transaction. */
const TOOLS_PAGE = 200;

/** Most servers the list shows; a deployment connects a handful. */
const SERVERS_MAX = 100;

/** Bounds of an owner-set rate limit: at least one call, at most what the limiter handles well. */
const RATE_MAX = 10_000;

/** A refusal the page shows next to the control that caused it. */
const vRefusal = v.object({ ok: v.literal(false), error: v.string() });
const vDone = v.union(v.object({ ok: v.literal(true) }), vRefusal);
type Done = { ok: true } | { ok: false; error: string };

const refuse = (error: string) => ({ ok: false as const, error });

/** Why a server name cannot be used, or null when it can. */
export function serverNameProblem(name: string): string | null {
  if (!SERVER_NAME.test(name) || name.includes("__") || name.endsWith("_")) {
    return "A server name is 2 to 32 lowercase letters, digits and single underscores, starting with a letter.";
  }
  return null;
}

/**
 * The URL to store for a new server, or why it is refused: https only, port 443 only, no user name
 * or password, and a host that is neither an internal name nor a private, loopback or link-local
 * address. The server's own host is its allowlist (approving the server approves calling it).
 */
export function serverUrlCheck(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let host: string;
  try {
    host = new URL(raw.trim()).hostname;
  } catch {
    return refuse("Enter a full URL such as https://mcp.example.com/mcp.");
  }
  const parsed = parseOutboundUrl(raw.trim(), [host]);
  return parsed.ok ? { ok: true, url: parsed.url.href } : refuse(parsed.reason);
}

/** Why an owner's rate limit cannot be used, or null: whole positive numbers within bounds. */
export function rateLimitProblem(config: RateLimitConfig): string | null {
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!whole(config.rate, RATE_MAX)) return `The rate is a whole number from 1 to ${RATE_MAX}.`;
  if (!whole(config.period, DAY) || config.period < SECOND) return "The period is from one second to one day.";
  if (config.capacity !== undefined && !whole(config.capacity, RATE_MAX)) return `The burst is a whole number from 1 to ${RATE_MAX}.`;
  if (config.shards !== undefined && !whole(config.shards, 64)) return "Shards are a whole number from 1 to 64.";
  return null;
}

/** Owner-typed text for an activity summary: secrets scrubbed, and short. */
const summaryText = (text: string) => scrubText(text).slice(0, LIMITS.nameChars);

const vServerListing = v.object({
  _id: v.id("mcpServers"),
  _creationTime: v.number(),
  name: v.string(),
  displayName: v.string(),
  url: v.string(),
  transport: vMcpTransport,
  approvalStatus: vApprovalStatus,
  status: vMcpServerStatus,
  health: vHealthStatus,
  lastHealthCheckAt: v.union(v.number(), v.null()),
  lastHealthError: v.union(v.string(), v.null()),
  // Tools were discovered again and differ from the list an owner approved: calls are refused.
  toolsChangedSinceApproval: v.boolean(),
  // The server's own limit, or null when the mcpPerServer default applies.
  rateLimit: v.union(vRateLimitConfig, v.null()),
  timeoutMs: v.number(),
  maxOutputBytes: v.number(),
  approvedAt: v.union(v.number(), v.null()),
  reviewNote: v.union(v.string(), v.null()),
});

function toListing(server: Doc<"mcpServers">) {
  return {
    _id: server._id,
    _creationTime: server._creationTime,
    name: server.name,
    displayName: server.displayName,
    url: server.url,
    transport: server.transport,
    approvalStatus: server.approvalStatus,
    status: server.status,
    health: server.health,
    lastHealthCheckAt: server.lastHealthCheckAt ?? null,
    lastHealthError: server.lastHealthError ?? null,
    toolsChangedSinceApproval: server.approvalStatus === "approved" && server.toolsHash !== server.approvedToolsHash,
    rateLimit: server.rateLimit ?? null,
    timeoutMs: server.timeoutMs,
    maxOutputBytes: server.maxOutputBytes,
    approvedAt: server.approvedAt ?? null,
    reviewNote: server.reviewNote ?? null,
  };
}

/** Every server, by name, with the default rate limit the ones without their own limit run under. */
export const list = ownerQuery({
  args: {},
  returns: v.object({ servers: v.array(vServerListing), defaultRateLimit: vRateLimitConfig }),
  handler: async (ctx) => {
    const servers = await ctx.db.query("mcpServers").withIndex("by_name").take(SERVERS_MAX);
    return { servers: servers.map(toListing), defaultRateLimit: await rateLimitConfig(ctx, "mcpPerServer") };
  },
});

/** One server with the tools it offers (descriptions are the server's own, untrusted text). */
export const detail = ownerQuery({
  args: { mcpServerId: v.id("mcpServers") },
  returns: v.union(
    v.null(),
    v.object({
      server: vServerListing,
      tools: v.array(v.object({ _id: v.id("mcpServerTools"), name: v.string(), description: v.string(), enabled: v.boolean(), discoveredAt: v.number() })),
      moreTools: v.boolean(),
    }),
  ),
  handler: async (ctx, { mcpServerId }) => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return null;
    const tools = await ctx.db
      .query("mcpServerTools")
      .withIndex("by_server_and_name", (q) => q.eq("mcpServerId", mcpServerId))
      .take(TOOLS_PAGE + 1);
    return {
      server: toListing(server),
      tools: tools.slice(0, TOOLS_PAGE).map(({ _id, name, description, enabled, discoveredAt }) => ({ _id, name, description, enabled, discoveredAt })),
      moreTools: tools.length > TOOLS_PAGE,
    };
  },
});

/** Adds a server, pending review and switched off, and files the review request. */
export const add = ownerMutation({
  args: { name: v.string(), displayName: v.string(), url: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), mcpServerId: v.id("mcpServers") }), vRefusal),
  handler: async (ctx, args) => {
    const name = args.name.trim();
    const displayName = args.displayName.trim();
    const nameProblem = serverNameProblem(name);
    if (nameProblem) return refuse(nameProblem);
    if (displayName === "" || displayName.length > LIMITS.nameChars) return refuse(`A display name is 1 to ${LIMITS.nameChars} characters.`);
    const url = serverUrlCheck(args.url);
    if (!url.ok) return url;
    const taken = await ctx.db
      .query("mcpServers")
      .withIndex("by_name", (q) => q.eq("name", name))
      .first();
    if (taken !== null) return refuse("A server with that name exists.");

    const mcpServerId = await ctx.db.insert("mcpServers", {
      name,
      displayName,
      url: url.url,
      // The only transport the MCP client (mcp/toolCall.ts) speaks.
      transport: "streamableHttp",
      approvalStatus: "pending",
      status: "inactive",
      health: "unknown",
      consecutiveFailures: 0,
      timeoutMs: LIMITS.skillTimeoutMsDefault,
      maxOutputBytes: LIMITS.webhookOutputBytesDefault,
      createdBy: ctx.owner.ownerId,
      updatedAt: Date.now(),
    });
    await requestApproval(ctx, { subject: "mcpServer", mcpServerId }, "created", "owner");
    await recordActivity(ctx, { kind: "mcp.serverAdded", summary: `MCP server "${summaryText(name)}" added, waiting for review`, actorKind: "owner" });
    return { ok: true as const, mcpServerId };
  },
});

/**
 * Approves the server and the tool list it offers now. A first approval also switches it on; a
 * later one (after its tools changed) leaves the owner's switch, and the health check's, as it was.
 */
export const approve = ownerMutation({
  args: { mcpServerId: v.id("mcpServers") },
  returns: vDone,
  handler: async (ctx, { mcpServerId }) => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return refuse("That server no longer exists.");
    const now = Date.now();
    await ctx.db.patch("mcpServers", mcpServerId, {
      approvalStatus: "approved",
      approvedBy: ctx.owner.ownerId,
      approvedAt: now,
      approvedToolsHash: server.toolsHash,
      reviewNote: undefined,
      ...(server.approvedAt === undefined ? { status: "active" as const } : {}),
      updatedAt: now,
    });
    await decidePending(ctx, mcpServerId, "approved", ctx.owner.ownerId, now);
    await recordActivity(ctx, { kind: "mcp.serverApproved", summary: `MCP server "${summaryText(server.name)}" approved`, actorKind: "owner" });
    return { ok: true as const };
  },
});

/** Rejects the server: refused by the checker and switched off, with the owner's note. */
export const reject = ownerMutation({
  args: { mcpServerId: v.id("mcpServers"), note: v.optional(v.string()) },
  returns: vDone,
  handler: async (ctx, { mcpServerId, note }) => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return refuse("That server no longer exists.");
    if (note !== undefined && note.length > LIMITS.descriptionChars) return refuse(`A note is at most ${LIMITS.descriptionChars} characters.`);
    const now = Date.now();
    const trimmed = note?.trim();
    await ctx.db.patch("mcpServers", mcpServerId, {
      approvalStatus: "rejected",
      status: "inactive",
      reviewNote: trimmed ? trimmed : undefined,
      updatedAt: now,
    });
    await decidePending(ctx, mcpServerId, "rejected", ctx.owner.ownerId, now);
    await recordActivity(ctx, { kind: "mcp.serverRejected", summary: `MCP server "${summaryText(server.name)}" rejected`, actorKind: "owner" });
    return { ok: true as const };
  },
});

/** The owner's switch. Only an approved server can be switched on; off works in any state. */
export const setActive = ownerMutation({
  args: { mcpServerId: v.id("mcpServers"), active: v.boolean() },
  returns: vDone,
  handler: async (ctx, { mcpServerId, active }): Promise<Done> => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return refuse("That server no longer exists.");
    if (active && server.approvalStatus !== "approved") return refuse("Approve the server before switching it on.");
    await ctx.db.patch("mcpServers", mcpServerId, { status: active ? "active" : "inactive", updatedAt: Date.now() });
    await recordActivity(ctx, { kind: active ? "mcp.serverEnabled" : "mcp.serverDisabled", summary: `MCP server "${summaryText(server.name)}" switched ${active ? "on" : "off"}`, actorKind: "owner" });
    return { ok: true };
  },
});

/** Sets the server's own rate limit, or (null) returns it to the mcpPerServer default. */
export const setRateLimit = ownerMutation({
  args: { mcpServerId: v.id("mcpServers"), rateLimit: v.union(vRateLimitConfig, v.null()) },
  returns: vDone,
  handler: async (ctx, { mcpServerId, rateLimit }): Promise<Done> => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return refuse("That server no longer exists.");
    const problem = rateLimit === null ? null : rateLimitProblem(rateLimit);
    if (problem) return refuse(problem);
    await ctx.db.patch("mcpServers", mcpServerId, { rateLimit: rateLimit ?? undefined, updatedAt: Date.now() });
    const summary = rateLimit === null ? "the default" : `${rateLimit.rate} per ${rateLimit.period / SECOND} s`;
    await recordActivity(ctx, { kind: "mcp.serverRateLimit", summary: `MCP server "${summaryText(server.name)}" rate limit set to ${summary}`, actorKind: "owner" });
    return { ok: true };
  },
});

/**
 * Removes the server and its tools. Its open review request is closed as rejected, so the review
 * queue never points at a server that is gone. Its log rows stay, as every log does, until pruned.
 */
export const remove = ownerMutation({
  args: { mcpServerId: v.id("mcpServers") },
  returns: vDone,
  handler: async (ctx, { mcpServerId }): Promise<Done> => {
    const server = await ctx.db.get("mcpServers", mcpServerId);
    if (server === null) return refuse("That server no longer exists.");
    await ctx.db.delete("mcpServers", mcpServerId);
    await decidePending(ctx, mcpServerId, "rejected", ctx.owner.ownerId, Date.now());
    await deleteTools(ctx, mcpServerId);
    await recordActivity(ctx, { kind: "mcp.serverRemoved", summary: `MCP server "${summaryText(server.name)}" removed`, actorKind: "owner" });
    return { ok: true };
  },
});

/** Deletes a removed server's tools, a bounded batch per transaction, continuing in the background. */
async function deleteTools(ctx: MutationCtx, mcpServerId: Id<"mcpServers">): Promise<void> {
  const tools = await ctx.db
    .query("mcpServerTools")
    .withIndex("by_server_and_name", (q) => q.eq("mcpServerId", mcpServerId))
    .take(TOOLS_PAGE);
  for (const tool of tools) await ctx.db.delete("mcpServerTools", tool._id);
  if (tools.length === TOOLS_PAGE) await ctx.scheduler.runAfter(0, internal.mcpServers.deleteRemovedTools, { mcpServerId });
}

export const deleteRemovedTools = internalMutation({
  args: { mcpServerId: v.id("mcpServers") },
  returns: v.null(),
  handler: async (ctx, { mcpServerId }) => {
    await deleteTools(ctx, mcpServerId);
    return null;
  },
});

async function decidePending(ctx: MutationCtx, mcpServerId: Id<"mcpServers">, status: "approved" | "rejected", ownerId: Id<"owners">, now: number): Promise<void> {
  const pending = await ctx.db
    .query("approvalRequests")
    .withIndex("by_mcpServer_and_status", (q) => q.eq("mcpServerId", mcpServerId).eq("status", "pending"))
    .take(10);
  for (const request of pending) await ctx.db.patch("approvalRequests", request._id, { status, decidedAt: now, decidedBy: ownerId });
}
