// The tools a server offers, as it described them (its own, untrusted words, shown as plain text).
import { useQuery } from "convex/react";
import type { Id } from "../../../../convex/_generated/dataModel";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import "../../../styles/syncboard-integrations.css";

export function McpServerTools({ mcpServerId }: { mcpServerId: Id<"mcpServers"> }) {
  const detail = useQuery(api.mcpServers.detail, { mcpServerId });
  if (detail === undefined) return <Spinner label="Loading tools…" />;
  if (detail === null) return null;
  if (detail.tools.length === 0) {
    return (
      <EmptyState title="No tools listed yet">
        <p>ClawSync has not asked this server for its tools yet; tool discovery arrives with a later update.</p>
      </EmptyState>
    );
  }
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">Tools of {detail.server.displayName}</caption>
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">Description</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {detail.tools.map((tool) => (
            <tr key={tool._id}>
              <td className="integrations-code">{tool.name}</td>
              <td>{tool.description}</td>
              <td>
                <Badge>{tool.enabled ? "On" : "Off"}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.moreTools ? <p className="form__hint">Only the first {detail.tools.length} tools are shown.</p> : null}
    </div>
  );
}
