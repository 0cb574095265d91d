// The people who have written to the agent on one platform, a page at a time, each allowed or
// blocked by an owner. Their ids and names are personal data: shown here to owners, nowhere else.
import { useMutation, usePaginatedQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import type { ChannelPlatform } from "../../../../convex/lib/validators";
import { Badge } from "../../common/Badge";
import { ConfirmButton } from "../../common/ConfirmButton";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

const PAGE_SIZE = 25;

const STATUS_LABELS = { allowed: "Allowed", pending: "Waiting for an owner", blocked: "Blocked" } as const;

export function ChannelUsers({ platform }: { platform: ChannelPlatform }) {
  const { results, status, loadMore } = usePaginatedQuery(api.channels.admin.users, { platform }, { initialNumItems: PAGE_SIZE });

  if (status === "LoadingFirstPage") return <Spinner label="Loading users…" />;
  if (results.length === 0) {
    return (
      <EmptyState title="Nobody has written yet">
        <p>People appear here after their first verified message.</p>
      </EmptyState>
    );
  }
  return (
    <div className="integrations-users" data-testid={`channel-users-${platform}`}>
      <div className="data-table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Users of this platform</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Standing</th>
              <th scope="col">Last seen</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {results.map((user) => (
              <tr key={user._id}>
                <td>
                  {user.displayName ?? user.platformUserId}
                  {user.displayName !== null ? <span className="integrations-card__slug"> {user.platformUserId}</span> : null}
                </td>
                <td>
                  <Badge tone={user.status === "pending" ? "notice" : "neutral"}>{STATUS_LABELS[user.status]}</Badge>
                </td>
                <td>
                  <RelativeTime ms={user.lastSeenAt} />
                </td>
                <td>
                  <UserStanding channelUserId={user._id} status={user.status} name={user.displayName ?? user.platformUserId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <button type="button" className="button button--quiet" disabled={status === "LoadingMore"} onClick={() => loadMore(PAGE_SIZE)}>
          {status === "LoadingMore" ? "Loading…" : "Show more users"}
        </button>
      ) : null}
    </div>
  );
}

function UserStanding({ channelUserId, status, name }: { channelUserId: Id<"channelUsers">; status: keyof typeof STATUS_LABELS; name: string }) {
  const setUserStatus = useMutation(api.channels.admin.setUserStatus);
  const { busy, error, run } = useOutcome();
  return (
    <div className="integrations-user-actions">
      {status !== "allowed" ? (
        <button type="button" className="button button--quiet" disabled={busy} onClick={() => void run(() => setUserStatus({ channelUserId, status: "allowed" }))}>
          Allow
        </button>
      ) : null}
      {status !== "blocked" ? (
        <ConfirmButton
          label="Block"
          question={`Block ${name}? Their messages are refused from now on.`}
          disabled={busy}
          onConfirm={async () => {
            await run(() => setUserStatus({ channelUserId, status: "blocked" }));
          }}
        />
      ) : null}
      <OutcomeError error={error} />
    </div>
  );
}
