// A SyncBoard address that matches no section; shown only to a signed-in owner.
import { Link } from "react-router-dom";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function SyncBoardNotFoundPage() {
  return (
    <SyncBoardPage title="Page not found">
      <p>
        SyncBoard has no page at this address. <Link to="/syncboard">Go to the overview</Link>.
      </p>
    </SyncBoardPage>
  );
}
