// What each platform's webhook body must look like, and the one shape ClawSync turns it into. The
// body is parsed only after its signature was checked, and only the fields the agent needs are
// read: anything that does not match the platform's schema is WEBHOOK_PAYLOAD_INVALID, never
// guessed at. Pure, so every platform's rules are tested directly.
import { z } from "zod";

import type { ChannelPlatform } from "../lib/validators";

/** A platform user's message for the agent. Ids are the platform's, taken from a verified body. */
export type InboundMessage = {
  kind: "message";
  /** The platform's id for this delivery (update_id, event_id, MessageSid, ...), for replay checks. */
  deliveryId: string;
  platformUserId: string;
  displayName?: string;
  /** Where the conversation happens on the platform (chat id, channel:thread, sender address). */
  conversationKey: string;
  text: string;
};

/** A request the platform sends to check the endpoint, answered without involving the agent. */
export type Handshake = { kind: "handshake"; deliveryId: string; reply: { challenge: string } | { type: 1 } };

/** A verified delivery the agent has nothing to do with (a bot's own message, a delivery receipt). */
export type Ignored = { kind: "ignored"; deliveryId: string };

export type InboundEvent = InboundMessage | Handshake | Ignored;

/** The body as the route received it: JSON text, or Twilio's form fields. */
export type InboundBody = { json: string } | { form: ReadonlyArray<[string, string]> };

/** Longest id, key or name kept from a payload; longer ones are refused, not cut. */
const ID_CHARS = 128;
const id = z.string().min(1).max(ID_CHARS);
const numericId = z.number().int().safe();

const telegramUpdate = z.object({
  update_id: numericId,
  message: z
    .object({
      from: z.object({ id: numericId, is_bot: z.boolean(), first_name: z.string().max(ID_CHARS).optional() }).optional(),
      chat: z.object({ id: numericId }),
      text: z.string().optional(),
    })
    .optional(),
});

function telegram(body: unknown): InboundEvent | null {
  const parsed = telegramUpdate.safeParse(body);
  if (!parsed.success) return null;
  const { update_id, message } = parsed.data;
  const deliveryId = String(update_id);
  // Edits, joins, stickers and bots' own messages carry no text from a person.
  if (!message?.from || message.from.is_bot || message.text === undefined) return { kind: "ignored", deliveryId };
  return {
    kind: "message",
    deliveryId,
    platformUserId: String(message.from.id),
    ...(message.from.first_name ? { displayName: message.from.first_name } : {}),
    conversationKey: String(message.chat.id),
    text: message.text,
  };
}

const slackPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("url_verification"), challenge: id }),
  z.object({
    type: z.literal("event_callback"),
    event_id: id,
    event: z.object({
      type: z.string().max(ID_CHARS),
      user: id.optional(),
      text: z.string().optional(),
      channel: id.optional(),
      ts: id.optional(),
      thread_ts: id.optional(),
      bot_id: z.string().optional(),
      subtype: z.string().optional(),
    }),
  }),
]);

function slack(body: unknown): InboundEvent | null {
  const parsed = slackPayload.safeParse(body);
  if (!parsed.success) return null;
  const payload = parsed.data;
  if (payload.type === "url_verification") return { kind: "handshake", deliveryId: `challenge:${payload.challenge}`, reply: { challenge: payload.challenge } };
  const { event, event_id } = payload;
  const fromPerson = (event.type === "message" || event.type === "app_mention") && !event.bot_id && !event.subtype;
  if (!fromPerson || !event.user || event.text === undefined || !event.channel || !event.ts) return { kind: "ignored", deliveryId: event_id };
  return { kind: "message", deliveryId: event_id, platformUserId: event.user, conversationKey: `${event.channel}:${event.thread_ts ?? event.ts}`, text: event.text };
}

const discordUser = z.object({ id, username: z.string().max(ID_CHARS).optional() });
const discordInteraction = z.object({
  id,
  type: z.number().int(),
  channel_id: id.optional(),
  data: z.object({ options: z.array(z.object({ name: z.string().max(ID_CHARS), value: z.unknown() })).max(25).optional() }).optional(),
  member: z.object({ user: discordUser }).optional(),
  user: discordUser.optional(),
});

/** Discord interaction types ClawSync answers: PING (the endpoint check) and a slash command. */
const DISCORD_PING = 1;
const DISCORD_COMMAND = 2;

function discord(body: unknown): InboundEvent | null {
  const parsed = discordInteraction.safeParse(body);
  if (!parsed.success) return null;
  const interaction = parsed.data;
  if (interaction.type === DISCORD_PING) return { kind: "handshake", deliveryId: interaction.id, reply: { type: DISCORD_PING } };
  const user = interaction.member?.user ?? interaction.user;
  // The command's string options are the message (e.g. `/ask message:<text>`).
  const text = (interaction.data?.options ?? [])
    .map((option) => option.value)
    .filter((value): value is string => typeof value === "string")
    .join("\n");
  if (interaction.type !== DISCORD_COMMAND || !user || !interaction.channel_id || text === "") return { kind: "ignored", deliveryId: interaction.id };
  return {
    kind: "message",
    deliveryId: interaction.id,
    platformUserId: user.id,
    ...(user.username ? { displayName: user.username } : {}),
    conversationKey: interaction.channel_id,
    text,
  };
}

const twilioMessage = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/),
  AccountSid: z.string().regex(/^AC[0-9a-f]{32}$/),
  From: id,
  Body: z.string(),
  ProfileName: z.string().max(ID_CHARS).optional(),
});

function whatsapp(fields: ReadonlyArray<[string, string]>): InboundEvent | null {
  // A repeated field is ambiguous, so it is refused rather than resolved either way.
  const names = fields.map(([name]) => name);
  if (new Set(names).size !== names.length) return null;
  const parsed = twilioMessage.safeParse(Object.fromEntries(fields));
  if (!parsed.success) return null;
  const { MessageSid, From, Body, ProfileName } = parsed.data;
  // The sender's number is both who they are and where the conversation is.
  return { kind: "message", deliveryId: MessageSid, platformUserId: From, ...(ProfileName ? { displayName: ProfileName } : {}), conversationKey: From, text: Body };
}

const resendEvent = z.object({
  type: z.string().max(ID_CHARS),
  data: z.object({ email_id: id.optional(), from: z.string().max(320).optional(), subject: z.string().optional() }),
});

function email(body: unknown): InboundEvent | null {
  const parsed = resendEvent.safeParse(body);
  if (!parsed.success) return null;
  const { type, data } = parsed.data;
  if (!data.email_id) return null;
  // Delivery receipts for mail ClawSync sent arrive on the same endpoint and need no answer.
  if (type !== "email.received" || !data.from) return { kind: "ignored", deliveryId: data.email_id };
  // Resend's webhook carries the subject, not the body; the body is fetched by the reply step.
  return { kind: "message", deliveryId: data.email_id, platformUserId: senderAddress(data.from), conversationKey: senderAddress(data.from), text: data.subject ?? "" };
}

/** `Name <a@b.example>` → `a@b.example`, lower-cased, so one sender is one user. */
function senderAddress(from: string): string {
  const angle = /<([^<>\s]+)>\s*$/.exec(from);
  return (angle ? angle[1]! : from.trim()).toLowerCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The verified body as an event, or null when it does not match the platform's schema. */
export function parseInbound(platform: ChannelPlatform, body: InboundBody): InboundEvent | null {
  if (platform === "whatsapp") return "form" in body ? whatsapp(body.form) : null;
  if (!("json" in body)) return null;
  const json = parseJson(body.json);
  switch (platform) {
    case "telegram":
      return telegram(json);
    case "slack":
      return slack(json);
    case "discord":
      return discord(json);
    case "email":
      return email(json);
  }
}
