// Reads one conversation for the thread view, a page at a time, newest page first. Every page is a
// call to `threads.messages`, which logs the read on the server: so this asks for the first page
// once per thread opened, and for each earlier page only when the owner asks for it.
import { useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../../../convex/_generated/api";

const PAGE_SIZE = 30;

type ReadResult = Extract<FunctionReturnType<typeof api.threads.messages>, { ok: true }>;
export type ThreadSummary = ReadResult["thread"];
export type ThreadMessage = ReadResult["messages"]["page"][number];

type Reading =
  | { status: "loading" }
  | { status: "missing"; error: string }
  | { status: "failed" }
  | { status: "ready"; thread: ThreadSummary; pages: ThreadMessage[][]; continueCursor: string; isDone: boolean };

export type ThreadState =
  | Exclude<Reading, { status: "ready" }>
  | { status: "ready"; thread: ThreadSummary; messages: ThreadMessage[]; hasEarlier: boolean };

export function useThreadReader(conversationId: string) {
  const read = useMutation(api.threads.messages);
  const [reading, setReading] = useState<Reading>({ status: "loading" });
  const [earlier, setEarlier] = useState<"idle" | "loading" | "failed">("idle");
  // Development's StrictMode runs effects twice; a second first-page read would be a second log row.
  const opened = useRef(false);

  const readFirstPage = useCallback(async () => {
    try {
      const result = await read({ conversationId, paginationOpts: { numItems: PAGE_SIZE, cursor: null } });
      setReading(
        result.ok
          ? { status: "ready", thread: result.thread, pages: [result.messages.page], continueCursor: result.messages.continueCursor, isDone: result.messages.isDone }
          : { status: "missing", error: result.error },
      );
    } catch {
      setReading({ status: "failed" });
    }
  }, [read, conversationId]);

  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    void readFirstPage();
  }, [readFirstPage]);

  const retry = useCallback(() => {
    setReading({ status: "loading" });
    void readFirstPage();
  }, [readFirstPage]);

  const loadEarlier = useCallback(async () => {
    if (reading.status !== "ready" || reading.isDone) return;
    setEarlier("loading");
    try {
      const result = await read({ conversationId, paginationOpts: { numItems: PAGE_SIZE, cursor: reading.continueCursor } });
      setReading(
        result.ok
          ? { ...reading, pages: [...reading.pages, result.messages.page], continueCursor: result.messages.continueCursor, isDone: result.messages.isDone }
          : { status: "missing", error: result.error },
      );
      setEarlier("idle");
    } catch {
      setEarlier("failed");
    }
  }, [read, conversationId, reading]);

  // Each page is oldest first and pages arrive newest first, so the earliest page goes on top.
  const state: ThreadState =
    reading.status === "ready" ? { status: "ready", thread: reading.thread, messages: [...reading.pages].reverse().flat(), hasEarlier: !reading.isDone } : reading;
  return { state, earlier, loadEarlier, retry };
}
