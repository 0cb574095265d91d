// Each platform's verified body, turned into the one event shape the webhook gate takes: messages
// from people, handshakes, deliveries with nothing for the agent, and bodies that do not match.
import { describe, expect, it } from "vitest";

import { parseInbound } from "../../../convex/channels/inboundPayloads";

const json = (value: unknown) => ({ json: JSON.stringify(value) });

describe("parseInbound", () => {
  it("reads a Telegram text message: the sender's id, the chat as the conversation, the update id as the delivery", () => {
    const event = parseInbound("telegram", json({ update_id: 9, message: { from: { id: 11, is_bot: false, first_name: "Ada" }, chat: { id: -22 }, text: "hi" } }));
    expect(event).toEqual({ kind: "message", deliveryId: "9", platformUserId: "11", displayName: "Ada", conversationKey: "-22", text: "hi" });
  });

  it.each([
    ["an edited message", { update_id: 1, edited_message: { chat: { id: 1 }, text: "x" } }],
    ["a bot's message", { update_id: 1, message: { from: { id: 2, is_bot: true }, chat: { id: 1 }, text: "x" } }],
    ["a sticker without text", { update_id: 1, message: { from: { id: 2, is_bot: false }, chat: { id: 1 } } }],
  ])("ignores a Telegram update that is %s", (_name, body) => {
    expect(parseInbound("telegram", json(body))).toEqual({ kind: "ignored", deliveryId: "1" });
  });

  it("turns Slack's URL verification into a handshake echoing the challenge", () => {
    expect(parseInbound("slack", json({ type: "url_verification", challenge: "abc", token: "t" }))).toEqual({ kind: "handshake", deliveryId: "challenge:abc", reply: { challenge: "abc" } });
  });

  it("reads a Slack message in a thread, keyed by channel and thread", () => {
    const body = { type: "event_callback", event_id: "Ev1", event: { type: "app_mention", user: "U1", text: "hey", channel: "C1", ts: "2.0", thread_ts: "1.0" } };
    expect(parseInbound("slack", json(body))).toEqual({ kind: "message", deliveryId: "Ev1", platformUserId: "U1", conversationKey: "C1:1.0", text: "hey" });
  });

  it.each([
    ["a bot's own post", { bot_id: "B1" }],
    ["an edit", { subtype: "message_changed" }],
  ])("ignores a Slack event that is %s, so the agent never answers itself", (_name, extra) => {
    const body = { type: "event_callback", event_id: "Ev2", event: { type: "message", user: "U1", text: "x", channel: "C1", ts: "1", ...extra } };
    expect(parseInbound("slack", json(body))).toEqual({ kind: "ignored", deliveryId: "Ev2" });
  });

  it("answers a Discord PING and reads a slash command's string options as the message", () => {
    expect(parseInbound("discord", json({ id: "1", type: 1 }))).toEqual({ kind: "handshake", deliveryId: "1", reply: { type: 1 } });
    const command = { id: "2", type: 2, channel_id: "c", user: { id: "u" }, data: { options: [{ name: "message", value: "hello" }, { name: "n", value: 3 }] } };
    expect(parseInbound("discord", json(command))).toEqual({ kind: "message", deliveryId: "2", platformUserId: "u", conversationKey: "c", text: "hello" });
  });

  it("reads a Twilio WhatsApp message from its form fields", () => {
    const form: [string, string][] = [
      ["MessageSid", `SM${"a".repeat(32)}`],
      ["AccountSid", `AC${"b".repeat(32)}`],
      ["From", "whatsapp:+15550001111"],
      ["Body", "hola"],
    ];
    expect(parseInbound("whatsapp", { form })).toEqual({ kind: "message", deliveryId: `SM${"a".repeat(32)}`, platformUserId: "whatsapp:+15550001111", conversationKey: "whatsapp:+15550001111", text: "hola" });
  });

  it("refuses a Twilio body that repeats a field, rather than picking one of the values", () => {
    const form: [string, string][] = [
      ["MessageSid", `SM${"a".repeat(32)}`],
      ["AccountSid", `AC${"b".repeat(32)}`],
      ["From", "whatsapp:+15550001111"],
      ["From", "whatsapp:+15559999999"],
      ["Body", "hola"],
    ];
    expect(parseInbound("whatsapp", { form })).toBeNull();
  });

  it("reads a Resend inbound email's sender address (lower-cased) and subject", () => {
    const body = { type: "email.received", data: { email_id: "e1", from: "Ada Lovelace <ADA@Example.org>", subject: "Hello" } };
    expect(parseInbound("email", json(body))).toEqual({ kind: "message", deliveryId: "e1", platformUserId: "ada@example.org", conversationKey: "ada@example.org", text: "Hello" });
  });

  it.each([
    ["telegram", { json: "not json" }],
    ["telegram", json({ update_id: 1.5 })],
    ["telegram", json({ update_id: 2 ** 60 })],
    ["slack", json({ type: "event_callback", event: {} })],
    ["slack", json({ type: "url_verification", challenge: "x".repeat(129) })],
    ["slack", json({ type: "other" })],
    ["discord", json({ type: 2 })],
    ["whatsapp", { json: "{}" }],
    ["whatsapp", { form: [["MessageSid", "SM1"], ["AccountSid", "AC1"], ["From", "x"], ["Body", ""]] as [string, string][] }],
    ["email", json({ type: "email.received", data: {} })],
    ["email", json([1, 2])],
    ["telegram", { form: [["update_id", "1"]] as [string, string][] }],
  ] as const)("refuses a %s body that does not match its schema (%j)", (platform, body) => {
    expect(parseInbound(platform, body)).toBeNull();
  });
});
