// Every connected MCP server, each with its review, switch, health and controls.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import { McpServerCard } from "./McpServerCard";
import "../../../styles/syncboard-integrations.css";

export function McpServerList() {
  const listing = useQuery(api.mcpServers.list, {});

  return (
    <section className="integrations-section" aria-labelledby="mcp-list-title">
      <h2 id="mcp-list-title" className="integrations-section__title">
        Servers
      </h2>
      {listing === undefined ? (
        <Spinner label="Loading servers…" />
      ) : listing.servers.length === 0 ? (
        <EmptyState title="No MCP servers yet">
          <p>Add one above. It waits for an owner to approve it before the agent can call any of its tools.</p>
        </EmptyState>
      ) : (
        <ul className="integrations-list" data-testid="mcp-list">
          {listing.servers.map((server) => (
            <li key={server._id}>
              <McpServerCard server={server} defaultRateLimit={listing.defaultRateLimit} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
