// Every messaging platform, set up or not, as one card each.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { Spinner } from "../../common/Spinner";
import { ChannelCard } from "./ChannelCard";
import "../../../styles/syncboard-integrations.css";

export function ChannelList() {
  const channels = useQuery(api.channels.admin.list, {});
  if (channels === undefined) return <Spinner label="Loading channels…" />;
  return (
    <ul className="integrations-list" data-testid="channels-list">
      {channels.map((channel) => (
        <li key={channel.platform}>
          <ChannelCard channel={channel} />
        </li>
      ))}
    </ul>
  );
}
