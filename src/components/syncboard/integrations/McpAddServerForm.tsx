// Adding an external MCP server. The server checks everything (name, https on port 443, a public
// host); the form only collects the three fields and shows the server's answer in place.
import { useState, type FormEvent } from "react";
import { useMutation } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

export function McpAddServerForm() {
  const add = useMutation(api.mcpServers.add);
  const { busy, error, run } = useOutcome();
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [url, setUrl] = useState("");
  const [added, setAdded] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAdded(null);
    const result = await run(() => add({ name, displayName, url }));
    if (result?.ok) {
      setAdded(displayName.trim());
      setName("");
      setDisplayName("");
      setUrl("");
    }
  }

  return (
    <section className="integrations-panel" aria-labelledby="mcp-add-title">
      <h2 id="mcp-add-title" className="integrations-panel__title">
        Add a server
      </h2>
      <form className="form" onSubmit={onSubmit} data-testid="mcp-add" aria-busy={busy}>
        <div className="form__field">
          <label className="form__label" htmlFor="mcp-add-name">
            Name
          </label>
          <input
            id="mcp-add-name"
            className="form__control"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            required
            aria-describedby="mcp-add-name-hint"
          />
          <p id="mcp-add-name-hint" className="form__hint">
            Lowercase letters, digits and underscores, such as docs_search. The agent sees its tools as name__tool.
          </p>
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor="mcp-add-display-name">
            Display name
          </label>
          <input id="mcp-add-display-name" className="form__control" value={displayName} onChange={(event) => setDisplayName(event.target.value)} required />
        </div>
        <div className="form__field">
          <label className="form__label" htmlFor="mcp-add-url">
            URL
          </label>
          <input
            id="mcp-add-url"
            className="form__control"
            type="url"
            inputMode="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://mcp.example.com/mcp"
            autoComplete="off"
            spellCheck={false}
            required
            aria-describedby="mcp-add-url-hint"
          />
          <p id="mcp-add-url-hint" className="form__hint">
            https only, on the standard port, to a public host: private and local addresses are refused.
          </p>
        </div>
        <OutcomeError error={error} />
        {added !== null ? (
          <p className="integrations-note" role="status">
            {added} was added. No tool can be called until an owner approves it.
          </p>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Adding…" : "Add server"}
          </button>
        </div>
      </form>
    </section>
  );
}
