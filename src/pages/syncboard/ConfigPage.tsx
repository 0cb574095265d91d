// SyncBoard › Config: chat settings, limits and the domain allowlist.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ConfigPage() {
  return (
    <SyncBoardPage title="Config">
      <NotAvailableYet what="Chat settings, rate limits and the domain allowlist" />
    </SyncBoardPage>
  );
}
