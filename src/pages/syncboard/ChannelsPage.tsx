// SyncBoard › Channels: where else the agent answers.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ChannelsPage() {
  return (
    <SyncBoardPage title="Channels">
      <NotAvailableYet what="Telegram, Slack, Discord, WhatsApp and email settings" />
    </SyncBoardPage>
  );
}
