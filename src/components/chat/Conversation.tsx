// The chat column: the open conversation (or the start of a new one) above the composer. The
// composer sits outside the query boundary, so a failed subscription never loses a draft.
import type { SyncStreamsReturnValue } from "@convex-dev/agent";
import { useUIMessages, type UIMessage } from "@convex-dev/agent/react";
import type { FunctionArgs, FunctionReference, FunctionReturnType } from "convex/server";
import { useId, type RefObject } from "react";
import { api } from "../../../convex/_generated/api";
import type { ChatProblem } from "../../lib/chat/chatProblems";
import { replyState } from "../../lib/chat/messages";
import type { ChatSettings, PendingSend } from "../../lib/chat/types";
import { useVisitorSession } from "../../lib/chat/visitorSessionContext";
import { useNow } from "../../lib/useNow";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { SessionBoundary } from "./SessionBoundary";
import { SessionStatus } from "./SessionStatus";
import "../../styles/chat.css";

/** Messages per page, for the first page and for each "Load earlier". */
const PAGE_SIZE = 20;

/**
 * `chat.listMessages` as the streaming hook sees it. The server returns `streams` whenever it is
 * called with `streamArgs`, which is exactly when the hook reads them; its return validator has to
 * call the field optional (plain page requests carry none), so the type is narrowed here.
 */
const listMessagesQuery = api.chat.listMessages as FunctionReference<
  "query",
  "public",
  FunctionArgs<typeof api.chat.listMessages>,
  FunctionReturnType<typeof api.chat.listMessages> & { streams: SyncStreamsReturnValue }
>;

interface ConversationProps {
  settings: ChatSettings;
  /** The thread in the address bar, or null for a new conversation. */
  threadId: string | null;
  /** The send in flight, if any. */
  pending: PendingSend | null;
  /** The first message of a thread this page just created, until the thread's page arrives. */
  arrival: { threadId: string; text: string } | null;
  onSend: (text: string) => Promise<ChatProblem | null>;
  onStartNewConversation: () => void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

export function Conversation({
  settings,
  threadId,
  pending,
  arrival,
  onSend,
  onStartNewConversation,
  composerRef,
}: ConversationProps) {
  const { snapshot, retry } = useVisitorSession();
  const statusId = useId();
  const conversationKey = threadId ?? "new";

  return (
    <div className="conversation">
      {snapshot.status !== "ready" ? (
        <div className="conversation__status">
          <SessionStatus snapshot={snapshot} onRetry={retry} id={statusId} />
        </div>
      ) : (
        <SessionBoundary token={snapshot.token} resetKey={conversationKey} failureTitle="The conversation could not load">
          {threadId === null ? (
            <MessageList
              settings={settings}
              messages={[]}
              conversationKey={conversationKey}
              loading={false}
              localText={pending?.threadId === null ? pending.text : null}
              replying={pending?.threadId === null}
              earlier="none"
              onLoadEarlier={() => {}}
            />
          ) : (
            <ThreadMessages
              settings={settings}
              token={snapshot.token}
              threadId={threadId}
              sending={pending !== null && pending.threadId === threadId}
              arrivingText={arrival?.threadId === threadId ? arrival.text : null}
            />
          )}
        </SessionBoundary>
      )}
      <Composer
        placeholder={settings.chatPlaceholder}
        maxChars={settings.maxMessageChars}
        onSend={snapshot.status === "ready" ? onSend : null}
        unavailableId={statusId}
        conversationKey={conversationKey}
        onStartNewConversation={onStartNewConversation}
        inputRef={composerRef}
      />
    </div>
  );
}

interface ThreadMessagesProps {
  settings: ChatSettings;
  token: string;
  threadId: string;
  sending: boolean;
  arrivingText: string | null;
}

/**
 * A thread's messages, live: stored pages plus the reply streaming in. A thread this session
 * does not own comes back as an empty page, so it looks exactly like a new conversation.
 */
function ThreadMessages({ settings, token, threadId, sending, arrivingText }: ThreadMessagesProps) {
  const { results, status, loadMore } = useUIMessages(
    listMessagesQuery,
    { sessionToken: token, threadId },
    { initialNumItems: PAGE_SIZE, stream: true },
  );
  const nowMs = useNow();
  const messages: UIMessage[] = results;
  const loading = status === "LoadingFirstPage";
  const localText = loading ? arrivingText : null;
  const replying = loading ? localText !== null : replyState(messages, nowMs, sending) !== "idle";
  return (
    <MessageList
      settings={settings}
      messages={messages}
      conversationKey={threadId}
      loading={loading}
      localText={localText}
      replying={replying}
      earlier={status === "CanLoadMore" ? "available" : status === "LoadingMore" ? "loading" : "none"}
      onLoadEarlier={() => loadMore(PAGE_SIZE)}
    />
  );
}
