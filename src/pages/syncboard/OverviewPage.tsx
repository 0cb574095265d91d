// SyncBoard › Overview: the owner's summary of what the agent has done.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function OverviewPage() {
  return (
    <SyncBoardPage title="Overview">
      <NotAvailableYet what="Invocations, failures, security events and rate-limit hits" />
    </SyncBoardPage>
  );
}
