// SyncBoard › MCP servers: external tool servers the agent may call.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function McpServersPage() {
  return (
    <SyncBoardPage title="MCP servers">
      <NotAvailableYet what="Connected MCP servers and their health" />
    </SyncBoardPage>
  );
}
