// How an MCP server's review, switch and health read on the page. Health is filled in by the
// periodic check; a server it has never checked says so rather than claiming a state.
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";

export type McpServerListing = FunctionReturnType<typeof api.mcpServers.list>["servers"][number];
export type RateLimit = FunctionReturnType<typeof api.mcpServers.list>["defaultRateLimit"];

export function reviewLabel(server: McpServerListing): { text: string; attention: boolean } {
  if (server.toolsChangedSinceApproval) return { text: "Tools changed: review again", attention: true };
  if (server.approvalStatus === "pending") return { text: "Waiting for review", attention: true };
  if (server.approvalStatus === "rejected") return { text: "Rejected", attention: false };
  return { text: "Approved", attention: false };
}

export function statusLabel(server: McpServerListing): { text: string; attention: boolean } {
  if (server.status === "autoDisabled") return { text: "Switched off by the health check", attention: true };
  return server.status === "active" ? { text: "On", attention: false } : { text: "Off", attention: false };
}

export function healthLabel(server: McpServerListing): { text: string; attention: boolean } {
  if (server.lastHealthCheckAt === null) return { text: "Health not checked yet", attention: false };
  switch (server.health) {
    case "healthy":
      return { text: "Healthy", attention: false };
    case "degraded":
      return { text: "Degraded", attention: true };
    case "unhealthy":
      return { text: "Unhealthy", attention: true };
    case "unknown":
      return { text: "Health unknown", attention: false };
  }
}

/** "50 calls per minute", "1 call per 10 seconds". */
export function describeRateLimit(limit: RateLimit): string {
  const calls = limit.rate === 1 ? "1 call" : `${limit.rate} calls`;
  if (limit.period === 60_000) return `${calls} per minute`;
  if (limit.period === 3_600_000) return `${calls} per hour`;
  const seconds = limit.period / 1000;
  return `${calls} per ${seconds === 1 ? "second" : `${seconds} seconds`}`;
}
