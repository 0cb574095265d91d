// SyncBoard › Activity: the agent's activity log and security events.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ActivityPage() {
  return (
    <SyncBoardPage title="Activity">
      <NotAvailableYet what="Activity and security events" />
    </SyncBoardPage>
  );
}
