// A message's text as safe markdown (the rules are in markdownRendering.ts).
import { memo } from "react";
import { renderMarkdown } from "./markdownRendering";
import "../../styles/chat.css";

/** Renders `text` as safe markdown. Memoised: a streaming message re-renders often. */
export const MessageMarkdown = memo(function MessageMarkdown({ text }: { text: string }) {
  return renderMarkdown(text);
});
