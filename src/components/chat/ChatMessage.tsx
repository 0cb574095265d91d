// One message of the conversation. The visitor's own text is shown exactly as typed; the agent's
// is rendered as safe markdown, revealed smoothly while it streams.
import { useSmoothText, type UIMessage } from "@convex-dev/agent/react";
import { useMemo } from "react";
import { skillCalls } from "../../lib/chat/messages";
import { MessageMarkdown } from "./MessageMarkdown";
import { SkillIndicators } from "./SkillIndicators";
import "../../styles/chat.css";

interface UserMessageProps {
  text: string;
  status: string;
}

/** The visitor's message; also used for a message this page is still sending. */
export function UserMessage({ text, status }: UserMessageProps) {
  return (
    <li className="chat-message chat-message--user" data-testid="chat-message" data-role="user" data-status={status}>
      <span className="visually-hidden">You said:</span>
      <div className="chat-message__bubble">
        <p className="chat-message__plain" data-testid="chat-message-text">
          {text}
        </p>
      </div>
      {status === "failed" ? <p className="chat-message__note">This message was not delivered.</p> : null}
    </li>
  );
}

interface AssistantMessageProps {
  message: UIMessage;
  agentName: string;
  showSkills: boolean;
}

export function AssistantMessage({ message, agentName, showSkills }: AssistantMessageProps) {
  // A message that arrives finished shows at once; one that mounts while streaming is revealed
  // at the pace it arrives, and keeps catching up after it finishes.
  const [visibleText] = useSmoothText(message.text, { startStreaming: message.status === "streaming" });
  const calls = useMemo(
    () => (showSkills ? skillCalls(message.parts, message.status) : []),
    [showSkills, message.parts, message.status],
  );
  return (
    <li
      className="chat-message chat-message--assistant"
      data-testid="chat-message"
      data-role="assistant"
      data-status={message.status}
    >
      <span className="visually-hidden">{agentName} said:</span>
      <div className="chat-message__bubble">
        <SkillIndicators calls={calls} />
        <div data-testid="chat-message-text">
          <MessageMarkdown text={visibleText} />
        </div>
      </div>
      {message.status === "failed" ? (
        <p className="chat-message__note">The agent could not finish this reply.</p>
      ) : null}
    </li>
  );
}
