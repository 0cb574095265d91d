// What a platform is told about its webhook. Refusals of the request itself get the status that
// names them (401 for anything about the signature, 413, 400, 403) and a message that says nothing
// about the deployment; a verified delivery is acknowledged with 200 so the platform does not send
// it again, except when a rate limit refused it: 429 with Retry-After lets the platform retry later.
// Discord and Twilio expect replies in their own formats. Pure.
import type { ChannelPlatform, CheckFailureCode } from "../lib/validators";
import type { WebhookDecision } from "../security/webhookGate";
import type { Handshake } from "./inboundPayloads";

export type WebhookReply = { status: number; contentType: string; body: string; retryAfterSeconds?: number };

/** Refusals of the request, with their status and the only text the caller sees. */
const REQUEST_REFUSALS: Partial<Record<CheckFailureCode, { status: number; message: string }>> = {
  WEBHOOK_SIGNATURE_MISSING: { status: 401, message: "Webhook verification failed." },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, message: "Webhook verification failed." },
  WEBHOOK_TIMESTAMP_STALE: { status: 401, message: "Webhook verification failed." },
  WEBHOOK_SECRET_UNCONFIGURED: { status: 401, message: "Webhook verification failed." },
  WEBHOOK_PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  WEBHOOK_PAYLOAD_INVALID: { status: 400, message: "The request body is not a valid delivery for this endpoint." },
  WEBHOOK_CHANNEL_DISABLED: { status: 403, message: "This channel is not enabled." },
};

/** Discord's interaction responses: a message, or a deferred reply (the agent answers as a follow-up). */
const DISCORD_MESSAGE = 4;
const DISCORD_DEFERRED = 5;
/** Only the sender sees the message. */
const DISCORD_EPHEMERAL = 64;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const json = (status: number, value: unknown): WebhookReply => ({ status, contentType: "application/json", body: JSON.stringify(value) });

export function webhookReply(platform: ChannelPlatform, decision: WebhookDecision, handshake?: Handshake["reply"]): WebhookReply {
  if (decision.accepted) {
    if (decision.kind === "handshake" && handshake) return json(200, handshake);
    if (platform === "discord") return json(200, { type: DISCORD_DEFERRED });
    if (platform === "whatsapp") return { status: 200, contentType: "text/xml", body: EMPTY_TWIML };
    return json(200, { ok: true });
  }
  const refusal = REQUEST_REFUSALS[decision.code];
  if (refusal) return json(refusal.status, { error: refusal.message });
  // The request was genuine but the sender may not go on now; Discord shows them why.
  if (platform === "discord") return json(200, { type: DISCORD_MESSAGE, data: { content: decision.message, flags: DISCORD_EPHEMERAL } });
  if (decision.retryAfterMs !== undefined) return { ...json(429, { error: decision.message }), retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  if (platform === "whatsapp") return { status: 200, contentType: "text/xml", body: EMPTY_TWIML };
  return json(200, { ok: false, code: decision.code });
}
