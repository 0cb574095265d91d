// Approve or reject a skill. In the list: one press to approve (and switch on), a confirmed press to
// reject. On the skill's page: the owner also chooses whether approval switches the skill on, and
// may leave a note with a rejection for the other owners.
import { useMutation } from "convex/react";
import { useId, useState } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { LIMITS, type ApprovalStatus } from "../../../../convex/lib/validators";
import { problemText } from "../../../lib/skills/problems";
import { ConfirmButton } from "../../common/ConfirmButton";

interface ReviewActionsProps {
  skillId: Id<"skills">;
  displayName: string;
  approvalStatus: ApprovalStatus;
  /** The list's row: no switch choice and no note. */
  compact?: boolean;
}

export function ReviewActions({ skillId, displayName, approvalStatus, compact = false }: ReviewActionsProps) {
  const approve = useMutation(api.skillsAdmin.approve);
  const reject = useMutation(api.skillsAdmin.reject);
  const activateId = useId();
  const noteId = useId();
  const [activate, setActivate] = useState(true);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<null>, failure: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setNote("");
    } catch (caught) {
      setError(problemText(caught, failure));
    } finally {
      setBusy(false);
    }
  }

  const onApprove = () => run(() => approve({ skillId, activate: compact || activate }), "The skill could not be approved. Try again.");
  const onReject = () => run(() => reject({ skillId, ...(note.trim() !== "" ? { note: note.trim() } : {}) }), "The skill could not be rejected. Try again.");

  return (
    <div className="skills-review">
      {!compact && approvalStatus !== "approved" ? (
        <div className="skills-review__row">
          <input id={activateId} type="checkbox" checked={activate} onChange={(event) => setActivate(event.target.checked)} />
          <label htmlFor={activateId}>Switch it on when approved</label>
        </div>
      ) : null}
      <div className="skills-review__row">
        {approvalStatus !== "approved" ? (
          <button type="button" className="button button--primary" data-testid="skill-approve" onClick={() => void onApprove()} disabled={busy}>
            {compact ? "Approve and switch on" : "Approve"}
          </button>
        ) : null}
        {approvalStatus !== "rejected" ? (
          <span data-testid="skill-reject">
            <ConfirmButton label="Reject" question={`Reject ${displayName}? It is switched off and cannot run.`} onConfirm={onReject} disabled={busy} />
          </span>
        ) : null}
      </div>
      {!compact && approvalStatus !== "rejected" ? (
        <div className="form__field">
          <label className="form__label" htmlFor={noteId}>
            Note with a rejection (optional)
          </label>
          <textarea id={noteId} className="form__control" rows={2} maxLength={LIMITS.descriptionChars} value={note} onChange={(event) => setNote(event.target.value)} />
        </div>
      ) : null}
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
