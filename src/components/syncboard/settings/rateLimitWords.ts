// How a rate limit reads to an owner: "10 requests per minute", "300 seconds per hour".
import type { RateLimitScope, RateLimitUnit } from "../../../../convex/lib/validators";

const PERIOD_NAMES: ReadonlyMap<number, string> = new Map([
  [1000, "second"],
  [60_000, "minute"],
  [3_600_000, "hour"],
  [86_400_000, "day"],
]);

export function describePeriod(periodMs: number): string {
  const named = PERIOD_NAMES.get(periodMs);
  if (named) return `per ${named}`;
  const seconds = periodMs / 1000;
  return `per ${Number.isInteger(seconds) ? seconds.toLocaleString() : seconds} seconds`;
}

export function describeRate(rate: number, unit: RateLimitUnit, periodMs: number): string {
  const noun = unit === "seconds" ? (rate === 1 ? "second" : "seconds") : rate === 1 ? "request" : "requests";
  return `${rate.toLocaleString()} ${noun} ${describePeriod(periodMs)}`;
}

export const SCOPE_WORDS: Readonly<Record<RateLimitScope, string>> = {
  global: "All callers together",
  perSession: "Each visitor session",
  perChannelUser: "Each channel user",
  perSkill: "Each skill",
  perMcpServer: "Each MCP server",
  perMcpToken: "Each MCP access token",
  perSubject: "Each signing-in identity",
  perRequester: "Each requester",
};
