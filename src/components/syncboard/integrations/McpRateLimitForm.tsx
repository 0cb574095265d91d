// A server's own limit on tool calls per minute, or the default for every server.
import { useState, type FormEvent } from "react";
import { useMutation } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { describeRateLimit, type McpServerListing, type RateLimit } from "./mcpLabels";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

interface McpRateLimitFormProps {
  server: McpServerListing;
  defaultRateLimit: RateLimit;
}

const MINUTE_MS = 60_000;

export function McpRateLimitForm({ server, defaultRateLimit }: McpRateLimitFormProps) {
  const setRateLimit = useMutation(api.mcpServers.setRateLimit);
  const { busy, error, run } = useOutcome();
  const [perMinute, setPerMinute] = useState("");
  const inputId = `mcp-rate-${server.name}`;
  const hintId = `${inputId}-hint`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const rate = Number(perMinute);
    // A token bucket that can burst one minute's worth, the same shape as the default limits.
    const result = await run(() => setRateLimit({ mcpServerId: server._id, rateLimit: { kind: "token bucket", rate, period: MINUTE_MS, capacity: rate } }));
    if (result?.ok) setPerMinute("");
  }

  return (
    <form className="integrations-inline-form" onSubmit={onSubmit}>
      <label className="form__label" htmlFor={inputId}>
        Tool calls per minute
      </label>
      <input
        id={inputId}
        className="form__control integrations-number"
        type="number"
        inputMode="numeric"
        min={1}
        max={10_000}
        step={1}
        required
        value={perMinute}
        onChange={(event) => setPerMinute(event.target.value)}
        aria-describedby={hintId}
      />
      <button type="submit" className="button button--quiet" disabled={busy}>
        Set limit
      </button>
      {server.rateLimit !== null ? (
        <button type="button" className="button button--quiet" disabled={busy} onClick={() => void run(() => setRateLimit({ mcpServerId: server._id, rateLimit: null }))}>
          Use the default
        </button>
      ) : null}
      <p id={hintId} className="form__hint integrations-inline-form__wide">
        {server.rateLimit !== null
          ? `Now: ${describeRateLimit(server.rateLimit)} (its own limit; the default is ${describeRateLimit(defaultRateLimit)}).`
          : `Now: the default for every server, ${describeRateLimit(defaultRateLimit)}.`}
      </p>
      <OutcomeError error={error} />
    </form>
  );
}
