// SyncBoard › Skills: what the agent may do, each approved by an owner.
import { NotAvailableYet } from "../../components/syncboard/NotAvailableYet";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function SkillsPage() {
  return (
    <SyncBoardPage title="Skills">
      <NotAvailableYet what="Skills awaiting approval and those in use" />
    </SyncBoardPage>
  );
}
