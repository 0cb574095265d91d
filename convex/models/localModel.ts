// The `local` provider: a deterministic, offline LanguageModelV3 for demos, tests and benchmarks.
// It needs no key and makes no network call, so ClawSync answers out of the box. It reads the soul
// document and the conversation to build a plausible reply from fixed rules, and calls a tool when
// the visitor names one, so skills and their security checks can run end to end offline.
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Text,
  LanguageModelV3ToolCall,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3ToolResultPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";

/** The `provider` string of every local model. */
export const LOCAL_PROVIDER = "local";

/** Model id when none is configured. */
export const LOCAL_MODEL_ID_DEFAULT = "clawsync-demo";

/** Pause between streamed words, so the UI visibly streams; 0 streams at once (tests, benchmarks). */
export const LOCAL_CHUNK_DELAY_MS_DEFAULT = 25;

/** How much of a tool's output the reply repeats. */
export const LOCAL_TOOL_RESULT_PREVIEW_CHARS = 300;

export type LocalModelOptions = {
  /** Milliseconds between text deltas when streaming (default 25; 0 disables waiting). */
  chunkDelayMs?: number;
  /** Reported `modelId` (default "clawsync-demo"). */
  modelId?: string;
};

/**
 * Creates the offline demo model. Same call options, same output: no clock, no randomness. Usage
 * counts are words, the same for `doGenerate` and `doStream`.
 */
export function createLocalModel(options: LocalModelOptions = {}): LanguageModelV3 {
  const modelId = options.modelId ?? LOCAL_MODEL_ID_DEFAULT;
  const chunkDelayMs = Math.max(0, options.chunkDelayMs ?? LOCAL_CHUNK_DELAY_MS_DEFAULT);
  return {
    specificationVersion: "v3",
    provider: LOCAL_PROVIDER,
    modelId,
    supportedUrls: {},
    async doGenerate(call) {
      throwIfAborted(call.abortSignal);
      const turn = planTurn(call);
      return {
        content: [turn.content],
        finishReason: turn.finishReason,
        usage: turn.usage,
        warnings: [],
        response: { modelId },
      };
    },
    async doStream(call) {
      throwIfAborted(call.abortSignal);
      const turn = planTurn(call);
      return { stream: streamParts(streamPartsOf(turn, modelId), chunkDelayMs, call.abortSignal) };
    },
  };
}

// Planning one turn: a tool call or a text reply, decided only by the call options.

type Turn = {
  content: LanguageModelV3Text | LanguageModelV3ToolCall;
  /** The text split into the deltas a stream emits (empty for a tool call). */
  deltas: string[];
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
};

type Conversation = {
  /** Every system message, joined: the soul document plus whatever the caller appended. */
  soul: string;
  latestUserText: string;
  /** User and assistant messages, the latest user message included. */
  messageCount: number;
  /** Results in the prompt's last message, when that message is a tool message. */
  toolResults: LanguageModelV3ToolResultPart[];
  inputTokens: number;
};

function planTurn(call: LanguageModelV3CallOptions): Turn {
  const conversation = readConversation(call.prompt);
  const tools = (call.tools ?? []).filter((tool): tool is LanguageModelV3FunctionTool => tool.type === "function");
  if (conversation.toolResults.length > 0) {
    return textTurn(reportToolResults(conversation.toolResults), conversation.inputTokens, call.maxOutputTokens);
  }
  const named = findNamedTool(conversation.latestUserText, callableTools(tools, call));
  if (named) return toolCallTurn(conversation, named);
  return textTurn(reply(conversation, tools), conversation.inputTokens, call.maxOutputTokens);
}

function readConversation(prompt: LanguageModelV3Prompt): Conversation {
  const system: string[] = [];
  const all: string[] = [];
  let latestUserText = "";
  let messageCount = 0;
  for (const message of prompt) {
    if (message.role === "system") {
      system.push(message.content);
      all.push(message.content);
      continue;
    }
    const text = message.content.map(partText).join("\n");
    all.push(text);
    if (message.role === "user") latestUserText = text;
    if (message.role === "user" || message.role === "assistant") messageCount++;
  }
  const last = prompt.at(-1);
  const toolResults =
    last?.role === "tool"
      ? last.content.filter((part): part is LanguageModelV3ToolResultPart => part.type === "tool-result")
      : [];
  return { soul: system.join("\n\n"), latestUserText, messageCount, toolResults, inputTokens: countWords(all.join(" ")) };
}

type ContentPart = Exclude<LanguageModelV3Prompt[number], { role: "system" }>["content"][number];

/** The words a prompt part contributes (for usage and for reading the visitor's message). */
function partText(part: ContentPart): string {
  switch (part.type) {
    case "text":
    case "reasoning":
      return part.text;
    case "tool-call":
      return `${part.toolName} ${JSON.stringify(part.input) ?? ""}`;
    case "tool-result":
      return `${part.toolName} ${outputText(part.output).text}`;
    default:
      return "";
  }
}

/** Offered tools the call allows: none for `toolChoice: none`, one for a forced tool choice. */
function callableTools(tools: LanguageModelV3FunctionTool[], call: LanguageModelV3CallOptions): LanguageModelV3FunctionTool[] {
  const choice = call.toolChoice;
  if (choice?.type === "none") return [];
  if (choice?.type === "tool") return tools.filter((tool) => tool.name === choice.toolName);
  return tools;
}

type NamedTool = { tool: LanguageModelV3FunctionTool; index: number; end: number };

/**
 * The tool the message names first, as a whole word (case-insensitive; `-` and `_` count as part of
 * a word, so `web_search_v2` does not name `web_search`). Only offered tools can match.
 */
function findNamedTool(text: string, tools: LanguageModelV3FunctionTool[]): NamedTool | null {
  let best: NamedTool | null = null;
  for (const tool of tools) {
    const match = new RegExp(`(?<![\\w-])${escapeRegExp(tool.name)}(?![\\w-])`, "i").exec(text);
    if (!match) continue;
    const candidate = { tool, index: match.index, end: match.index + match[0].length };
    if (!best || candidate.index < best.index || (candidate.index === best.index && tool.name.length > best.tool.name.length)) {
      best = candidate;
    }
  }
  return best;
}

function toolCallTurn(conversation: Conversation, named: NamedTool): Turn {
  const input = JSON.stringify(jsonObjectAfter(conversation.latestUserText, named.end));
  const toolName = named.tool.name;
  // Derived from the prompt, so the same prompt gives the same id; the message count keeps ids
  // of repeated requests in one thread apart. The alphabet suits every provider's id rules.
  const toolCallId = `local_${fnv1a(`${conversation.messageCount}\u0000${toolName}\u0000${conversation.latestUserText}`)}`;
  return {
    content: { type: "tool-call", toolCallId, toolName, input },
    deltas: [],
    finishReason: { unified: "tool-calls", raw: "tool-calls" },
    usage: usage(conversation.inputTokens, countWords(`${toolName} ${input}`)),
  };
}

/** The first JSON object in `text` at or after `from`, or `{}` when there is none or it is invalid. */
function jsonObjectAfter(text: string, from: number): Record<string, unknown> {
  const start = text.indexOf("{", from);
  if (start === -1) return {};
  const end = closingBrace(text, start);
  if (end === -1) return {};
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Index of the brace closing the object that opens at `start`, skipping braces inside strings. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{") {
      depth++;
    } else if (char === "}" && --depth === 0) {
      return i;
    }
  }
  return -1;
}

function textTurn(text: string, inputTokens: number, maxOutputTokens: number | undefined): Turn {
  const words = splitWords(text);
  const limit = maxOutputTokens !== undefined && maxOutputTokens >= 1 ? Math.floor(maxOutputTokens) : words.length;
  const truncated = words.length > limit;
  const finalText = words.slice(0, limit).join("").trimEnd();
  const deltas = splitWords(finalText);
  return {
    content: { type: "text", text: finalText },
    deltas,
    finishReason: truncated ? { unified: "length", raw: "length" } : { unified: "stop", raw: "stop" },
    usage: usage(inputTokens, deltas.length),
  };
}

// Writing the reply.

const DEMO_NOTE =
  "_This is ClawSync's offline demo model: replies come from simple built-in rules, not an AI model, " +
  "and nothing is sent to any provider. An owner can connect a real model in SyncBoard._";

const GREETING = /^(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening)|hallo|hola|bonjour|salut|yo)\b/i;
const CAPABILITIES = /\b(what can you do|what do you do|what are you able|who are you|what are you|capabilit\w*|your (skills|tools)|help)\b/i;
/** A longer message that starts with "hi" is about something else: it gets the reflection. */
const GREETING_MAX_WORDS = 6;
const MAX_LISTED_TOOLS = 10;

function reply(conversation: Conversation, tools: LanguageModelV3FunctionTool[]): string {
  const name = soulName(conversation.soul);
  const message = conversation.latestUserText.trim();
  const count = conversation.messageCount;
  const countLine = `This conversation has ${count} message${count === 1 ? "" : "s"} so far.`;
  let body: string;
  if (message === "") body = `I'm ${name}. I didn't receive any text in your message; try typing a question.`;
  else if (CAPABILITIES.test(message)) body = capabilities(name, soulPurpose(conversation.soul), tools);
  else if (GREETING.test(message) && countWords(message) <= GREETING_MAX_WORDS) body = greeting(name);
  else body = reflection(message);
  return [body, countLine, DEMO_NOTE].join("\n\n");
}

function greeting(name: string): string {
  return `Hello! I'm ${name}, glad you stopped by.\n\nAsk me what I can do, or name one of my skills to see it run.`;
}

function capabilities(name: string, purpose: string | null, tools: LanguageModelV3FunctionTool[]): string {
  const lines = [`I'm ${name}.`];
  lines.push(purpose ? `My soul document says: "${purpose}"` : "My owner has not written a soul document yet.");
  if (tools.length === 0) {
    lines.push("No skills are enabled right now, so I can only chat.");
    return lines.join("\n\n");
  }
  const listed = tools.slice(0, MAX_LISTED_TOOLS).map((tool) => `- \`${tool.name}\`${tool.description ? `: ${firstSentences(stripMarkdown(tool.description), 100)}` : ""}`);
  if (tools.length > MAX_LISTED_TOOLS) listed.push(`- and ${tools.length - MAX_LISTED_TOOLS} more`);
  lines.push(`Skills I can use:\n\n${listed.join("\n")}`);
  lines.push(`Name a skill in your message to run it, with its input as a JSON object after the name, for example \`${tools[0].name} {}\`.`);
  return lines.join("\n\n");
}

/** Echoes the message back as a quote and says something about it that follows from its text. */
function reflection(message: string): string {
  const quoted = truncate(message, 280)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const wordCount = countWords(message);
  const topic = message
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter((word) => word.length >= 4)
    .reduce((longest, word) => (word.length > longest.length ? word : longest), "");
  const about = topic ? ` It seems to be about "${topic.toLowerCase()}".` : "";
  const question = message.endsWith("?")
    ? " It reads like a question: a connected model would answer it from my soul document and skills; the demo model can only reflect it back."
    : "";
  return `You said:\n\n${quoted}\n\nThat's a ${wordCount}-word message.${about}${question}`;
}

/** Reports each tool result as quoted, untrusted data: never as something to act on. */
function reportToolResults(results: LanguageModelV3ToolResultPart[]): string {
  const sections = results.slice(0, 3).map((result) => {
    const { text, verb } = outputText(result.output);
    const name = result.toolName.replace(/`/g, "");
    const preview = truncate(text, LOCAL_TOOL_RESULT_PREVIEW_CHARS);
    if (preview === "") return `The \`${name}\` skill ${verb} nothing.`;
    return `The \`${name}\` skill ${verb}:\n\n${fenced(preview)}`;
  });
  sections.push("That output is data from the skill, not instructions, so I have not acted on anything it says.");
  sections.push(DEMO_NOTE);
  return sections.join("\n\n");
}

/** A tool output as text, and the verb that introduces it. */
function outputText(output: LanguageModelV3ToolResultOutput): { text: string; verb: string } {
  switch (output.type) {
    case "text":
      return { text: output.value, verb: "returned" };
    case "json":
      return { text: JSON.stringify(output.value) ?? "", verb: "returned" };
    case "error-text":
      return { text: output.value, verb: "failed with" };
    case "error-json":
      return { text: JSON.stringify(output.value) ?? "", verb: "failed with" };
    case "execution-denied":
      return { text: output.reason ?? "", verb: "was not run; the reason given was" };
    case "content":
      return { text: output.value.map((item) => (item.type === "text" ? item.text : `[${item.type}]`)).join("\n"), verb: "returned" };
  }
}

/** A fenced code block whose fence is longer than any backtick run inside, so the text cannot close it. */
function fenced(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}`;
}

// Reading the soul document.

const NAME_LINES = [/^#\s+(.+)$/, /^you are\s+([^.,;:!?]+)/i, /^(?:agent )?name\s*:\s*(.+)$/i, /^(?:i am|i'm)\s+([^.,;:!?]+)/i];

/** The agent's name: the soul's first `# Heading`, "You are X", "Name: X" or "I am X" line. */
function soulName(soul: string): string {
  for (const line of soul.split("\n")) {
    for (const pattern of NAME_LINES) {
      const match = pattern.exec(line.trim());
      const name = match ? truncate(stripMarkdown(match[1]).replace(/[.!:]+$/, "").trim(), 60) : "";
      if (name) return name;
    }
  }
  return "this ClawSync agent";
}

const PURPOSE_HEADING = /^#{1,6}\s+.*\b(purpose|mission|about|role|what i do)\b/i;

/**
 * One or two sentences saying what the agent is for: the paragraph under a heading such as
 * "Purpose" or "About", else the first paragraph of prose.
 */
function soulPurpose(soul: string): string | null {
  const lines = soul.split("\n");
  const heading = lines.findIndex((line) => PURPOSE_HEADING.test(line.trim()));
  const candidates = heading === -1 ? [lines] : [lines.slice(heading + 1), lines];
  for (const candidate of candidates) {
    const paragraph = firstProseParagraph(candidate);
    if (paragraph) return firstSentences(paragraph, 240);
  }
  return null;
}

function firstProseParagraph(lines: string[]): string | null {
  const paragraphs = lines.join("\n").split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    const text = paragraph
      .split("\n")
      .filter((line) => !/^\s*#/.test(line))
      .map((line) => line.replace(/^\s*(?:[-*+]|\d+\.)\s+/, "").trim())
      .join(" ")
      .trim();
    if (text.length >= 20) return stripMarkdown(text);
  }
  return null;
}

// Text helpers.

function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*`]+/g, "")
    // Emphasis underscores only: the ones inside snake_case names stay.
    .replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Up to two sentences, at most `max` characters. */
function firstSentences(text: string, max: number): string {
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)/g);
  const picked = sentences ? sentences.slice(0, 2).join("").trim() : text;
  return truncate(picked, max);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** Words with their trailing whitespace: they concatenate back to the text exactly. */
function splitWords(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/** The local model's token count: whitespace-separated words. */
function countWords(text: string): number {
  return splitWords(text).length;
}

function usage(inputTokens: number, outputTokens: number): LanguageModelV3Usage {
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** FNV-1a, 32 bits, base 36: a short stable id, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

// Streaming.

function streamPartsOf(turn: Turn, modelId: string): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", modelId },
  ];
  if (turn.content.type === "tool-call") {
    parts.push(turn.content);
  } else {
    const id = "text-0";
    parts.push({ type: "text-start", id });
    for (const delta of turn.deltas) parts.push({ type: "text-delta", id, delta });
    parts.push({ type: "text-end", id });
  }
  parts.push({ type: "finish", finishReason: turn.finishReason, usage: turn.usage });
  return parts;
}

/**
 * Emits `parts` on demand, pausing `delayMs` before every text delta but the first. The caller's
 * abort errors the stream with the abort reason; cancelling the stream stops any pending pause.
 */
function streamParts(parts: LanguageModelV3StreamPart[], delayMs: number, signal: AbortSignal | undefined): ReadableStream<LanguageModelV3StreamPart> {
  const halt = new AbortController();
  const onAbort = () => halt.abort(abortReason(signal));
  signal?.addEventListener("abort", onAbort, { once: true });
  let next = 0;
  let deltasSent = 0;
  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      const part = parts[next++];
      if (part === undefined) {
        signal?.removeEventListener("abort", onAbort);
        controller.close();
        return;
      }
      if (part.type === "text-delta") {
        if (deltasSent > 0 && delayMs > 0) await pause(delayMs, halt.signal);
        deltasSent++;
      }
      if (halt.signal.aborted) throw halt.signal.reason;
      controller.enqueue(part);
    },
    cancel(reason) {
      signal?.removeEventListener("abort", onAbort);
      halt.abort(reason);
    },
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** The signal's reason, or an AbortError where a runtime leaves the reason unset. */
function abortReason(signal: AbortSignal | undefined): unknown {
  if (signal?.reason !== undefined) return signal.reason;
  const error = new Error("The operation was aborted");
  error.name = "AbortError";
  return error;
}
