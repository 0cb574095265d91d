// Invitations not yet used, revoked or expired; their codes are never shown again. An admin may
// revoke one, after confirming, so its code stops working at once.
import { useMutation } from "convex/react";
import { useState } from "react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { ConfirmButton } from "../../common/ConfirmButton";
import { EmptyState } from "../../common/EmptyState";
import "../../../styles/syncboard-records.css";

type Invitation = { codeId: Id<"ownerClaimCodes">; label: string | null; expiresAt: number };

export function OpenInvitations({ invites, canRevoke }: { invites: readonly Invitation[]; canRevoke: boolean }) {
  if (invites.length === 0) return <EmptyState title="No open invitations" />;
  return (
    <ul className="invitations" data-testid="owners-invitations">
      {invites.map((invite) => (
        <InvitationItem key={invite.codeId} invite={invite} canRevoke={canRevoke} />
      ))}
    </ul>
  );
}

function InvitationItem({ invite, canRevoke }: { invite: Invitation; canRevoke: boolean }) {
  const revoke = useMutation(api.owners.revokeInvite);
  const [error, setError] = useState<string | null>(null);

  async function onRevoke() {
    setError(null);
    try {
      if (!(await revoke({ codeId: invite.codeId }))) setError("This invitation was already used, revoked or expired.");
    } catch {
      setError("The invitation could not be revoked. Try again.");
    }
  }

  const expires = new Date(invite.expiresAt);
  return (
    <li className="invitations__item">
      <span className="invitations__label">{invite.label ?? "Unlabelled invitation"}</span>
      <span className="records-muted">
        expires <time dateTime={expires.toISOString()}>{expires.toLocaleString()}</time>
      </span>
      {canRevoke ? (
        <span data-testid={`owners-revoke-${invite.codeId}`}>
          <ConfirmButton label="Revoke" question="Revoke this invitation? Its code stops working at once." onConfirm={onRevoke} />
        </span>
      ) : null}
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
