// Types the chat components share, taken from the server's functions rather than retyped.
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../convex/_generated/api";

/** What `chat.settings` tells visitors: names, toggles, limits and the model's public label. */
export type ChatSettings = FunctionReturnType<typeof api.chat.settings>;

/** A thread in the visitor's list (`chat.listThreads`). */
export type ThreadSummary = FunctionReturnType<typeof api.chat.listThreads>[number];

/** A message this page is sending: `threadId` is null when the send also creates the thread. */
export interface PendingSend {
  threadId: string | null;
  text: string;
}
