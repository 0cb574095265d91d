// The visitor's conversations. Visitor threads arrive with the chat feature; until then, none exist.
import { EmptyState } from "../common/EmptyState";
import "../../styles/chat.css";

export function ThreadList() {
  return (
    <div className="thread-list">
      <h2 className="panel-heading">Conversations</h2>
      <EmptyState title="No conversations yet" />
    </div>
  );
}
