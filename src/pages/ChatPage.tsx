// /chat: the public page visitors see. Conversations on the left, the chat, public activity beside it.
import { useState } from "react";
import { ChatHeader } from "../components/chat/ChatHeader";
import { MessageArea } from "../components/chat/MessageArea";
import { ThreadList } from "../components/chat/ThreadList";
import { PublicActivityPanel } from "../components/activity/PublicActivityPanel";
import { PanelToggle } from "../components/common/PanelToggle";
import { SkipLink } from "../components/common/SkipLink";
import "../styles/chat.css";

const THREADS_ID = "chat-threads";
const ACTIVITY_ID = "chat-activity";
const MAIN_ID = "chat-main";

export function ChatPage() {
  // Only narrow screens collapse these panels; on wide screens CSS shows them regardless.
  const [threadsOpen, setThreadsOpen] = useState(false);
  const [activityOpen, setActivityOpen] = useState(false);

  return (
    <div className="chat-page">
      <SkipLink target={MAIN_ID} />
      <ChatHeader
        toggles={
          <>
            <PanelToggle
              label="Conversations"
              controls={THREADS_ID}
              expanded={threadsOpen}
              onToggle={() => setThreadsOpen((open) => !open)}
            />
            <PanelToggle
              label="Activity"
              controls={ACTIVITY_ID}
              expanded={activityOpen}
              onToggle={() => setActivityOpen((open) => !open)}
            />
          </>
        }
      />
      <div className="chat-layout">
        <aside
          id={THREADS_ID}
          className={threadsOpen ? "chat-layout__threads is-open" : "chat-layout__threads"}
          aria-label="Conversations"
        >
          <ThreadList />
        </aside>
        <main id={MAIN_ID} className="chat-layout__messages" tabIndex={-1}>
          <h1 className="visually-hidden">Chat</h1>
          <MessageArea />
        </main>
        <aside
          id={ACTIVITY_ID}
          className={activityOpen ? "chat-layout__activity is-open" : "chat-layout__activity"}
          aria-label="Public activity"
        >
          <PublicActivityPanel />
        </aside>
      </div>
    </div>
  );
}
