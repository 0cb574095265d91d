// SyncBoard › Threads: all visitor conversations, for review.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ThreadsPage() {
  return (
    <SyncBoardPage title="Threads">
      <NotAvailableYet what="Every conversation, read-only" />
    </SyncBoardPage>
  );
}
