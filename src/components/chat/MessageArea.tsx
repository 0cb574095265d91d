// The conversation pane. The agent's chat lands with a later feature, so it says so plainly.
import { useId } from "react";
import { EmptyState } from "../common/EmptyState";
import { Composer } from "./Composer";
import "../../styles/chat.css";

/** Shown in the disabled composer; the owner will set this in SyncBoard's config later. */
const COMPOSER_PLACEHOLDER = "Message the agent…";

export function MessageArea() {
  const noticeId = useId();
  return (
    <div className="message-area">
      <div className="message-area__messages">
        <EmptyState title="Chat is being set up" id={noticeId}>
          <p>The agent is not taking messages yet. Nothing typed here is sent.</p>
        </EmptyState>
      </div>
      <Composer placeholder={COMPOSER_PLACEHOLDER} describedBy={noticeId} />
    </div>
  );
}
