// Owner-facing words for the channel and the kind of caller, shared by every SyncBoard page that
// shows them, so the records and the skills pages name them alike.
import type { ActorKind, Channel } from "../../../convex/lib/validators";

export const CHANNEL_LABELS: Record<Channel, string> = {
  web: "Web chat",
  syncboard: "SyncBoard",
  voice: "Voice",
  mcp: "MCP",
  telegram: "Telegram",
  slack: "Slack",
  discord: "Discord",
  whatsapp: "WhatsApp",
  email: "Email",
};

export const ACTOR_LABELS: Record<ActorKind, string> = {
  owner: "Owner",
  visitor: "Visitor",
  channelUser: "Channel user",
  mcpClient: "MCP client",
  agent: "Agent",
  skill: "Skill",
  system: "System",
  admin: "Admin key",
};
