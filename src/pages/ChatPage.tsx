// /chat and /chat/:threadId: the public page visitors see. Conversations on the left, the chat in
// the middle, public activity beside it. The visitor's session, threads and sends meet here.
import { optimisticallySendMessage } from "@convex-dev/agent/react";
import { useMutation, useQuery } from "convex/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api } from "../../convex/_generated/api";
import { PublicActivityPanel } from "../components/activity/PublicActivityPanel";
import { ChatHeader } from "../components/chat/ChatHeader";
import { Conversation } from "../components/chat/Conversation";
import { ModelBadges } from "../components/chat/ModelBadges";
import { ThreadList } from "../components/chat/ThreadList";
import { ErrorBoundary } from "../components/common/ErrorBoundary";
import { ErrorNotice } from "../components/common/ErrorNotice";
import { PanelToggle } from "../components/common/PanelToggle";
import { SkipLink } from "../components/common/SkipLink";
import { Spinner } from "../components/common/Spinner";
import { problemFromError, problemFromRefusal, type ChatProblem } from "../lib/chat/chatProblems";
import type { ChatSettings, PendingSend, ThreadSummary } from "../lib/chat/types";
import { useVisitorSession } from "../lib/chat/visitorSessionContext";
import { VisitorSessionProvider } from "../lib/chat/VisitorSessionProvider";
import "../styles/chat.css";

const THREADS_ID = "chat-threads";
const ACTIVITY_ID = "chat-activity";
const MAIN_ID = "chat-main";

type Panel = "threads" | "activity";

export function ChatPage() {
  return (
    <VisitorSessionProvider>
      <ErrorBoundary fallback={<ChatUnavailable />}>
        <ChatScreen />
      </ErrorBoundary>
    </VisitorSessionProvider>
  );
}

function ChatScreen() {
  const settings = useQuery(api.chat.settings, {});
  if (settings === undefined) {
    return (
      <div className="chat-page">
        <ChatHeader title="ClawSync" />
        <Spinner label="Loading the chat…" fullPage />
      </div>
    );
  }
  return <LoadedChat settings={settings} />;
}

function LoadedChat({ settings }: { settings: ChatSettings }) {
  const { threadId = null } = useParams<{ threadId: string }>();
  const navigate = useNavigate();
  const { snapshot, reportError } = useVisitorSession();
  const token = snapshot.status === "ready" ? snapshot.token : null;

  // Only narrow screens collapse the panels, one open at a time; wide screens show them anyway.
  const [openPanel, setOpenPanel] = useState<Panel | null>(null);
  const togglePanel = (panel: Panel) => setOpenPanel((open) => (open === panel ? null : panel));
  const closePanels = useCallback(() => setOpenPanel(null), []);

  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [pending, setPending] = useState<PendingSend | null>(null);
  const [arrival, setArrival] = useState<{ threadId: string; text: string } | null>(null);
  const [creating, setCreating] = useState(false);
  const [newThreadProblem, setNewThreadProblem] = useState<ChatProblem | null>(null);
  /** A thread created for a first message whose send was refused: the retry reuses it. */
  const draftThread = useRef<{ token: string; threadId: string } | null>(null);

  const createThread = useMutation(api.chat.createThread);
  const sendMessageMutation = useMutation(api.chat.sendMessage);
  const sendMessage = useMemo(
    () =>
      sendMessageMutation.withOptimisticUpdate((store, args) => {
        // Only the thread and the text go into the optimistic message, never the session token.
        optimisticallySendMessage(api.chat.listMessages)(store, { threadId: args.threadId, prompt: args.text });
      }),
    [sendMessageMutation],
  );

  // A replaced session owns none of the old threads: leave the one that is open. (Between the two
  // sessions there is none at all, so this compares the last two tokens the page had.)
  const lastToken = useRef(token);
  useEffect(() => {
    if (token === null) return;
    const before = lastToken.current;
    lastToken.current = token;
    if (before !== null && before !== token && threadId !== null) navigate("/chat", { replace: true });
  }, [token, threadId, navigate]);

  // Arriving at /chat opens the newest conversation, once; later visits to /chat start a new one.
  const autoOpened = useRef(false);
  const onThreadsLoaded = useCallback(
    (threads: ThreadSummary[]) => {
      if (autoOpened.current) return;
      autoOpened.current = true;
      if (threadId === null && pending === null && threads.length > 0) {
        navigate(`/chat/${encodeURIComponent(threads[0].threadId)}`, { replace: true });
      }
    },
    [threadId, pending, navigate],
  );

  const fail = useCallback(
    (error: unknown, sessionToken: string): ChatProblem => {
      reportError(error, sessionToken);
      return problemFromError(error, Date.now(), settings.maxMessageChars);
    },
    [reportError, settings.maxMessageChars],
  );

  const startNewConversation = useCallback(async () => {
    if (token === null || creating) return;
    setCreating(true);
    setNewThreadProblem(null);
    setArrival(null);
    try {
      const created = await createThread({ sessionToken: token });
      closePanels();
      navigate(`/chat/${encodeURIComponent(created.threadId)}`);
      composerRef.current?.focus();
    } catch (error) {
      setNewThreadProblem(fail(error, token));
    } finally {
      setCreating(false);
    }
  }, [token, creating, createThread, closePanels, navigate, fail]);

  const send = useCallback(
    async (text: string): Promise<ChatProblem | null> => {
      if (token === null) return { kind: "InvalidSession" };
      const openThread = threadId;
      setArrival(null);
      setPending({ threadId: openThread, text });
      try {
        let target = openThread;
        if (target === null) {
          // The first message of a new conversation creates its thread first.
          const draft = draftThread.current;
          target = draft !== null && draft.token === token ? draft.threadId : (await createThread({ sessionToken: token })).threadId;
          draftThread.current = { token, threadId: target };
        }
        const result = await sendMessage({ sessionToken: token, threadId: target, text });
        if (!result.ok) return problemFromRefusal(result.error, Date.now(), settings.maxMessageChars);
        if (openThread === null) {
          draftThread.current = null;
          setArrival({ threadId: target, text });
          navigate(`/chat/${encodeURIComponent(target)}`);
        }
        return null;
      } catch (error) {
        return fail(error, token);
      } finally {
        setPending(null);
      }
    },
    [token, threadId, createThread, sendMessage, navigate, fail, settings.maxMessageChars],
  );

  const showActivity = settings.showActivityFeed;
  const layoutClass = showActivity ? "chat-layout chat-layout--with-activity" : "chat-layout";

  return (
    <div className="chat-page">
      <SkipLink target={MAIN_ID} />
      <ChatHeader
        title={settings.agentName}
        tagline={settings.tagline}
        badges={<ModelBadges settings={settings} />}
        toggles={
          <>
            <PanelToggle
              label="Conversations"
              controls={THREADS_ID}
              expanded={openPanel === "threads"}
              onToggle={() => togglePanel("threads")}
            />
            {showActivity ? (
              <PanelToggle
                label="Activity"
                controls={ACTIVITY_ID}
                expanded={openPanel === "activity"}
                onToggle={() => togglePanel("activity")}
              />
            ) : null}
          </>
        }
      />
      <div className={layoutClass}>
        <aside
          id={THREADS_ID}
          className={openPanel === "threads" ? "chat-layout__threads is-open" : "chat-layout__threads"}
          aria-label="Conversations"
        >
          <ThreadList
            activeThreadId={threadId}
            onNewConversation={() => void startNewConversation()}
            creating={creating}
            problem={newThreadProblem}
            onLoaded={onThreadsLoaded}
            onNavigate={closePanels}
          />
        </aside>
        <main id={MAIN_ID} className="chat-layout__messages" tabIndex={-1}>
          <Conversation
            settings={settings}
            threadId={threadId}
            pending={pending}
            arrival={arrival}
            onSend={send}
            onStartNewConversation={() => void startNewConversation()}
            composerRef={composerRef}
          />
        </main>
        {showActivity ? (
          <aside
            id={ACTIVITY_ID}
            className={openPanel === "activity" ? "chat-layout__activity is-open" : "chat-layout__activity"}
            aria-label="Public activity"
          >
            <PublicActivityPanel />
          </aside>
        ) : null}
      </div>
    </div>
  );
}

function ChatUnavailable() {
  return (
    <div className="chat-page">
      <ChatHeader title="ClawSync" />
      <div className="chat-unavailable">
        <ErrorNotice title="The chat is unavailable right now">
          <p>Reload the page in a moment.</p>
        </ErrorNotice>
      </div>
    </div>
  );
}
