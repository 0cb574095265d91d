// The checker's decisions as pure functions: given a skill's row and the facts gathered for one
// invocation, which check refuses it, if any. The Convex functions in `checker.ts` gather the facts
// (the row, the allowlist, the rate limits) and write the log; nothing here reads the database, so
// every rule is unit-tested directly and cannot be skipped by a caller that forgets a step.
import type { Doc } from "../_generated/dataModel";
import { DAY, type ChannelAccessPolicy, type ChannelPlatform, type ChannelUserStatus, type CheckFailureCode, type RateLimitName } from "../lib/validators";

/** The skill fields the state checks read. */
export type SkillState = Pick<Doc<"skills">, "approvalStatus" | "status" | "configVersion" | "approvedConfigVersion" | "type" | "code">;

/**
 * Approval, then status, then whether the owner approved the configuration that is live now.
 * A code skill whose module left the deployment cannot run either. Returns null when all pass.
 */
export function skillStateFailure(skill: SkillState): CheckFailureCode | null {
  if (skill.approvalStatus !== "approved") return "SKILL_NOT_APPROVED";
  if (skill.status !== "active") return "SKILL_INACTIVE";
  // An edit after approval bumps configVersion: the skill waits for the owner to review it again.
  if (skill.approvedConfigVersion !== skill.configVersion) return "SKILL_CONFIG_UNREVIEWED";
  if (skill.type === "code" && skill.code?.missingSince !== undefined) return "SKILL_NOT_FOUND";
  return null;
}

/** The MCP server fields the state checks read. */
export type McpServerState = Pick<Doc<"mcpServers">, "approvalStatus" | "status" | "toolsHash" | "approvedToolsHash">;

/**
 * An external MCP server may serve a tool call only when approved, active (not switched off by its
 * owner or by the health check) and offering the tool list the owner approved: a server that
 * changed its tools since is treated as unapproved until reviewed again.
 */
export function mcpServerFailure(server: McpServerState): CheckFailureCode | null {
  if (server.approvalStatus !== "approved") return "MCP_SERVER_NOT_APPROVED";
  if (server.status !== "active") return "MCP_SERVER_INACTIVE";
  if (server.toolsHash !== server.approvedToolsHash) return "MCP_SERVER_NOT_APPROVED";
  return null;
}

/** One rate limit an invocation takes a unit of, and the code its refusal is logged with. */
export type SkillLimit = { name: RateLimitName; key?: string; code: CheckFailureCode };

/**
 * The limits a skill invocation passes, in order: its own, then all skills together, then (for
 * webhook skills) all outbound webhook calls together.
 */
export function skillLimits(skill: { _id: string; type: Doc<"skills">["type"] }): SkillLimit[] {
  const limits: SkillLimit[] = [
    { name: "skillPerSkill", key: skill._id, code: "RATE_LIMIT_SKILL" },
    { name: "skillGlobal", code: "RATE_LIMIT_SKILL_GLOBAL" },
  ];
  if (skill.type === "webhook") limits.push({ name: "webhookSkillsGlobal", code: "RATE_LIMIT_WEBHOOK_GLOBAL" });
  return limits;
}

/** Codes of a guarded fetch that are a security refusal rather than a failure of the remote service. */
export const FETCH_REFUSAL_CODES: ReadonlySet<CheckFailureCode> = new Set(["DOMAIN_NOT_ALLOWED", "ADDRESS_BLOCKED", "REDIRECT_BLOCKED", "URL_INVALID"]);

/** Whether an output of `bytes` bytes is over the skill's cap. */
export function outputFailure(bytes: number, maxOutputBytes: number): CheckFailureCode | null {
  return bytes > maxOutputBytes ? "OUTPUT_TOO_LARGE" : null;
}

/**
 * The hosts of an invocation that are not on the owner's allowlist. Matching is exact: the
 * allowlist holds lowercase hostnames, never patterns, so `api.example.com` does not admit
 * `example.com` or `evil.api.example.com`.
 */
export function hostsNotAllowed(hosts: readonly string[], allowlist: ReadonlySet<string>): string[] {
  return hosts.filter((host) => !allowlist.has(host.toLowerCase()));
}

/** What an owner reads for each refusal: what was refused, never the input or a secret. */
export const CHECK_MESSAGES: Partial<Record<CheckFailureCode, string>> = {
  SKILL_NOT_FOUND: "No skill by that name can run here.",
  SKILL_NOT_APPROVED: "The skill has not been approved by an owner.",
  SKILL_INACTIVE: "The skill is switched off.",
  SKILL_CONFIG_UNREVIEWED: "The skill changed since it was approved and waits for review.",
  RATE_LIMIT_SKILL: "The skill's rate limit was reached.",
  RATE_LIMIT_SKILL_GLOBAL: "The rate limit for all skills was reached.",
  RATE_LIMIT_WEBHOOK_GLOBAL: "The rate limit for all webhook skills was reached.",
  MCP_SERVER_NOT_FOUND: "No MCP server by that name is configured.",
  MCP_SERVER_NOT_APPROVED: "The MCP server, or its current list of tools, has not been approved by an owner.",
  MCP_SERVER_INACTIVE: "The MCP server is switched off.",
  MCP_TOOL_UNAVAILABLE: "The MCP server does not offer that tool, or it is switched off.",
  RATE_LIMIT_MCP_SERVER: "The MCP server's rate limit was reached.",
  INPUT_TOO_LARGE: "The input is too large.",
  INPUT_INVALID: "The input does not match the skill's schema.",
  DOMAIN_NOT_ALLOWED: "The skill would contact a host that is not on the allowlist.",
  OUTPUT_TOO_LARGE: "The skill's output was over its size limit.",
  TIMEOUT: "The skill took longer than its time limit and was stopped.",
  EXECUTION_FAILED: "The skill failed while running.",
  WEBHOOK_PAYLOAD_TOO_LARGE: "The webhook body was over the size limit.",
  WEBHOOK_SIGNATURE_MISSING: "The webhook carried no signature.",
  WEBHOOK_SIGNATURE_INVALID: "The webhook's signature did not match.",
  WEBHOOK_TIMESTAMP_STALE: "The webhook's signed timestamp was outside the allowed window.",
  WEBHOOK_SECRET_UNCONFIGURED: "The channel's signing secret is not set, so no webhook can be verified.",
  WEBHOOK_PAYLOAD_INVALID: "The webhook body did not match the platform's format.",
  WEBHOOK_REPLAYED: "The webhook delivery was already received once.",
  WEBHOOK_CHANNEL_DISABLED: "The channel is not enabled.",
  CHANNEL_USER_BLOCKED: "The sender is blocked on this channel.",
  CHANNEL_USER_NOT_ALLOWED: "The sender is waiting for an owner to allow them on this channel.",
  RATE_LIMIT_CHANNEL_USER: "The sender's rate limit was reached.",
  RATE_LIMIT_GLOBAL: "The global rate limit was reached.",
};

/** The owner-facing message for a code. */
export function checkMessage(code: CheckFailureCode): string {
  return CHECK_MESSAGES[code] ?? "The call was refused by the security checker.";
}

/**
 * Whether a known platform user may talk to the agent: a blocked user never; on an allowlist
 * channel only a user an owner allowed (a new sender waits as "pending").
 */
export function channelUserFailure(status: ChannelUserStatus, policy: ChannelAccessPolicy): CheckFailureCode | null {
  if (status === "blocked") return "CHANNEL_USER_BLOCKED";
  if (policy === "allowlist" && status !== "allowed") return "CHANNEL_USER_NOT_ALLOWED";
  return null;
}

/**
 * How long a delivery id is remembered. Platforms that sign a timestamp refuse anything older than
 * the signature window, so a day covers their retries with room to spare; Telegram's secret header
 * and Twilio's signature carry no time, so their ids are kept for a week, past their retry periods.
 */
export const WEBHOOK_REPLAY_TTL_MS: Readonly<Record<ChannelPlatform, number>> = {
  slack: DAY,
  discord: DAY,
  email: DAY,
  telegram: 7 * DAY,
  whatsapp: 7 * DAY,
};
