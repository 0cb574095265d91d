// SyncBoard › Soul: the agent's system prompt, edited live and kept as versions.
import { SoulEditor } from "../../components/syncboard/settings/SoulEditor";
import { SoulHistory } from "../../components/syncboard/settings/SoulHistory";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function SoulPage() {
  return (
    <SyncBoardPage title="Soul">
      <p className="settings-intro">The soul document tells the agent who it is and how to answer. It is public in effect: never put secrets or personal data in it.</p>
      <SoulEditor />
      <SoulHistory />
    </SyncBoardPage>
  );
}
