// What the channels page says about each platform: its name, its non-secret settings as form
// fields, and what each of its secrets is for. The server validates every value again.
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";
import type { ChannelPlatform, ChannelSecretName } from "../../../../convex/lib/validators";

export type ChannelListing = FunctionReturnType<typeof api.channels.admin.list>[number];

export const PLATFORM_LABELS: Record<ChannelPlatform, string> = {
  telegram: "Telegram",
  slack: "Slack",
  discord: "Discord",
  whatsapp: "WhatsApp (Twilio)",
  email: "Email (Resend)",
};

export type SettingField = { key: string; label: string; hint: string; placeholder: string };

export const SETTING_FIELDS: Record<ChannelPlatform, SettingField[]> = {
  telegram: [{ key: "botUsername", label: "Bot username", hint: "The bot's @username from BotFather.", placeholder: "my_agent_bot" }],
  slack: [
    { key: "teamId", label: "Team id", hint: "Your workspace's id, starting with T.", placeholder: "T0123ABCD" },
    { key: "botUserId", label: "Bot user id", hint: "The app's bot user, starting with U.", placeholder: "U0123ABCD" },
  ],
  discord: [{ key: "applicationId", label: "Application id", hint: "From the Discord developer portal.", placeholder: "123456789012345678" }],
  whatsapp: [{ key: "fromNumber", label: "Sending number", hint: "Your Twilio WhatsApp number in international form.", placeholder: "whatsapp:+14155550100" }],
  email: [{ key: "fromAddress", label: "Sending address", hint: "The address replies come from, on a domain verified with Resend.", placeholder: "agent@example.com" }],
};

export const SECRET_HINTS: Record<ChannelSecretName, string> = {
  TELEGRAM_WEBHOOK_SECRET: "The secret token you gave Telegram with setWebhook; every delivery must carry it.",
  TELEGRAM_BOT_TOKEN: "The bot token from BotFather, for sending replies.",
  SLACK_SIGNING_SECRET: "From the app's Basic Information page; every delivery is signed with it.",
  SLACK_BOT_TOKEN: "The bot user OAuth token, for sending replies.",
  DISCORD_PUBLIC_KEY: "The application's public key; every interaction is signed with its private half.",
  DISCORD_BOT_TOKEN: "The bot token, for sending replies.",
  TWILIO_AUTH_TOKEN: "Your Twilio auth token; every delivery is signed with it.",
  TWILIO_ACCOUNT_SID: "Your Twilio account SID, for sending replies.",
  RESEND_WEBHOOK_SECRET: "The webhook's signing secret from Resend (whsec_…).",
  RESEND_API_KEY: "A Resend API key, for sending replies.",
};
