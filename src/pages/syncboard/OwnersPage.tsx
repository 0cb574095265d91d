// SyncBoard › Owners: who owns this ClawSync, invitations for new owners, and removing an owner.
// Every owner sees the list; only an admin gets the invite, revoke and remove controls, and the
// server refuses those to anyone else whatever this page shows.
import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { Spinner } from "../../components/common/Spinner";
import { InviteOwnerForm } from "../../components/syncboard/records/InviteOwnerForm";
import { OpenInvitations } from "../../components/syncboard/records/OpenInvitations";
import { OwnersTable } from "../../components/syncboard/records/OwnersTable";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";
import "../../styles/syncboard-records.css";

export function OwnersPage() {
  const listing = useQuery(api.owners.list, {});

  if (listing === undefined) {
    return (
      <SyncBoardPage title="Owners">
        <Spinner label="Loading owners…" />
      </SyncBoardPage>
    );
  }
  const isAdmin = listing.owners.some((owner) => owner.isYou && owner.role === "admin");
  return (
    <SyncBoardPage title="Owners">
      <OwnersTable owners={listing.owners} canRemove={isAdmin} />
      <section className="records-section" aria-labelledby="owners-invite-heading">
        <h2 id="owners-invite-heading" className="records-heading">
          Invite an owner
        </h2>
        {isAdmin ? <InviteOwnerForm /> : <p className="records-muted">Only an admin can invite or remove owners.</p>}
      </section>
      <section className="records-section" aria-labelledby="owners-invitations-heading">
        <h2 id="owners-invitations-heading" className="records-heading">
          Open invitations
        </h2>
        <OpenInvitations invites={listing.invites} canRevoke={isAdmin} />
      </section>
    </SyncBoardPage>
  );
}
