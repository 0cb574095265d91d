// SyncBoard › MCP servers: external tool servers the agent may call, each only once an owner has
// approved it, within its rate limit.
import { McpAddServerForm } from "../../components/syncboard/integrations/McpAddServerForm";
import { McpServerList } from "../../components/syncboard/integrations/McpServerList";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function McpServersPage() {
  return (
    <SyncBoardPage title="MCP servers">
      <p className="integrations-intro">
        The agent can call the tools of an external MCP server only after an owner approves the server, and again after the server changes its tools. Every call goes
        through the security checker and the server&apos;s rate limit.
      </p>
      <McpAddServerForm />
      <McpServerList />
    </SyncBoardPage>
  );
}
