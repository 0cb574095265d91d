// SyncBoard › Overview: the owner's summary of what the agent has done.
import { OverviewDashboard } from "../../components/syncboard/overview/OverviewDashboard";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function OverviewPage() {
  return (
    <SyncBoardPage title="Overview">
      <OverviewDashboard />
    </SyncBoardPage>
  );
}
