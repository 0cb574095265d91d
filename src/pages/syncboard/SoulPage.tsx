// SyncBoard › Soul: the agent's system prompt, edited live.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function SoulPage() {
  return (
    <SyncBoardPage title="Soul">
      <NotAvailableYet what="The soul document editor" />
    </SyncBoardPage>
  );
}
