// Everyone who owns this ClawSync, with "You" beside the signed-in owner. Admins may remove any
// other active owner, after confirming; the server refuses everyone else, and refuses an admin
// removing themself, so the deployment always keeps an admin.
import { useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { ConfirmButton } from "../../common/ConfirmButton";
import { RelativeTime } from "../../common/RelativeTime";
import "../../../styles/syncboard-records.css";

type OwnerListing = FunctionReturnType<typeof api.owners.list>["owners"][number];

const REMOVE_REFUSALS = {
  self: "You cannot remove yourself.",
  notFound: "This owner has already been removed.",
} as const;

function ownerDisplayName(owner: Pick<OwnerListing, "name" | "email">): string {
  return owner.name ?? owner.email ?? "Unnamed owner";
}

export function OwnersTable({ owners, canRemove }: { owners: readonly OwnerListing[]; canRemove: boolean }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table" data-testid="owners-list">
        <caption className="visually-hidden">Owners</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            <th scope="col">Status</th>
            {canRemove ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {owners.map((owner) => (
            <OwnerRow key={owner.ownerId} owner={owner} canRemove={canRemove} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OwnerRow({ owner, canRemove }: { owner: OwnerListing; canRemove: boolean }) {
  const remove = useMutation(api.owners.remove);
  const [error, setError] = useState<string | null>(null);

  async function onRemove() {
    setError(null);
    try {
      const result = await remove({ ownerId: owner.ownerId });
      if (!result.ok) setError(REMOVE_REFUSALS[result.reason]);
    } catch {
      setError("The owner could not be removed. Try again.");
    }
  }

  const name = ownerDisplayName(owner);
  return (
    <tr>
      <td>
        {name} {owner.isYou ? <Badge tone="notice">You</Badge> : null}
      </td>
      <td className="records-text">{owner.email ?? "—"}</td>
      <td>{owner.role === "admin" ? "Admin" : "Owner"}</td>
      <td className="records-nowrap">
        <RelativeTime ms={owner.joinedAt} />
      </td>
      <td>{owner.status === "active" ? "Active" : "Removed"}</td>
      {canRemove ? (
        <td>
          {owner.status === "active" && !owner.isYou ? (
            <span data-testid={`owners-remove-${owner.ownerId}`}>
              <ConfirmButton label="Remove" question={`Remove ${name}? They lose access at once.`} onConfirm={onRemove} />
            </span>
          ) : null}
          {error !== null ? (
            <p className="form__error" role="alert">
              {error}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
