// SyncBoard › Models: which model answers, and which takes over when it fails.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ModelsPage() {
  return (
    <SyncBoardPage title="Models">
      <NotAvailableYet what="Model providers, the primary model and its fallback" />
    </SyncBoardPage>
  );
}
