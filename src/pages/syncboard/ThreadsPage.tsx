// SyncBoard › Threads: every conversation, read-only. The open thread is in the address
// (?thread=<id>), so it survives a reload and can be linked to; App.tsx keeps one route.
import { useSearchParams } from "react-router-dom";
import { EmptyState } from "../../components/common/EmptyState";
import { ThreadList } from "../../components/syncboard/records/ThreadList";
import { ThreadView } from "../../components/syncboard/records/ThreadView";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";
import "../../styles/syncboard-records.css";

export function ThreadsPage() {
  const [params] = useSearchParams();
  const selected = params.get("thread");

  return (
    <SyncBoardPage title="Threads">
      <div className="threads-layout">
        <ThreadList selected={selected} />
        {selected === null ? (
          <EmptyState title="No conversation open">
            <p>Choose a conversation to read it. Reading one is recorded in the data access log.</p>
          </EmptyState>
        ) : (
          // Keyed by thread: each opened conversation starts a fresh reader, and a fresh log entry.
          <ThreadView key={selected} conversationId={selected} />
        )}
      </div>
    </SyncBoardPage>
  );
}
