// Which signature check a platform's webhook gets, over which parts of the request, and under
// which secret. The route calls this on the raw body before parsing anything.
import type { ChannelPlatform, ChannelSecretName } from "../lib/validators";
import { verifyDiscord, verifySlack, verifySvix, verifyTelegram, verifyTwilio, type SignatureCheck } from "../security/webhookSignatures";
import type { InboundBody } from "./inboundPayloads";

/** The secret each platform's signature is checked with (its channelSecrets name and env var). */
export const VERIFICATION_SECRET: Record<ChannelPlatform, ChannelSecretName> = {
  telegram: "TELEGRAM_WEBHOOK_SECRET",
  slack: "SLACK_SIGNING_SECRET",
  discord: "DISCORD_PUBLIC_KEY",
  whatsapp: "TWILIO_AUTH_TOKEN",
  email: "RESEND_WEBHOOK_SECRET",
};

/** The parts of a request a signature check reads. */
export type SignedRequest = { url: string; headers: Headers; body: string };

/** Twilio posts form fields; everyone else posts JSON. */
export function bodyOf(platform: ChannelPlatform, raw: string): InboundBody {
  return platform === "whatsapp" ? { form: [...new URLSearchParams(raw)] } : { json: raw };
}

export async function verifyInbound(platform: ChannelPlatform, request: SignedRequest, secret: string | undefined, now: number): Promise<SignatureCheck> {
  const header = (name: string) => request.headers.get(name);
  switch (platform) {
    case "telegram":
      return verifyTelegram(header("x-telegram-bot-api-secret-token"), secret);
    case "slack":
      return verifySlack(request.body, header("x-slack-request-timestamp"), header("x-slack-signature"), secret, now);
    case "discord":
      return await verifyDiscord(request.body, header("x-signature-timestamp"), header("x-signature-ed25519"), secret, now);
    case "whatsapp":
      return verifyTwilio(request.url, [...new URLSearchParams(request.body)], header("x-twilio-signature"), secret);
    case "email":
      return verifySvix(request.body, { id: header("svix-id"), timestamp: header("svix-timestamp"), signature: header("svix-signature") }, secret, now);
  }
}
