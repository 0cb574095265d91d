// An approved, active MCP server "docs" with one tool, as the checker and the MCP client tests use it.
import type { Doc, Id } from "../../convex/_generated/dataModel";
import type { newDeployment } from "./setup";

export type ServerFields = Partial<Omit<Doc<"mcpServers">, "_id" | "_creationTime">>;

export async function insertMcpServer(
  t: ReturnType<typeof newDeployment>,
  fields: ServerFields = {},
  tool: { name: string; enabled: boolean } = { name: "lookup", enabled: true },
): Promise<Id<"mcpServers">> {
  return await t.run(async (ctx) => {
    const ownerId = await ctx.db.insert("owners", { tokenIdentifier: "test|mcp-owner", role: "admin", status: "active", joinedAt: Date.now() });
    const mcpServerId = await ctx.db.insert("mcpServers", {
      name: "docs",
      displayName: "Docs",
      url: "https://mcp.docs.example/mcp",
      transport: "streamableHttp",
      approvalStatus: "approved",
      status: "active",
      health: "healthy",
      consecutiveFailures: 0,
      toolsHash: "tools-v1",
      approvedToolsHash: "tools-v1",
      timeoutMs: 10_000,
      maxOutputBytes: 50 * 1024,
      createdBy: ownerId,
      updatedAt: Date.now(),
      ...fields,
    });
    await ctx.db.insert("mcpServerTools", {
      mcpServerId,
      name: tool.name,
      description: "Looks things up.",
      inputSchemaJson: JSON.stringify({ type: "object", properties: { q: { type: "string" } }, required: ["q"] }),
      enabled: tool.enabled,
      discoveredAt: Date.now(),
    });
    return mcpServerId;
  });
}
