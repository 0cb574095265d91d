// SyncBoard › Models: which model answers, its fallback, a test call, and the providers.
import { AddProviderForm } from "../../components/syncboard/settings/AddProviderForm";
import { ModelSelectionForm } from "../../components/syncboard/settings/ModelSelectionForm";
import { ProviderList } from "../../components/syncboard/settings/ProviderList";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function ModelsPage() {
  return (
    <SyncBoardPage title="Models">
      <ModelSelectionForm />
      <ProviderList />
      <AddProviderForm />
    </SyncBoardPage>
  );
}
