// An admin invites one more owner: the server makes a single-use code, keeps only its hash, and
// returns the code this once. It is shown here until the admin closes it, and never again.
import { useAction } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { LIMITS } from "../../../../convex/lib/validators";
import "../../../styles/syncboard-records.css";

type Minted = { code: string; expiresAt: number };

export function InviteOwnerForm() {
  const invite = useAction(api.owners.invite);
  const labelId = useId();
  const hintId = useId();
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [minted, setMinted] = useState<Minted | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await invite(label.trim() === "" ? {} : { label: label.trim() });
      if (result === null) setError("The invitation could not be created. Try again.");
      else {
        setMinted(result);
        setLabel("");
      }
    } catch {
      setError("The invitation could not be created. Only an admin can invite owners.");
    } finally {
      setBusy(false);
    }
  }

  if (minted !== null) return <InvitationCode minted={minted} onDone={() => setMinted(null)} />;

  return (
    <form className="form" onSubmit={onSubmit} data-testid="owners-invite" aria-busy={busy}>
      <div className="form__field">
        <label className="form__label" htmlFor={labelId}>
          Who is it for?
        </label>
        <input
          id={labelId}
          className="form__control"
          value={label}
          maxLength={LIMITS.nameChars}
          autoComplete="off"
          aria-describedby={hintId}
          onChange={(event) => setLabel(event.target.value)}
        />
        <p id={hintId} className="form__hint">
          A note for the open invitations list, such as "Sam". Optional.
        </p>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Creating…" : "Create invitation"}
        </button>
      </div>
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function InvitationCode({ minted, onDone }: { minted: Minted; onDone: () => void }) {
  const codeId = useId();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  async function onCopy() {
    try {
      await navigator.clipboard.writeText(minted.code);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <div className="invite-code" data-testid="owners-invite-code" role="region" aria-labelledby={`${codeId}-title`}>
      <p id={`${codeId}-title`} className="invite-code__title">
        Invitation created
      </p>
      <p className="invite-code__warning">
        This code is shown only once. Copy it now and give it to the new owner privately. It works once and expires{" "}
        <time dateTime={new Date(minted.expiresAt).toISOString()}>{new Date(minted.expiresAt).toLocaleString()}</time>.
      </p>
      <label className="form__label" htmlFor={codeId}>
        Invitation code
      </label>
      <input id={codeId} className="form__control invite-code__value" value={minted.code} readOnly spellCheck={false} onFocus={(event) => event.target.select()} />
      <div className="form__actions">
        <button type="button" className="button button--primary" onClick={() => void onCopy()}>
          Copy code
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          Done
        </button>
      </div>
      <p className={copy === "failed" ? "form__error" : "form__hint"} aria-live="polite">
        {copy === "copied" ? "Copied." : copy === "failed" ? "Copying failed: select the code and copy it yourself." : ""}
      </p>
    </div>
  );
}
