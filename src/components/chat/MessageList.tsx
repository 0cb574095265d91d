// The scrolling conversation: the agent's introduction at the start of a thread, the messages,
// "Load earlier", and the typing indicator. Stays at the bottom while the visitor is there.
import type { UIMessage } from "@convex-dev/agent/react";
import { useEffect, useLayoutEffect, useRef } from "react";
import type { ChatSettings } from "../../lib/chat/types";
import { Spinner } from "../common/Spinner";
import { AssistantMessage, UserMessage } from "./ChatMessage";
import { MessageMarkdown } from "./MessageMarkdown";
import { TypingIndicator } from "./TypingIndicator";
import "../../styles/chat.css";

/** Within this many pixels of the bottom counts as "at the bottom": new text keeps it in view. */
const STICKY_BOTTOM_PX = 48;

interface MessageListProps {
  settings: ChatSettings;
  messages: UIMessage[];
  /** The thread (or "new") being shown; a change scrolls back to the bottom. */
  conversationKey: string;
  /** The first page has not arrived yet. */
  loading: boolean;
  /** A message this page sent that the thread does not show yet (the first of a new thread). */
  localText: string | null;
  replying: boolean;
  earlier: "none" | "available" | "loading";
  onLoadEarlier: () => void;
}

export function MessageList({
  settings,
  messages,
  conversationKey,
  loading,
  localText,
  replying,
  earlier,
  onLoadEarlier,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  /** Distance from the bottom to restore once earlier messages have made the content taller. */
  const anchor = useRef<{ fromBottom: number; height: number } | null>(null);

  useLayoutEffect(() => {
    stickToBottom.current = true;
    const scroller = scrollRef.current;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [conversationKey]);

  // Content grows as messages arrive and as streamed text is revealed; follow it when at the bottom.
  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (anchor.current !== null) {
        // Other resizes (the button's label changing) come first; wait for the new messages.
        if (scroller.scrollHeight === anchor.current.height) return;
        scroller.scrollTop = scroller.scrollHeight - anchor.current.fromBottom;
        anchor.current = null;
      } else if (stickToBottom.current) {
        scroller.scrollTop = scroller.scrollHeight;
      }
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  function onScroll() {
    const scroller = scrollRef.current;
    if (!scroller) return;
    stickToBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_BOTTOM_PX;
  }

  function loadEarlier() {
    const scroller = scrollRef.current;
    if (scroller) anchor.current = { fromBottom: scroller.scrollHeight - scroller.scrollTop, height: scroller.scrollHeight };
    onLoadEarlier();
  }

  const atStart = !loading && earlier === "none";

  return (
    <div
      ref={scrollRef}
      className="message-list"
      onScroll={onScroll}
      role="region"
      aria-label="Conversation"
      // Keyboard users can scroll the conversation once it is focused.
      tabIndex={0}
    >
      <div ref={contentRef} className="message-list__content">
        {earlier !== "none" ? (
          <button
            type="button"
            className="button button--quiet message-list__earlier"
            onClick={loadEarlier}
            disabled={earlier === "loading"}
          >
            {earlier === "loading" ? "Loading earlier messages…" : "Load earlier messages"}
          </button>
        ) : null}
        {atStart || (loading && localText !== null) ? <Introduction settings={settings} /> : null}
        {loading && localText === null ? <Spinner label="Loading the conversation…" /> : null}
        <ol className="message-list__items">
          {messages.map((message) =>
            message.role === "user" ? (
              <UserMessage key={message.key} text={message.text} status={message.status} />
            ) : message.role === "assistant" ? (
              <AssistantMessage
                key={message.key}
                message={message}
                agentName={settings.agentName}
                showSkills={settings.showSkillIndicators}
              />
            ) : null,
          )}
          {localText !== null ? <UserMessage key="local" text={localText} status="pending" /> : null}
        </ol>
        <TypingIndicator active={replying} />
      </div>
    </div>
  );
}

/** The start of every conversation: who the visitor is talking to, and the owner's welcome. */
function Introduction({ settings }: { settings: ChatSettings }) {
  return (
    <div className="chat-intro">
      <p className="chat-intro__title">Chat with {settings.agentName}</p>
      {settings.tagline ? <p className="chat-intro__tagline">{settings.tagline}</p> : null}
      {settings.welcomeMessage ? (
        <div className="chat-intro__welcome">
          <MessageMarkdown text={settings.welcomeMessage} />
        </div>
      ) : (
        <p className="chat-intro__hint">Send a message to start the conversation.</p>
      )}
    </div>
  );
}
