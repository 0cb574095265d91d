// Reading the agent's messages for display (src/lib/chat/messages.ts): the typing indicator's
// decision, skill chips from tool parts, thread labels and the composer's counter.
import { describe, expect, it } from "vitest";

import {
  characterCounter,
  REPLY_WAIT_LIMIT_MS,
  replyState,
  skillCalls,
  threadLabel,
  type MessageLike,
} from "../../../src/lib/chat/messages.ts";

const NOW = 1_700_000_000_000;
const user = (status: string, age = 1_000): MessageLike => ({ role: "user", status, _creationTime: NOW - age });
const assistant = (status: string): MessageLike => ({ role: "assistant", status, _creationTime: NOW - 500 });

describe("replyState", () => {
  it.each<[string, MessageLike[], boolean, string]>([
    ["an empty thread", [], false, "idle"],
    ["this page is sending (the message is not stored yet)", [], true, "waiting"],
    ["sending a follow-up after a finished reply", [user("success"), assistant("success")], true, "waiting"],
    ["the visitor's message shown optimistically", [user("pending")], false, "waiting"],
    ["the visitor's message stored, no reply yet", [user("success")], false, "waiting"],
    ["a reply that is pending", [user("success"), assistant("pending")], false, "waiting"],
    ["a reply that is streaming", [user("success"), assistant("streaming")], false, "streaming"],
    ["a finished reply", [user("success"), assistant("success")], false, "idle"],
    ["a failed reply", [user("success"), assistant("failed")], false, "idle"],
    ["a message that failed to send", [user("failed")], false, "idle"],
    ["a reply that never came", [user("success", REPLY_WAIT_LIMIT_MS)], false, "idle"],
    ["a reply that may still come", [user("success", REPLY_WAIT_LIMIT_MS - 1)], false, "waiting"],
  ])("%s: %s", (_name, messages, sending, expected) => {
    expect(replyState(messages, NOW, sending)).toBe(expected);
  });
});

describe("skillCalls", () => {
  it("lists tool parts in order with a coarse state, and skips everything else", () => {
    const parts = [
      { type: "step-start" },
      { type: "tool-web_search", toolCallId: "c1", state: "output-available", input: { q: "secret" }, output: "page" },
      { type: "text", text: "Looking…" },
      { type: "dynamic-tool", toolName: "mcp.weather", toolCallId: "c2", state: "input-available", input: {} },
      { type: "tool-fetch_url", toolCallId: "c3", state: "output-error", errorText: "internal detail" },
      { type: "tool-deny_me", toolCallId: "c4", state: "output-denied" },
      { type: "reasoning", text: "…" },
    ];
    expect(skillCalls(parts, "success")).toEqual([
      { id: "c1", name: "web_search", state: "done" },
      { id: "c2", name: "mcp.weather", state: "running" },
      { id: "c3", name: "fetch_url", state: "failed" },
      { id: "c4", name: "deny_me", state: "failed" },
    ]);
  });

  it.each([
    ["input-streaming", "streaming", "running"],
    ["input-available", "streaming", "running"],
    ["approval-requested", "pending", "running"],
    ["input-available", "failed", "failed"],
    ["output-available", "failed", "done"],
  ])("a call in state %s of a %s message is %s", (state, messageStatus, expected) => {
    expect(skillCalls([{ type: "tool-x", toolCallId: "c", state } as { type: string }], messageStatus)[0].state).toBe(expected);
  });

  it("never carries inputs, outputs or error texts, and bounds odd names and ids", () => {
    const parts = [
      { type: `tool-${"n".repeat(200)}`, state: "output-error", errorText: "stack trace", input: { token: "t" } },
      { type: "dynamic-tool", toolName: 7, state: "output-available", output: { secret: 1 } },
    ];
    const [long, unnamed] = skillCalls(parts, "success");
    expect(long).toEqual({ id: "part-0", name: "n".repeat(48), state: "failed" });
    expect(unnamed).toEqual({ id: "part-1", name: "skill", state: "done" });
    expect(Object.keys(long)).toEqual(["id", "name", "state"]);
  });
});

describe("threadLabel", () => {
  it.each([
    [null, "New conversation"],
    ["", "New conversation"],
    ["   ", "New conversation"],
    ["  What can you do?  ", "What can you do?"],
  ])("%j reads %j", (title, expected) => {
    expect(threadLabel(title)).toBe(expected);
  });
});

describe("characterCounter", () => {
  it.each([
    [0, { visible: false, over: false, text: "0 / 4,000" }],
    [3199, { visible: false, over: false, text: "3,199 / 4,000" }],
    [3200, { visible: true, over: false, text: "3,200 / 4,000" }],
    [4000, { visible: true, over: false, text: "4,000 / 4,000" }],
    [4312, { visible: true, over: true, text: "4,312 / 4,000 — 312 too many" }],
  ])("%s characters", (length, expected) => {
    expect(characterCounter(length, 4000)).toEqual(expected);
  });
});
