// SyncBoard › Channels: where else the agent answers.
import { ChannelList } from "../../components/syncboard/integrations/ChannelList";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ChannelsPage() {
  return (
    <SyncBoardPage title="Channels">
      <p className="integrations-intro">
        Each platform delivers messages to its webhook URL. A delivery is accepted only when it is signed with the platform&apos;s secret and the channel is enabled;
        secrets are stored encrypted and never shown again.
      </p>
      <ChannelList />
    </SyncBoardPage>
  );
}
