// SyncBoard › Config: chat settings, rate limits and the domain allowlist.
import { AllowlistSection } from "../../components/syncboard/settings/AllowlistSection";
import { ChatSettingsForm } from "../../components/syncboard/settings/ChatSettingsForm";
import { RateLimitTable } from "../../components/syncboard/settings/RateLimitTable";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ConfigPage() {
  return (
    <SyncBoardPage title="Config">
      <ChatSettingsForm />
      <RateLimitTable />
      <AllowlistSection />
    </SyncBoardPage>
  );
}
