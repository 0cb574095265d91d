// One MCP server: what it is, where it stands (review, switch, health), and what an owner can do
// with it. Approval is what lets the checker admit a call to its tools; removal asks once more.
import { useState } from "react";
import { useMutation } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { ConfirmButton } from "../../common/ConfirmButton";
import { RelativeTime } from "../../common/RelativeTime";
import { healthLabel, reviewLabel, statusLabel, type McpServerListing, type RateLimit } from "./mcpLabels";
import { McpRateLimitForm } from "./McpRateLimitForm";
import { McpRejectControl } from "./McpRejectControl";
import { McpServerTools } from "./McpServerTools";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

interface McpServerCardProps {
  server: McpServerListing;
  defaultRateLimit: RateLimit;
}

export function McpServerCard({ server, defaultRateLimit }: McpServerCardProps) {
  const approve = useMutation(api.mcpServers.approve);
  const setActive = useMutation(api.mcpServers.setActive);
  const remove = useMutation(api.mcpServers.remove);
  const { busy, error, run } = useOutcome();
  const [showTools, setShowTools] = useState(false);
  const mcpServerId = server._id;
  const review = reviewLabel(server);
  const status = statusLabel(server);
  const health = healthLabel(server);
  const needsReview = server.approvalStatus !== "approved" || server.toolsChangedSinceApproval;
  const toolsId = `mcp-tools-${server.name}`;

  return (
    <article className="integrations-card" data-testid={`mcp-server-${server.name}`} aria-labelledby={`mcp-title-${server.name}`}>
      <header className="integrations-card__header">
        <h3 id={`mcp-title-${server.name}`} className="integrations-card__title">
          {server.displayName} <span className="integrations-card__slug">{server.name}</span>
        </h3>
        <div className="integrations-badges">
          <Badge tone={review.attention ? "notice" : "neutral"}>{review.text}</Badge>
          <Badge tone={status.attention ? "notice" : "neutral"}>{status.text}</Badge>
          <Badge tone={health.attention ? "notice" : "neutral"}>{health.text}</Badge>
        </div>
      </header>

      <dl className="integrations-facts">
        <dt>URL</dt>
        <dd className="integrations-code">{server.url}</dd>
        <dt>Health</dt>
        <dd>
          {server.lastHealthCheckAt === null ? (
            "Not checked yet: health checks arrive with a later update."
          ) : (
            <>
              Checked <RelativeTime ms={server.lastHealthCheckAt} />
              {server.lastHealthError !== null ? ` (last failure: ${server.lastHealthError})` : null}
            </>
          )}
        </dd>
        {server.approvedAt !== null ? (
          <>
            <dt>Approved</dt>
            <dd>
              <RelativeTime ms={server.approvedAt} />
            </dd>
          </>
        ) : null}
        {server.reviewNote !== null ? (
          <>
            <dt>Review note</dt>
            <dd>{server.reviewNote}</dd>
          </>
        ) : null}
      </dl>

      <div className="form__actions">
        {needsReview ? (
          <button type="button" className="button button--primary" disabled={busy} data-testid={`mcp-approve-${server.name}`} onClick={() => void run(() => approve({ mcpServerId }))}>
            {server.toolsChangedSinceApproval ? "Approve new tools" : "Approve"}
          </button>
        ) : null}
        {server.approvalStatus !== "rejected" ? <McpRejectControl mcpServerId={mcpServerId} name={server.name} /> : null}
        {server.approvalStatus === "approved" ? (
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            data-testid={`mcp-toggle-${server.name}`}
            onClick={() => void run(() => setActive({ mcpServerId, active: server.status !== "active" }))}
          >
            {server.status === "active" ? "Switch off" : "Switch on"}
          </button>
        ) : null}
        <button type="button" className="button button--quiet" aria-expanded={showTools} aria-controls={toolsId} onClick={() => setShowTools(!showTools)}>
          {showTools ? "Hide tools" : "Show tools"}
        </button>
        <ConfirmButton
          label="Remove"
          question={`Remove ${server.displayName} and its tools? The agent loses them at once.`}
          disabled={busy}
          onConfirm={async () => {
            await run(() => remove({ mcpServerId }));
          }}
        />
      </div>
      <OutcomeError error={error} />

      <McpRateLimitForm server={server} defaultRateLimit={defaultRateLimit} />
      {showTools ? (
        <div id={toolsId}>
          <McpServerTools mcpServerId={mcpServerId} />
        </div>
      ) : null}
    </article>
  );
}
