// The deployment's security configuration, checked: the encryption key, how owners sign in, the
// local runtime's identity provider (never on a hosted deployment), a signing secret for every
// enabled channel, and the log scrubber. `npm run security:audit` prints this report; a missing or
// weak key is an error here, not something discovered when the first secret fails to save.
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

import { env } from "../_generated/server";
import { CONSOLE_SCRUBBER_INSTALLED } from "../lib/consoleScrub";
import { internalQuery } from "../lib/functions";
import { VERIFICATION_SECRET } from "../channels/verifyInbound";
import type { ChannelPlatform } from "../lib/validators";
import { loadKeyRing } from "./encryptionKeys";

export const vAuditFinding = v.object({ check: v.string(), status: literals("ok", "warning", "error"), message: v.string() });
export type AuditFinding = Infer<typeof vAuditFinding>;

/** What the audit needs to know beyond the environment. */
export type AuditFacts = {
  /** Enabled channels, and whether their signing secret is stored in channelSecrets. */
  enabledChannels: { platform: ChannelPlatform; storedSecret: boolean }[];
  consoleScrubbed: boolean;
};

const LOOPBACK_URL = /^https?:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?(\/|$)/;

/** The findings for an environment and the facts read from the database. Names values, never shows them. */
export function auditDeployment(environment: Record<string, string | undefined>, facts: AuditFacts): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const keyRing = loadKeyRing(environment);
  findings.push(keyRing.ok ? { check: "encryption key", status: "ok", message: "SKILL_SECRET_ENCRYPTION_KEY is set and strong." } : { check: "encryption key", status: "error", message: keyRing.message });

  const hosted = environment.CONVEX_CLOUD_URL !== undefined && !LOOPBACK_URL.test(environment.CONVEX_CLOUD_URL);
  const localIssuer = Boolean(environment.CLAWSYNC_LOCAL_AUTH_ISSUER);
  if (hosted && localIssuer) {
    findings.push({ check: "local sign-in", status: "error", message: "CLAWSYNC_LOCAL_AUTH_ISSUER is set on a hosted deployment; remove it (docs/local-auth.md)." });
  }
  if (environment.WORKOS_CLIENT_ID) findings.push({ check: "owner sign-in", status: "ok", message: "Owners sign in with WorkOS AuthKit." });
  else if (localIssuer && !hosted) findings.push({ check: "owner sign-in", status: "ok", message: "Owners sign in with the local runtime's identity provider." });
  else findings.push({ check: "owner sign-in", status: hosted ? "error" : "warning", message: "WORKOS_CLIENT_ID is not set, so no owner can sign in." });

  for (const { platform, storedSecret } of facts.enabledChannels) {
    const name = VERIFICATION_SECRET[platform];
    const present = storedSecret || Boolean(environment[name]);
    findings.push({
      check: `${platform} webhook`,
      status: present ? "ok" : "error",
      message: present ? `${name} is set.` : `The ${platform} channel is enabled but ${name} is not set, so every delivery is refused.`,
    });
  }

  findings.push(
    facts.consoleScrubbed
      ? { check: "log redaction", status: "ok", message: "Function output passes the scrubber." }
      : { check: "log redaction", status: "error", message: "The console scrubber is not installed." },
  );
  return findings;
}

export const report = internalQuery({
  args: {},
  returns: v.array(vAuditFinding),
  handler: async (ctx) => {
    const channels = await ctx.db.query("channelConfig").withIndex("by_platform").take(16);
    const enabledChannels = [];
    for (const channel of channels.filter((row) => row.enabled)) {
      const stored = await ctx.db
        .query("channelSecrets")
        .withIndex("by_channel_and_name", (q) => q.eq("channelId", channel._id).eq("name", VERIFICATION_SECRET[channel.platform]))
        .unique();
      enabledChannels.push({ platform: channel.platform, storedSecret: stored !== null });
    }
    const consoleScrubbed = (console as unknown as Record<symbol, unknown>)[CONSOLE_SCRUBBER_INSTALLED] === true;
    return auditDeployment(env, { enabledChannels, consoleScrubbed });
  },
});
