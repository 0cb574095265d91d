// The domain allowlist: the exact host names skills may call. Hosts added here apply to every
// skill; a skill's own hosts are listed under it. Removing one asks once more, since the next
// call a skill makes to that host is refused.
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState, type FormEvent, type ReactNode } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { useOutcome } from "../../../lib/useOutcome";
import { ConfirmButton } from "../../common/ConfirmButton";
import { EmptyState } from "../../common/EmptyState";
import { OutcomeError } from "../../common/OutcomeError";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { SubmitFeedback } from "./SubmitFeedback";
import { UNREACHABLE, useSubmit } from "./useSubmit";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

type Listing = FunctionReturnType<typeof api.domainAllowlist.list>;

export function AllowlistSection() {
  const listing = useQuery(api.domainAllowlist.list, {});
  return (
    <section className="settings-section" aria-labelledby="config-allowlist-title">
      <h2 id="config-allowlist-title" className="settings-section__title">
        Domain allowlist
      </h2>
      <p className="form__hint">
        Skills reach only the hosts listed here, matched exactly: <code>api.example.com</code> does not allow <code>www.example.com</code>. No wildcards, IP
        addresses or internal names.
      </p>
      <AddHostForm />
      {listing === undefined ? <Spinner label="Loading the allowlist…" /> : <Entries listing={listing} />}
    </section>
  );
}

function AddHostForm() {
  const add = useMutation(api.domainAllowlist.add);
  const [hostname, setHostname] = useState("");
  const [note, setNote] = useState("");
  const { state, busy, submit } = useSubmit();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await submit(() => add({ hostname, ...(note.trim() ? { note } : {}) }), (added) => `${added.hostname} is allowed for every skill.`);
    if (result?.ok) {
      setHostname("");
      setNote("");
    }
  }

  return (
    <form className="form settings-form allowlist-add" onSubmit={onSubmit} aria-busy={busy}>
      <div className="form__field">
        <label className="form__label" htmlFor="allowlist-host">
          Host name
        </label>
        <input
          id="allowlist-host"
          className="form__control"
          data-testid="config-allowlist-host"
          required
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          placeholder="api.example.com"
          aria-describedby="allowlist-feedback"
          aria-invalid={state.status === "failed"}
          value={hostname}
          onChange={(event) => setHostname(event.target.value)}
        />
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="allowlist-note">
          Why (optional)
        </label>
        <input id="allowlist-note" className="form__control" maxLength={280} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="config-allowlist-add" disabled={busy || hostname.trim() === ""}>
          {busy ? "Adding…" : "Add host"}
        </button>
      </div>
      <SubmitFeedback state={state} id="allowlist-feedback" />
    </form>
  );
}

function Entries({ listing }: { listing: Listing }) {
  return (
    <>
      <h3 className="settings-subtitle">For every skill</h3>
      {listing.global.length === 0 ? (
        <EmptyState title="No hosts allowed for every skill">
          <p>Skills that call the network are refused until their hosts are added.</p>
        </EmptyState>
      ) : (
        <EntryTable testId="config-allowlist-global" secondColumn="Why">
          {listing.global.map((entry) => (
            <EntryRow key={entry._id} id={entry._id} hostname={entry.hostname} note={entry.note} addedAt={entry.addedAt} />
          ))}
        </EntryTable>
      )}
      <h3 className="settings-subtitle">For one skill</h3>
      {listing.perSkill.length === 0 ? (
        <EmptyState title="No hosts allowed for a single skill" />
      ) : (
        <EntryTable testId="config-allowlist-skill" secondColumn="Skill">
          {listing.perSkill.map((entry) => (
            <EntryRow key={entry._id} id={entry._id} hostname={entry.hostname} note={entry.skillName ?? "A deleted skill"} addedAt={entry.addedAt} />
          ))}
        </EntryTable>
      )}
      {listing.perSkillTruncated ? <p className="form__hint">Only the first {listing.perSkill.length} per-skill hosts are shown.</p> : null}
    </>
  );
}

/** Both lists of hosts: they differ only in what their second column holds. */
function EntryTable({ testId, secondColumn, children }: { testId: string; secondColumn: string; children: ReactNode }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">{secondColumn}</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

interface EntryRowProps {
  id: Id<"domainAllowlist">;
  hostname: string;
  /** The second column: the owner's note, or the skill's name. */
  note: string | null;
  addedAt: number;
}

function EntryRow({ id, hostname, note, addedAt }: EntryRowProps) {
  const remove = useMutation(api.domainAllowlist.remove);
  const { error, run } = useOutcome(UNREACHABLE);

  async function onRemove() {
    await run(() => remove({ id }));
  }

  return (
    <tr data-testid={`config-allowlist-entry-${hostname}`}>
      <th scope="row">
        <code>{hostname}</code>
      </th>
      <td>{note ?? <span className="settings-muted">none</span>}</td>
      <td>
        <RelativeTime ms={addedAt} />
      </td>
      <td>
        <span data-testid={`config-allowlist-remove-${hostname}`}>
          <ConfirmButton label={`Remove ${hostname}`} question="Skills can no longer call it." onConfirm={onRemove} />
        </span>
        <OutcomeError error={error} />
      </td>
    </tr>
  );
}
