// Owner-facing words for the values the records pages show, in one place so every table agrees.
import type { ActorKind, Channel, Severity } from "../../../../convex/lib/validators";
import { ACTOR_LABELS, CHANNEL_LABELS } from "../labels";

/** Most severe first: the order a filter offers them in. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const satisfies readonly Severity[];

export function channelLabel(channel: Channel | null): string {
  return channel === null ? "—" : CHANNEL_LABELS[channel];
}

export function actorLabel(actor: ActorKind | null): string {
  return actor === null ? "—" : ACTOR_LABELS[actor];
}

export function severityLabel(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

/**
 * Who a conversation belongs to. A channel user's display name is personal data: it reaches these
 * pages only because they are for owners, and is shown nowhere else.
 */
export function principalLabel({ principal, channelUserName }: { principal: "visitor" | "channelUser" | "owner" | null; channelUserName: string | null }): string {
  switch (principal) {
    case "visitor":
      return "Visitor";
    case "owner":
      return "Owner";
    case "channelUser":
      return channelUserName === null ? "Channel user" : `Channel user ${channelUserName}`;
    case null:
      return "Unknown";
  }
}
