// Reading the agent's messages for display: whether a reply is under way, which skills a reply
// used, and the labels of threads and the character counter. Plain data in, plain data out.

/** How long a sent message may wait for the reply to start before the page stops saying so. */
export const REPLY_WAIT_LIMIT_MS = 2 * 60 * 1000;

/** The fields of a UIMessage (@convex-dev/agent) that these helpers read. */
export interface MessageLike {
  role: string;
  status: string;
  _creationTime: number;
}

/** `waiting`: the reply has not started; `streaming`: its text is arriving; `idle`: neither. */
export type ReplyState = "idle" | "waiting" | "streaming";

/**
 * Whether the agent is replying, from the messages in order (oldest first). `sending` is true
 * while this page's own send is in flight, before the server has even stored the message.
 * A last user message older than REPLY_WAIT_LIMIT_MS no longer counts: a reply that never came
 * must not leave a typing indicator on forever.
 */
export function replyState(messages: readonly MessageLike[], nowMs: number, sending: boolean): ReplyState {
  if (sending) return "waiting";
  const last = messages.at(-1);
  if (last === undefined) return "idle";
  if (last.role === "assistant") {
    if (last.status === "streaming") return "streaming";
    return last.status === "pending" ? "waiting" : "idle";
  }
  if (last.role === "user" && last.status !== "failed" && nowMs - last._creationTime < REPLY_WAIT_LIMIT_MS) {
    return "waiting";
  }
  return "idle";
}

export type SkillCallState = "running" | "done" | "failed";

export interface SkillCall {
  id: string;
  name: string;
  state: SkillCallState;
}

/** Skill names are shown, never inputs or outputs; a runaway name is cut to this length. */
const MAX_SKILL_NAME_CHARS = 48;

/**
 * The skills an assistant message called: its tool parts (`tool-<name>` or `dynamic-tool`), each
 * with its name and a coarse state. Inputs, outputs and error texts are deliberately not read:
 * they can hold anything the skill saw. A call still running in a message that failed is failed.
 */
export function skillCalls(parts: readonly { type: string }[], messageStatus: string): SkillCall[] {
  const calls: SkillCall[] = [];
  parts.forEach((part, index) => {
    const fields = part as Record<string, unknown>;
    let name: string;
    if (part.type === "dynamic-tool") {
      name = typeof fields.toolName === "string" ? fields.toolName : "";
    } else if (part.type.startsWith("tool-")) {
      name = part.type.slice("tool-".length);
    } else {
      return;
    }
    name = name.trim().slice(0, MAX_SKILL_NAME_CHARS) || "skill";
    const id = typeof fields.toolCallId === "string" && fields.toolCallId !== "" ? fields.toolCallId : `part-${index}`;
    calls.push({ id, name, state: skillCallState(fields.state, messageStatus) });
  });
  return calls;
}

function skillCallState(state: unknown, messageStatus: string): SkillCallState {
  if (state === "output-available") return "done";
  if (state === "output-error" || state === "output-denied") return "failed";
  return messageStatus === "failed" ? "failed" : "running";
}

/** A thread's label in the list: its title, or "New conversation" before it has one. */
export function threadLabel(title: string | null): string {
  const trimmed = title?.trim() ?? "";
  return trimmed === "" ? "New conversation" : trimmed;
}

/** The counter appears from this share of the limit on, so it only shows when it matters. */
export const COUNTER_THRESHOLD = 0.8;

export interface CounterState {
  visible: boolean;
  over: boolean;
  text: string;
}

const numberFormat = new Intl.NumberFormat("en-US");

/** The composer's character counter: "3,412 / 4,000", and how far over the limit a draft is. */
export function characterCounter(length: number, maxChars: number): CounterState {
  const over = length > maxChars;
  const base = `${numberFormat.format(length)} / ${numberFormat.format(maxChars)}`;
  return {
    visible: length >= maxChars * COUNTER_THRESHOLD,
    over,
    text: over ? `${base} — ${numberFormat.format(length - maxChars)} too many` : base,
  };
}
