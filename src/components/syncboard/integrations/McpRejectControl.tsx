// Rejecting a server asks for an optional reason first, kept with the server for the next owner.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation } from "convex/react";
import type { Id } from "../../../../convex/_generated/dataModel";
import { api } from "../../../../convex/_generated/api";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

export function McpRejectControl({ mcpServerId, name }: { mcpServerId: Id<"mcpServers">; name: string }) {
  const reject = useMutation(api.mcpServers.reject);
  const { busy, error, run } = useOutcome();
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState("");
  const noteRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (asking) noteRef.current?.focus();
  }, [asking]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await run(() => reject({ mcpServerId, ...(note.trim() !== "" ? { note } : {}) }));
    if (result?.ok) {
      setAsking(false);
      setNote("");
    }
  }

  if (!asking) {
    return (
      <button type="button" className="button button--quiet" onClick={() => setAsking(true)} data-testid={`mcp-reject-${name}`}>
        Reject
      </button>
    );
  }
  const noteId = `mcp-reject-note-${name}`;
  return (
    <form className="integrations-inline-form" onSubmit={onSubmit}>
      <label className="form__label" htmlFor={noteId}>
        Reason (optional)
      </label>
      <input id={noteId} ref={noteRef} className="form__control" value={note} onChange={(event) => setNote(event.target.value)} maxLength={1000} />
      <button type="submit" className="button button--danger" disabled={busy}>
        {busy ? "Rejecting…" : "Confirm: Reject"}
      </button>
      <button type="button" className="button button--quiet" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
      <OutcomeError error={error} />
    </form>
  );
}
